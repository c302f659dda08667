// `hamlet queue`: flagged decisions (spam, discard, uncertain), newest first.
#include <iomanip>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/terminal_text.h"

namespace hamlet::cli {
namespace {

struct QueueArgs {
  int limit = 20;
  int offset = 0;
  bool unreviewed = false;
  bool json = false;
};

void Run(Context& ctx, const QueueArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto items = (*services)->moderation->Queue(args.limit, args.offset, args.unreviewed);
  if (!items) return ctx.Fail(items.error());
  if (args.json) {
    auto out = nlohmann::json::array();
    for (const auto& r : *items) out.push_back(DecisionToJson(r));
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  if (items->empty()) {
    *ctx.out << "The queue is empty.\n";
    return;
  }
  *ctx.out << std::left << std::setw(34) << "ID" << std::setw(22) << "TIME" << std::setw(9)
           << "VERDICT" << std::setw(7) << "SCORE" << std::setw(7) << "MOD" << "AUTHOR: COMMENT\n";
  for (const auto& r : *items) {
    std::ostringstream score;
    score << std::fixed << std::setprecision(3) << r.decision.score;
    *ctx.out << std::left << std::setw(34) << r.id << std::setw(22) << FormatTime(r.created_ms)
             << std::setw(9) << VerdictLabel(r.decision) << std::setw(7) << score.str()
             << std::setw(7) << r.feedback_label.value_or("-")
             << Snippet(r.comment.comment_author, 20) << ": "
             << Snippet(r.comment.comment_content, 60) << "\n";
  }
  *ctx.out << items->size() << " shown (offset " << args.offset
           << "). `hamlet show ID` for details, `hamlet mark-spam|mark-ham ID` to judge.\n";
}

}  // namespace

void RegisterQueue(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<QueueArgs>();
  auto* cmd = app.add_subcommand(
      "queue",
      "List flagged decisions (spam, discard, uncertain), newest first\n"
      "Example: hamlet --db hamlet.db queue --unreviewed --limit 50");
  cmd->add_option("--limit", args->limit, "how many to list")->check(CLI::Range(1, 10000));
  cmd->add_option("--offset", args->offset, "skip this many (paging)")->check(CLI::NonNegativeNumber);
  cmd->add_flag("--unreviewed", args->unreviewed, "only decisions no moderator has judged");
  cmd->add_flag("--json", args->json, "print a JSON array");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
