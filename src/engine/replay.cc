// Replay: page through the decision log newest first and re-score each comment.
#include "engine/replay.h"

#include <algorithm>
#include <utility>

namespace hamlet::engine {

core::Result<ReplayReport> Replay(store::Store& store, const Filter& candidate,
                                  const ReplayOptions& options) {
  if (options.limit < 0 || options.page_size <= 0) {
    return core::Status::InvalidArgument("replay: limit must not be negative");
  }
  ReplayReport report;
  store::DecisionFilter filter;
  filter.first_checks_only = true;
  filter.since_ms = options.since_ms;
  // A fixed end, so decisions answered while this runs do not shift the pages.
  filter.until_ms = options.until_ms;
  while (report.summary.scanned < options.limit) {
    filter.limit = static_cast<int>(
        std::min<long>(options.page_size, options.limit - report.summary.scanned));
    filter.offset = static_cast<int>(report.summary.scanned);
    auto page = store.ListDecisions(filter);
    if (!page) return page.error();
    for (store::DecisionRecord& stored : *page) {
      ++report.summary.scanned;
      if (stored.comment.is_test) ++report.summary.tests;
      auto replayed = candidate.Score(stored.comment);
      if (!replayed) return replayed.error();
      if (replayed->verdict == stored.decision.verdict) continue;
      ReplaySummary& s = report.summary;
      ++s.changed;
      const bool was_spam = core::IsSpamVerdict(stored.decision.verdict);
      const bool is_spam = core::IsSpamVerdict(replayed->verdict);
      if (!was_spam && is_spam) ++s.ham_to_spam;
      if (was_spam && !is_spam) ++s.spam_to_ham;
      if (stored.feedback_label) {
        const bool labeled_spam = *stored.feedback_label == "spam";
        ++s.labeled_changed;
        if (is_spam == labeled_spam) ++s.replayed_right;
        if (was_spam == labeled_spam) ++s.stored_right;
      }
      report.changes.push_back({std::move(stored), std::move(replayed).value()});
    }
    if (static_cast<int>(page->size()) < filter.limit) break;
  }
  return report;
}

}  // namespace hamlet::engine
