// `hamlet sites list|show|set|unset`: per-site settings (thresholds, the uncertain answer,
// check weights, webhooks), stored in the database and picked up by a running hamletd within
// seconds.
#include <iomanip>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/terminal_text.h"
#include "engine/site_profile.h"

namespace hamlet::cli {
namespace {

struct SitesArgs {
  std::string site;  // "" or "*": the defaults for every site
  std::vector<std::string> assignments;
  std::vector<std::string> names;
  bool json = false;
};

std::string SiteOf(const std::string& arg) { return arg == "*" ? std::string() : arg; }
std::string Shown(const std::string& site) { return site.empty() ? "* (every site)" : site; }

// The secret is write-only: listings say whether it is set, never what it is.
std::string ShownValue(const store::SiteSetting& s) {
  return s.name == "webhook_secret" ? std::string("(set)") : ForTerminal(s.value);
}

void PrintSettings(Context& ctx, const std::vector<store::SiteSetting>& rows, bool json) {
  if (json) {
    auto out = nlohmann::json::array();
    for (const auto& s : rows) {
      out.push_back({{"site", s.site_url},
                     {"name", s.name},
                     {"value", s.name == "webhook_secret" ? nlohmann::json(nullptr)
                                                          : nlohmann::json(s.value)},
                     {"updated", FormatTime(s.updated_ms)}});
    }
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  if (rows.empty()) {
    *ctx.out << "No settings: every site uses the defaults (hamlet sites set --help).\n";
    return;
  }
  std::string site = "\x01";
  for (const auto& s : rows) {
    if (s.site_url != site) {
      site = s.site_url;
      *ctx.out << ForTerminal(Shown(site)) << "\n";
    }
    *ctx.out << "  " << std::left << std::setw(28) << s.name << ShownValue(s) << "\n";
  }
}

void List(Context& ctx, const SitesArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto rows = (*services)->sites->List();
  if (!rows) return ctx.Fail(rows.error());
  PrintSettings(ctx, *rows, args.json);
}

void Show(Context& ctx, const SitesArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto rows = (*services)->sites->List();
  if (!rows) return ctx.Fail(rows.error());
  const std::string site = SiteOf(args.site);
  std::vector<store::SiteSetting> mine;
  for (const auto& s : *rows) {
    // A site's view: the defaults it inherits, then its own rows.
    if (s.site_url.empty() || s.site_url == site) mine.push_back(s);
  }
  PrintSettings(ctx, mine, args.json);
}

void Set(Context& ctx, const SitesArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  const std::string site = SiteOf(args.site);
  // Validate every assignment before storing any, so a typo changes nothing.
  std::vector<std::pair<std::string, std::string>> parsed;
  for (const std::string& a : args.assignments) {
    const size_t eq = a.find('=');
    if (eq == std::string::npos || eq == 0) {
      return ctx.Fail(core::Status::InvalidArgument("'" + a + "' is not NAME=VALUE"));
    }
    std::string name = a.substr(0, eq), value = a.substr(eq + 1);
    if (auto s = engine::ValidateSiteSetting(name, value); !s.ok()) return ctx.Fail(s);
    parsed.emplace_back(std::move(name), std::move(value));
  }
  for (const auto& [name, value] : parsed) {
    if (auto s = (*services)->sites->Set(site, name, value); !s.ok()) return ctx.Fail(s);
    *ctx.out << "set " << name << " for " << ForTerminal(Shown(site)) << "\n";
  }
  *ctx.out << "A running hamletd applies it within a few seconds.\n";
}

void Unset(Context& ctx, const SitesArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  const std::string site = SiteOf(args.site);
  for (const std::string& name : args.names) {
    if (auto s = (*services)->sites->Unset(site, name); !s.ok()) return ctx.Fail(s);
    *ctx.out << "unset " << name << " for " << ForTerminal(Shown(site)) << "\n";
  }
}

std::string SettingsHelp() {
  std::string help = "Settings:\n";
  for (const auto& s : engine::SiteSettingTable()) {
    help += "  " + std::string(s.name) + " (" + std::string(s.value) + ")\n      " +
            std::string(s.meaning) + "\n";
  }
  return help;
}

}  // namespace

void RegisterSites(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SitesArgs>();
  auto* sites = app.add_subcommand(
      "sites", "Per-site settings: thresholds, the uncertain answer, check weights, webhooks");
  sites->require_subcommand(1);
  sites->footer(SettingsHelp());

  auto* list = sites->add_subcommand("list", "Every stored setting\nExample: hamlet sites list");
  list->add_flag("--json", args->json, "print a JSON array");
  list->callback([&ctx, args] { List(ctx, *args); });

  auto* show = sites->add_subcommand(
      "show",
      "The settings in force for one site (its own and the defaults it inherits)\n"
      "Example: hamlet sites show https://blog.example.org/");
  show->add_option("site", args->site, "the site URL its keys are bound to, or * for defaults")
      ->required();
  show->add_flag("--json", args->json, "print a JSON array");
  show->callback([&ctx, args] { Show(ctx, *args); });

  auto* set = sites->add_subcommand(
      "set",
      "Set settings for a site (or * for every site)\n"
      "Example: hamlet sites set https://blog.example.org/ spam_threshold=0.99 "
      "weight.links=0.5\n"
      "         hamlet sites set '*' uncertain_answer=true");
  set->add_option("site", args->site, "the site URL its keys are bound to, or * for defaults")
      ->required();
  set->add_option("settings", args->assignments, "NAME=VALUE ... (see below)")->required();
  set->footer(SettingsHelp());
  set->callback([&ctx, args] { Set(ctx, *args); });

  auto* unset =
      sites->add_subcommand("unset",
                            "Remove settings, so the defaults apply again\n"
                            "Example: hamlet sites unset https://blog.example.org/ spam_threshold");
  unset->add_option("site", args->site, "the site URL, or * for defaults")->required();
  unset->add_option("names", args->names, "setting names")->required();
  unset->callback([&ctx, args] { Unset(ctx, *args); });
}

}  // namespace hamlet::cli
