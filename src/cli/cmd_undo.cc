// `hamlet undo`: takes back the last moderator action of this moderator (mark-spam, mark-ham,
// a verdict in review): its labels are revoked, so the label before it is in force again and
// retraining and statistics no longer count it. `--list` shows recent actions.
#include <iomanip>

#include "cli/command.h"
#include "cli/filter_args.h"
#include "cli/format.h"
#include "cli/terminal_text.h"

namespace hamlet::cli {
namespace {

struct UndoArgs {
  std::string moderator;
  bool anyone = false;
  int64_t action = 0;
  bool list = false;
  int limit = 20;
  bool json = false;
};

void List(Context& ctx, const UndoArgs& args, app::Services& services) {
  const std::string who = args.anyone ? "" : ResolveModerator(args.moderator);
  auto actions = services.actions->Recent(who, args.limit);
  if (!actions) return ctx.Fail(actions.error());
  if (args.json) {
    auto out = nlohmann::json::array();
    for (const auto& a : *actions) out.push_back(ActionToJson(a));
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  if (actions->empty()) {
    *ctx.out << "No moderator actions" << (who.empty() ? "" : " by " + ForTerminal(who)) << ".\n";
    return;
  }
  *ctx.out << std::left << std::setw(7) << "ACTION" << std::setw(22) << "TIME" << std::setw(12)
           << "MODERATOR" << std::setw(6) << "LABEL" << std::setw(7) << "ITEMS" << std::setw(10)
           << "STATE"
           << "SELECTION\n";
  for (const auto& a : *actions) {
    *ctx.out << std::left << std::setw(7) << a.id << std::setw(22) << FormatTime(a.created_ms)
             << std::setw(12) << Snippet(a.moderator, 11) << std::setw(6) << a.label << std::setw(7)
             << a.item_count << std::setw(10) << (a.undone() ? "undone" : "in force")
             << Snippet(a.selection, 60) << "\n";
  }
}

void Run(Context& ctx, const UndoArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  if (args.list) return List(ctx, args, **services);
  const std::string me = ResolveModerator(args.moderator);
  const auto& actions = *(*services)->actions;
  auto undone = args.action != 0 ? actions.Undo(args.action, me)
                                 : actions.UndoLast(args.anyone ? "" : me, me);
  if (!undone) return ctx.Fail(undone.error());
  const auto& a = undone->action;
  if (args.json) {
    auto out = ActionToJson(a);
    out["revoked"] = undone->revoked;
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  *ctx.out << "Undid action " << a.id << " of " << FormatTime(a.created_ms) << " by "
           << ForTerminal(a.moderator) << ": " << a.label << " on " << a.item_count
           << " decision(s)";
  if (!a.selection.empty()) *ctx.out << " (" << Snippet(a.selection, 80) << ")";
  *ctx.out << ". " << undone->revoked
           << " label(s) revoked; the labels before it are in force again.\n";
}

}  // namespace

void RegisterUndo(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<UndoArgs>();
  auto* cmd =
      app.add_subcommand("undo",
                         "Undo your last moderator action (mark-spam, mark-ham, a review verdict)\n"
                         "Example: hamlet undo --moderator alice\n"
                         "         hamlet undo --list --json");
  cmd->add_option("--moderator", args->moderator, "whose last action (default: $USER)");
  cmd->add_flag("--anyone", args->anyone, "the last action of any moderator");
  cmd->add_option("--action", args->action, "undo this action id instead of the last")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("--list", args->list, "list recent actions (yours; everyone's with --anyone)");
  cmd->add_option("--limit", args->limit, "how many --list shows")->check(CLI::Range(1, 10000));
  cmd->add_flag("--json", args->json, "print JSON");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
