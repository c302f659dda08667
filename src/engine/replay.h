// Replay: stored decisions re-scored by another model (Filter::Score, which stores nothing),
// to see which verdicts a candidate would change before it is served.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/decision.h"
#include "core/status.h"
#include "engine/filter.h"
#include "store/store.h"

namespace hamlet::engine {

struct ReplayOptions {
  std::optional<int64_t> since_ms;  // only decisions created at or after this
  int64_t until_ms = 0;             // and before this (the start of the replay), > 0
  int limit = 1000;                 // at most this many decisions scanned, newest first
  int page_size = 500;              // decisions read from the store at a time
};

struct ReplayChange {
  store::DecisionRecord stored;  // the decision as it was answered (feedback_label included)
  core::Decision replayed;       // what the candidate says now
};

struct ReplaySummary {
  long scanned = 0, changed = 0;
  long ham_to_spam = 0;  // stored ham, now spam or discard
  long spam_to_ham = 0;  // stored spam or discard, now ham
  long tests = 0;        // scanned decisions whose comment was a test (is_test)
  // Among changed decisions with a moderator's label: how many each verdict gets right.
  long labeled_changed = 0, replayed_right = 0, stored_right = 0;
};

struct ReplayReport {
  std::vector<ReplayChange> changes;  // newest first
  ReplaySummary summary;
};

// Re-scores first checks (rechecks are skipped) newest first within the window, tests
// included, and keeps those whose verdict differs. Errors: the store's and the filter's.
core::Result<ReplayReport> Replay(store::Store& store, const Filter& candidate,
                                  const ReplayOptions& options);

}  // namespace hamlet::engine
