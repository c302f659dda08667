// `hamlet keys create|list|revoke`: site keys and admin keys.
#include <iomanip>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/terminal_text.h"

namespace hamlet::cli {
namespace {

struct KeysArgs {
  std::string site;
  bool admin = false;
  std::string target;
  bool json = false;
};

void Create(Context& ctx, const KeysArgs& args) {
  if (!args.admin && args.site.empty()) {
    return ctx.Fail(core::Status::InvalidArgument(
        "keys create needs --site URL (or --admin for an admin key)"));
  }
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  const store::KeyRole role = args.admin ? store::KeyRole::kAdmin : store::KeyRole::kSite;
  auto created = (*services)->keys->Create(args.site, role);
  if (!created) {
    return ctx.Fail(created.error());
  }
  *ctx.out << "Created " << (args.admin ? "admin key " : "key ") << created->record.id;
  if (!created->record.site_url.empty()) *ctx.out << " for " << created->record.site_url;
  *ctx.out << ". It is stored hashed and shown only this once:\n" << created->key << "\n";
}

void List(Context& ctx, const KeysArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto keys = (*services)->keys->List();
  if (!keys) {
    return ctx.Fail(keys.error());
  }
  if (args.json) {
    auto out = nlohmann::json::array();
    for (const auto& k : *keys) out.push_back(KeyToJson(k));
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  if (keys->empty()) {
    *ctx.out << "No keys yet. Create one: hamlet keys create --site https://your-site.example/\n";
    return;
  }
  *ctx.out << std::left << std::setw(5) << "ID" << std::setw(8) << "KEY" << std::setw(7)
           << "ROLE" << std::setw(22) << "CREATED" << std::setw(10) << "STATUS" << "SITE\n";
  for (const auto& k : *keys) {
    *ctx.out << std::left << std::setw(5) << k.id << std::setw(8) << (k.key_hint + "…")
             << std::setw(7) << store::KeyRoleName(k.role) << std::setw(22)
             << FormatTime(k.created_ms) << std::setw(10) << (k.revoked() ? "revoked" : "active")
             << ForTerminal(k.site_url) << "\n";
  }
}

void Revoke(Context& ctx, const KeysArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  if (auto status = (*services)->keys->Revoke(args.target); !status.ok()) {
    return ctx.Fail(status);
  }
  *ctx.out << "Revoked. Requests with this key now get Akismet's `invalid` answer.\n";
}

}  // namespace

void RegisterKeys(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<KeysArgs>();
  auto* keys = app.add_subcommand("keys", "Create, list and revoke site and admin keys");
  keys->require_subcommand(1);

  auto* create = keys->add_subcommand(
      "create", "Create a key bound to a site (or an admin key); prints it as the last line\n"
                "Example: hamlet --db hamlet.db keys create --site https://blog.example.org/\n"
                "         hamlet --db hamlet.db keys create --admin");
  create->add_option("--site", args->site,
                     "the site's front-page URL (Akismet's `blog`); optional with --admin");
  create->add_flag("--admin", args->admin,
                   "an admin key: for the admin endpoints (POST /v1/admin/reload) only, "
                   "refused by the comment endpoints");
  create->callback([&ctx, args] { Create(ctx, *args); });

  auto* list = keys->add_subcommand("list", "List keys\nExample: hamlet keys list --json");
  list->add_flag("--json", args->json, "print a JSON array");
  list->callback([&ctx, args] { List(ctx, *args); });

  auto* revoke = keys->add_subcommand(
      "revoke", "Revoke a key, given as the key or its id\nExample: hamlet keys revoke 3");
  revoke->add_option("key", args->target, "the key, or its id from `keys list`")->required();
  revoke->callback([&ctx, args] { Revoke(ctx, *args); });
}

}  // namespace hamlet::cli
