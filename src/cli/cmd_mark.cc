// `hamlet mark-spam` / `hamlet mark-ham`: a moderator's verdict on decisions named by id, or on
// every decision a filter selects (with --dry-run first to see what it would change). Each run
// is one recorded moderator action (who, when, what), undone by `hamlet undo`.
#include <iomanip>

#include "cli/command.h"
#include "cli/filter_args.h"
#include "cli/format.h"
#include "cli/terminal_text.h"

namespace hamlet::cli {
namespace {

struct MarkArgs {
  std::vector<std::string> ids;
  FilterArgs filter;
  std::string moderator;
  bool dry_run = false;
  bool json = false;
  int max_items = 1000;
};

const FilterDefaults kDefaults{};

nlohmann::json PlanToJson(const engine::ActionPlan& plan) {
  auto ids = [](const std::vector<store::DecisionRecord>& records) {
    auto out = nlohmann::json::array();
    for (const auto& r : records) out.push_back(r.id);
    return out;
  };
  return {{"label", std::string(engine::LabelName(plan.label))},
          {"to_change", ids(plan.to_change)},
          {"unchanged", ids(plan.unchanged)}};
}

void PrintPlan(std::ostream& out, const engine::ActionPlan& plan) {
  for (const auto& r : plan.to_change) {
    out << "  " << r.id << "  " << std::left << std::setw(8) << VerdictLabel(r.decision)
        << std::setw(6) << r.feedback_label.value_or("-") << Snippet(r.comment.comment_author, 16)
        << ": " << Snippet(r.comment.comment_content, 50) << "\n";
  }
}

void Run(Context& ctx, const MarkArgs& args, engine::Label label) {
  const bool by_filter = HasSelection(args.filter);
  if (by_filter == !args.ids.empty()) {
    return ctx.Fail(core::Status::InvalidArgument(
        by_filter ? "give decision ids or filter options, not both"
                  : "name the decisions: ids, or filter options such as --text or --filter "
                    "(see --help)"));
  }
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  const auto& actions = *(*services)->actions;
  core::Result<engine::ActionPlan> plan = core::Status::Internal("no plan");
  std::string selection;
  if (by_filter) {
    auto query = ToQuery(args.filter, kDefaults, (*services)->clock.NowMillis());
    if (!query) return ctx.Fail(query.error());
    plan = actions.PlanForQuery(*query, label, args.max_items);
    selection = DescribeFilter(args.filter);
  } else {
    plan = actions.PlanForIds(args.ids, label);
    for (const auto& id : args.ids) selection += (selection.empty() ? "" : " ") + id;
  }
  if (!plan) return ctx.Fail(plan.error());
  const std::string name(engine::LabelName(label));

  if (args.dry_run) {
    if (args.json) {
      auto out = PlanToJson(*plan);
      out["dry_run"] = true;
      *ctx.out << DumpJson(out) << "\n";
      return;
    }
    *ctx.out << "Dry run: would mark " << plan->to_change.size() << " decision(s) as " << name;
    if (!plan->unchanged.empty())
      *ctx.out << " (" << plan->unchanged.size() << " already " << name << ")";
    *ctx.out << ":\n";
    PrintPlan(*ctx.out, *plan);
    *ctx.out << "Nothing was changed. Run it again without --dry-run to apply.\n";
    return;
  }
  auto action = actions.Apply(*plan, ResolveModerator(args.moderator), "mark", selection);
  if (!action) return ctx.Fail(action.error());
  if (args.json) {
    auto out = PlanToJson(*plan);
    out["dry_run"] = false;
    out["action"] = action->id == 0 ? nlohmann::json() : ActionToJson(*action);
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  if (action->id == 0) {
    *ctx.out << "Nothing to change: " << plan->unchanged.size() << " decision(s) already " << name
             << ".\n";
    return;
  }
  *ctx.out << "Marked " << action->item_count << " decision(s) as " << name << " (action "
           << action->id << " by " << ForTerminal(action->moderator) << ")";
  if (!plan->unchanged.empty()) *ctx.out << "; " << plan->unchanged.size() << " already " << name;
  *ctx.out << ". `hamlet undo` takes it back.\n";
}

void AddMark(CLI::App& app, Context& ctx, const char* name, engine::Label label,
             const char* help) {
  auto args = std::make_shared<MarkArgs>();
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("ids", args->ids, "decision ids (or select them with filter options)");
  AddFilterOptions(cmd, args->filter, kDefaults);
  cmd->add_option("--moderator", args->moderator, "who judged (default: $USER)");
  cmd->add_flag("--dry-run", args->dry_run, "list what would change; change nothing");
  cmd->add_flag("--json", args->json,
                "print {\"label\", \"to_change\": [ids], \"unchanged\": [ids], \"action\"}");
  cmd->add_option("--max-items", args->max_items,
                  "refuse a filter that selects more than this many decisions")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->callback([&ctx, args, label] { Run(ctx, *args, label); });
}

}  // namespace

void RegisterMark(CLI::App& app, Context& ctx) {
  AddMark(app, ctx, "mark-spam", engine::Label::kSpam,
          "Record that decisions are spam (one undoable action)\n"
          "Example: hamlet mark-spam ID --moderator alice\n"
          "         hamlet mark-spam --filter 'domain=pills.example verdict=any' --dry-run");
  AddMark(app, ctx, "mark-ham", engine::Label::kHam,
          "Record that decisions are not spam (one undoable action)\n"
          "Example: hamlet mark-ham ID --moderator alice\n"
          "         hamlet mark-ham --site https://blog.example/ --verdict uncertain --dry-run");
}

}  // namespace hamlet::cli
