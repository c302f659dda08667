// `hamlet queue`: decisions to moderate, filtered (site, verdict, label, score, dates, text,
// author, e-mail, IP, domain) and paged; flagged ones (spam, discard, uncertain), newest first,
// unless told otherwise.
#include <iomanip>
#include <sstream>

#include "cli/command.h"
#include "cli/filter_args.h"
#include "cli/format.h"
#include "cli/terminal_text.h"

namespace hamlet::cli {
namespace {

struct QueueArgs {
  FilterArgs filter;
  int limit = 20;
  int offset = 0;
  int page = 0;
  bool json = false;
};

const FilterDefaults kDefaults{};

void Run(Context& ctx, const QueueArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto query = ToQuery(args.filter, kDefaults, (*services)->clock.NowMillis());
  if (!query) return ctx.Fail(query.error());
  query->filter.limit = args.limit;
  query->filter.offset = args.page > 0 ? (args.page - 1) * args.limit : args.offset;
  auto page = (*services)->moderation->List(*query);
  if (!page) return ctx.Fail(page.error());
  const int64_t first = query->filter.offset + 1;
  const int64_t last = query->filter.offset + static_cast<int64_t>(page->items.size());
  if (args.json) {
    auto items = nlohmann::json::array();
    for (const auto& r : page->items) items.push_back(DecisionToJson(r));
    nlohmann::json out = {{"total", page->total},
                          {"offset", query->filter.offset},
                          {"limit", args.limit},
                          {"items", items}};
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  if (page->items.empty()) {
    *ctx.out << (page->total == 0 ? "Nothing matches." : "No more: the page is past the end.")
             << " (" << page->total << " in all)\n";
    return;
  }
  *ctx.out << std::left << std::setw(34) << "ID" << std::setw(22) << "TIME" << std::setw(9)
           << "VERDICT" << std::setw(7) << "SCORE" << std::setw(7) << "LABEL"
           << "AUTHOR: COMMENT\n";
  for (const auto& r : page->items) {
    std::ostringstream score;
    score << std::fixed << std::setprecision(3) << r.decision.score;
    *ctx.out << std::left << std::setw(34) << r.id << std::setw(22) << FormatTime(r.created_ms)
             << std::setw(9) << VerdictLabel(r.decision) << std::setw(7) << score.str()
             << std::setw(7) << r.feedback_label.value_or("-")
             << Snippet(r.comment.comment_author, 20) << ": "
             << (r.purged_ms ? "(purged)" : Snippet(r.comment.comment_content, 60)) << "\n";
  }
  *ctx.out << first << "-" << last << " of " << page->total;
  if (last < page->total) {
    *ctx.out << " (next: --page " << (query->filter.offset / args.limit) + 2 << ")";
  }
  *ctx.out << ". `hamlet show ID` for details, `hamlet review` to judge them one by one.\n";
}

}  // namespace

void RegisterQueue(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<QueueArgs>();
  auto* cmd = app.add_subcommand(
      "queue",
      "List decisions to moderate: flagged ones (spam, discard, uncertain), newest first\n"
      "Example: hamlet queue --unreviewed --site https://blog.example/ --text \"cheap pills\"\n"
      "         hamlet queue --verdict ham --label spam --since 7d --json   (spam the filter "
      "missed)");
  AddFilterOptions(cmd, args->filter, kDefaults);
  cmd->add_option("--limit", args->limit, "how many per page")->check(CLI::Range(1, 10000));
  auto* offset =
      cmd->add_option("--offset", args->offset, "skip this many")->check(CLI::NonNegativeNumber);
  cmd->add_option("--page", args->page, "page number (1 is the first), --limit per page")
      ->check(CLI::PositiveNumber)
      ->excludes(offset);
  cmd->add_flag("--json", args->json,
                "print {\"total\", \"offset\", \"limit\", \"items\": [decision, ...]}");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
