// `hamlet lists show|add|remove|import|export`: the operator's allow and block lists (IPs and
// networks, e-mail addresses and domains, linked domains, words, regexes), per site or for
// every site, stored in the database and picked up by a running hamletd within seconds.
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/terminal_text.h"
#include "engine/list_directory.h"
#include "engine/list_file.h"  // signals::ListKind and friends come with it

namespace hamlet::cli {
namespace {

struct ListsArgs {
  std::string list;  // "allow", "block", or "" (both) where optional
  std::string kind;
  std::string value;
  std::string file;
  std::string site;  // "" or "*": every site
  std::string note;
  std::string by;
  bool json = false;
};

std::string SiteOf(const std::string& arg) { return arg == "*" ? std::string() : arg; }
std::string Shown(const std::string& site) { return site.empty() ? "every site" : site; }

std::string AddedBy(const ListsArgs& args) {
  if (!args.by.empty()) return args.by;
  const char* user = std::getenv("USER");
  return user != nullptr ? user : "";
}

// The list named on the command line; InvalidArgument for anything but allow/block.
core::Result<signals::ListName> ListOf(const std::string& text) {
  auto list = signals::ParseListName(text);
  if (!list) return core::Status::InvalidArgument("'" + text + "' is not a list: allow or block");
  return *list;
}

core::Result<signals::ListKind> KindOf(const std::string& text) {
  auto kind = signals::ParseListKind(text);
  if (!kind) {
    return core::Status::InvalidArgument(
        "'" + text + "' is not a kind: ip, email, email_domain, url_domain, word or regex");
  }
  return *kind;
}

// The store's entries on `list` ("" both) for `site` (nullopt: every site's and each site's).
core::Result<std::vector<store::ListEntry>> Select(app::Services& services, const std::string& list,
                                                   std::optional<std::string> site,
                                                   const std::string& kind, bool with_shared) {
  auto rows = services.lists->Entries();
  if (!rows) return rows.error();
  std::vector<store::ListEntry> out;
  for (auto& e : *rows) {
    if (!list.empty() && e.list != list) continue;
    if (!kind.empty() && e.kind != kind) continue;
    if (site && e.site_url != *site && !(with_shared && e.site_url.empty())) continue;
    out.push_back(std::move(e));
  }
  return out;
}

nlohmann::json EntryToJson(const store::ListEntry& e) {
  return {{"id", e.id},
          {"site", e.site_url},
          {"list", e.list},
          {"kind", e.kind},
          {"value", e.value},
          {"note", e.note},
          {"added_by", e.added_by},
          {"created", FormatTime(e.created_ms)}};
}

void Show(Context& ctx, const ListsArgs& args) {
  if (!args.list.empty()) {
    if (auto list = ListOf(args.list); !list) return ctx.Fail(list.error());
  }
  if (!args.kind.empty()) {
    if (auto kind = KindOf(args.kind); !kind) return ctx.Fail(kind.error());
  }
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  std::optional<std::string> site;
  if (!args.site.empty()) site = SiteOf(args.site);
  auto rows = Select(**services, args.list, site, args.kind, /*with_shared=*/true);
  if (!rows) return ctx.Fail(rows.error());
  std::vector<engine::FileListEntry> files;
  for (auto& f : (*services)->lists->FileEntries()) {
    if (!args.list.empty() && signals::ListNameText(f.list) != args.list) continue;
    if (!args.kind.empty() && signals::ListKindName(f.kind) != args.kind) continue;
    files.push_back(std::move(f));
  }
  if (args.json) {
    auto out = nlohmann::json::array();
    for (const auto& e : *rows) out.push_back(EntryToJson(e));
    for (const auto& f : files) {
      out.push_back({{"file", f.file},
                     {"line", f.line},
                     {"site", ""},
                     {"list", signals::ListNameText(f.list)},
                     {"kind", signals::ListKindName(f.kind)},
                     {"value", f.value}});
    }
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  if (rows->empty() && files.empty()) {
    *ctx.out << "No list entries (hamlet lists add --help).\n";
  }
  for (const auto& e : *rows) {
    *ctx.out << std::left << std::setw(6) << e.list << std::setw(13) << e.kind << " "
             << ForTerminal(e.value) << "\n      #" << e.id << ", "
             << ForTerminal(Shown(e.site_url)) << ", added " << FormatTime(e.created_ms);
    if (!e.added_by.empty()) *ctx.out << " by " << ForTerminal(e.added_by);
    if (!e.note.empty()) *ctx.out << ": " << ForTerminal(e.note);
    *ctx.out << "\n";
  }
  for (const auto& f : files) {
    *ctx.out << std::left << std::setw(6) << signals::ListNameText(f.list) << std::setw(13)
             << signals::ListKindName(f.kind) << " " << ForTerminal(f.value) << "\n      "
             << ForTerminal(f.file) << " line " << f.line << ", every site (file in "
             << ForTerminal((*services)->lists->lists_dir().string()) << ")\n";
  }
  for (const std::string& problem : (*services)->lists->Problems()) {
    *ctx.err << "hamlet: skipped: " << ForTerminal(problem) << "\n";
  }
}

// The list, kind and services an add or remove works on; nullopt (after ctx.Fail) when the
// list or kind is not one, or the database does not open.
struct EntryTarget {
  signals::ListName list;
  signals::ListKind kind;
  app::Services* services;
};
std::optional<EntryTarget> TargetOf(Context& ctx, const ListsArgs& args) {
  auto list = ListOf(args.list);
  if (!list) return ctx.Fail(list.error()), std::nullopt;
  auto kind = KindOf(args.kind);
  if (!kind) return ctx.Fail(kind.error()), std::nullopt;
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error()), std::nullopt;
  return EntryTarget{*list, *kind, *services};
}

void Add(Context& ctx, const ListsArgs& args) {
  const auto target = TargetOf(ctx, args);
  if (!target) return;
  store::ListEntry entry;
  entry.site_url = SiteOf(args.site);
  entry.list = args.list;
  entry.kind = args.kind;
  entry.value = args.value;
  entry.note = args.note;
  entry.added_by = AddedBy(args);
  auto ids = target->services->lists->Add({entry});
  if (!ids) return ctx.Fail(ids.error());
  // Show the value as stored: the canonical form may differ from what was typed.
  auto canonical = signals::CanonicalListValue(target->kind, args.value);
  const std::string value = canonical ? *canonical : args.value;
  const std::string where = "the " + args.list + " list of " + ForTerminal(Shown(entry.site_url));
  if (ids->front() == 0) {
    *ctx.out << args.kind << " " << ForTerminal(value) << " is already on " << where << "\n";
    return;
  }
  *ctx.out << "added " << args.kind << " " << ForTerminal(value) << " to " << where << " (#"
           << ids->front() << ")\nA running hamletd applies it within a few seconds.\n";
}

void Remove(Context& ctx, const ListsArgs& args) {
  const auto target = TargetOf(ctx, args);
  if (!target) return;
  const std::string site = SiteOf(args.site);
  if (auto s = target->services->lists->Remove(site, target->list, target->kind, args.value);
      !s.ok()) {
    return ctx.Fail(s);
  }
  *ctx.out << "removed " << args.kind << " " << ForTerminal(args.value) << " from the " << args.list
           << " list of " << ForTerminal(Shown(site))
           << "\nA running hamletd applies it within a few seconds.\n";
}

core::Result<std::string> ReadInput(const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::NotFound("cannot open '" + path + "'");
  text << in.rdbuf();
  return text.str();
}

void Import(Context& ctx, const ListsArgs& args) {
  auto list = ListOf(args.list);
  if (!list) return ctx.Fail(list.error());
  auto text = ReadInput(args.file);
  if (!text) return ctx.Fail(text.error());
  // Every line is checked before anything is stored: a file with a mistake changes nothing.
  engine::ParsedListText parsed = engine::ParseListText(*text);
  if (!parsed.errors.empty()) {
    for (const std::string& e : parsed.errors) {
      *ctx.err << "hamlet: " << ForTerminal(args.file) << " " << ForTerminal(e) << "\n";
    }
    return ctx.Fail(core::Status::InvalidArgument(std::to_string(parsed.errors.size()) +
                                                  " bad line(s) in '" + args.file +
                                                  "'; nothing was imported"));
  }
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  std::vector<store::ListEntry> entries;
  for (const engine::ParsedListLine& line : parsed.entries) {
    store::ListEntry e;
    e.site_url = SiteOf(args.site);
    e.list = args.list;
    e.kind = std::string(signals::ListKindName(line.kind));
    e.value = line.value;
    e.note = args.note;
    e.added_by = AddedBy(args);
    entries.push_back(std::move(e));
  }
  auto ids = (*services)->lists->Add(std::move(entries));
  if (!ids) return ctx.Fail(ids.error());
  size_t added = 0;
  for (int64_t id : *ids) added += id != 0;
  *ctx.out << "imported " << added << " entries into the " << args.list << " list of "
           << ForTerminal(Shown(SiteOf(args.site))) << " (" << ids->size() - added
           << " already there)\n";
}

void Export(Context& ctx, const ListsArgs& args) {
  if (!args.list.empty()) {
    if (auto list = ListOf(args.list); !list) return ctx.Fail(list.error());
  }
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  const std::string site = SiteOf(args.site);
  auto rows = Select(**services, args.list, site, "", /*with_shared=*/false);
  if (!rows) return ctx.Fail(rows.error());
  if (args.json) {
    auto out = nlohmann::json::array();
    for (const auto& e : *rows) out.push_back(EntryToJson(e));
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  // The list file format: `hamlet lists import LIST FILE` reads it back, and it can serve as
  // data/lists/allow.txt or block.txt.
  *ctx.out << "# hamlet lists export: " << (args.list.empty() ? "allow and block" : args.list)
           << " entries of " << ForTerminal(Shown(site)) << "\n";
  std::string current;
  for (const auto& e : *rows) {
    if (args.list.empty() && e.list != current) {
      current = e.list;
      *ctx.out << "# --- " << current << " list\n";
    }
    if (!e.note.empty() || !e.added_by.empty()) {
      *ctx.out << "# " << ForTerminal(e.note) << (e.added_by.empty() ? "" : " (by ")
               << ForTerminal(e.added_by) << (e.added_by.empty() ? "" : ")") << "\n";
    }
    const auto kind = signals::ParseListKind(e.kind);
    *ctx.out << (kind ? engine::FormatListLine(*kind, e.value) : e.kind + " " + e.value) << "\n";
  }
}

}  // namespace

void RegisterLists(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ListsArgs>();
  auto* lists = app.add_subcommand(
      "lists", "Allow and block lists: IPs and networks, e-mails, domains, words, regexes");
  lists->require_subcommand(1);
  lists->footer(
      "Kinds: ip (203.0.113.7, 203.0.113.0/24, 2001:db8::/32), email, email_domain and\n"
      "url_domain (subdomains match too), word (whole words or a phrase, case-insensitive),\n"
      "regex (RE2 syntax, searched in the comment text, case-insensitive).\n"
      "A block-list hit makes a comment spam; an allow-list hit leans to ham (docs/checks.md).\n"
      "Entries apply to every site unless --site names one (the URL its keys are bound to).");

  auto site_option = [&](CLI::App* cmd, const std::string& help) {
    cmd->add_option("--site", args->site, help);
  };

  auto* show =
      lists->add_subcommand("show",
                            "The entries in force (stored and from the list files)\n"
                            "Example: hamlet lists show block --site https://blog.example.org/");
  show->add_option("list", args->list, "allow or block (default: both)");
  site_option(show, "only this site's entries and every site's (default: all)");
  show->add_option("--kind", args->kind, "only entries of this kind");
  show->add_flag("--json", args->json, "print a JSON array");
  show->callback([&ctx, args] { Show(ctx, *args); });

  auto* add = lists->add_subcommand(
      "add",
      "Add an entry\nExample: hamlet lists add block ip 203.0.113.0/24 --note 'spam wave'\n"
      "         hamlet lists add allow email_domain staff.example.org --site "
      "https://blog.example.org/");
  add->add_option("list", args->list, "allow or block")->required();
  add->add_option("kind", args->kind, "ip, email, email_domain, url_domain, word or regex")
      ->required();
  add->add_option("value", args->value, "the address, network, domain, word(s) or pattern")
      ->required();
  site_option(add, "the site it applies to (default: every site)");
  add->add_option("--note", args->note, "why (shown in the reason a moderator reads)");
  add->add_option("--by", args->by, "who adds it (default: $USER)");
  add->callback([&ctx, args] { Add(ctx, *args); });

  auto* remove = lists->add_subcommand(
      "remove", "Remove an entry\nExample: hamlet lists remove block ip 203.0.113.0/24");
  remove->add_option("list", args->list, "allow or block")->required();
  remove->add_option("kind", args->kind, "the entry's kind")->required();
  remove->add_option("value", args->value, "the entry's value")->required();
  site_option(remove, "the site it was added for (default: every site)");
  remove->callback([&ctx, args] { Remove(ctx, *args); });

  auto* import = lists->add_subcommand(
      "import",
      "Add every entry of a list file (lines 'KIND VALUE', '#' comments); a file with a bad "
      "line adds nothing\nExample: hamlet lists import block spammers.txt --note 'from forum'");
  import->add_option("list", args->list, "allow or block")->required();
  import->add_option("file", args->file, "the file, or - for standard input")->required();
  site_option(import, "the site they apply to (default: every site)");
  import->add_option("--note", args->note, "why, for every entry");
  import->add_option("--by", args->by, "who adds them (default: $USER)");
  import->callback([&ctx, args] { Import(ctx, *args);
});

auto* export_cmd =
    lists->add_subcommand("export",
                          "Print stored entries as a list file (import reads it back) or JSON\n"
                          "Example: hamlet lists export block > block-backup.txt");
export_cmd->add_option("list", args->list, "allow or block (default: both)");
site_option(export_cmd, "this site's own entries (default: those for every site)");
export_cmd->add_flag("--json", args->json, "print a JSON array with notes and authors");
export_cmd->callback([&ctx, args] { Export(ctx, *args); });
}  // namespace hamlet::cli

}  // namespace hamlet::cli
