// Retention: the privacy policy on stored comments. Decisions and feedback older than the
// retention period lose their personal fields (IP, e-mail, author name and URL, user agent,
// referrer, content, raw fields); the rows, verdicts, labels and reasons' check names stay, so
// every count (Akismet's get-stats, `hamlet stats`) stays. A second, longer period deletes the
// rows themselves, keeping their counts per day (store::DeletedCount), so the decision log is
// bounded in rows too. Used by `hamlet purge` and by hamletd's background retention.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace hamlet::engine {

class Retention {
 public:
  // Rows per purge transaction: small enough that a check waiting for the writer is held up
  // for milliseconds, not seconds.
  static constexpr int kBatchRows = 500;

  Retention(store::Store& store, const core::Clock& clock);

  // Blanks the personal fields of everything created more than `older_than_ms` ago, in short
  // transactions of `batch_rows`, until nothing is left or `keep_going` (asked between
  // batches) returns false. Returns the rows purged. InvalidArgument when older_than_ms < 0
  // or batch_rows < 1.
  core::Result<store::PurgeCounts> Purge(int64_t older_than_ms, int batch_rows = kBatchRows,
                                         const std::function<bool()>& keep_going = {}) const;
  // What Purge(older_than_ms) would blank now; changes nothing.
  core::Result<store::PurgeCounts> Preview(int64_t older_than_ms) const;

  // The shortest deletion age: a whole UTC day (days are deleted whole) plus one, so the
  // deletion never reaches what was checked today or yesterday.
  static constexpr int64_t kMinDeleteAgeMs = 2LL * 24 * 3600 * 1000;

  // Deletes the decisions (with their feedback and webhook events) of every UTC day that ended
  // more than `older_than_ms` ago, keeping their counts (Store::DeleteOldDecisions), in short
  // transactions of `batch_rows`, until nothing is left or `keep_going` returns false.
  // InvalidArgument when older_than_ms < kMinDeleteAgeMs or batch_rows < 1.
  core::Result<store::DeleteCounts> Delete(int64_t older_than_ms, int batch_rows = kBatchRows,
                                           const std::function<bool()>& keep_going = {}) const;
  // About what Delete(older_than_ms) would delete now; changes nothing.
  core::Result<store::DeleteCounts> PreviewDelete(int64_t older_than_ms) const;

 private:
  store::Store& store_;
  const core::Clock& clock_;
};

}  // namespace hamlet::engine
