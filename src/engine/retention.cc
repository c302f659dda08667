// The retention purge, in short batches.
#include "engine/retention.h"

namespace hamlet::engine {

Retention::Retention(store::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

core::Result<store::PurgeCounts> Retention::Purge(int64_t older_than_ms, int batch_rows,
                                                  const std::function<bool()>& keep_going) const {
  if (older_than_ms < 0) {
    return core::Status::InvalidArgument("purge: the age must not be negative");
  }
  if (batch_rows < 1) return core::Status::InvalidArgument("purge: batch_rows must be >= 1");
  const int64_t now = clock_.NowMillis();
  const int64_t before = now - older_than_ms;
  store::PurgeCounts total;
  for (;;) {
    auto batch = store_.PurgePersonalData(before, now, batch_rows);
    if (!batch) return batch.error();
    total.decisions += batch->decisions;
    total.feedback += batch->feedback;
    total.actions += batch->actions;
    total.webhook_events += batch->webhook_events;
    if (batch->decisions < batch_rows && batch->feedback < batch_rows &&
        batch->actions < batch_rows && batch->webhook_events < batch_rows) {
      return total;
    }
    if (keep_going && !keep_going()) return total;
  }
}

core::Result<store::PurgeCounts> Retention::Preview(int64_t older_than_ms) const {
  if (older_than_ms < 0) {
    return core::Status::InvalidArgument("purge: the age must not be negative");
  }
  return store_.CountPurgeable(clock_.NowMillis() - older_than_ms);
}

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// The first millisecond of the UTC day `older_than_ms` before now: days go whole, so a day's
// counts are either all rows or all in decision_days, never split.
core::Result<int64_t> DeleteCut(int64_t now_ms, int64_t older_than_ms) {
  if (older_than_ms < Retention::kMinDeleteAgeMs) {
    return core::Status::InvalidArgument("delete: the age must be at least 2d");
  }
  const int64_t cut = now_ms - older_than_ms;
  return cut - cut % kDayMs;
}

}  // namespace

core::Result<store::DeleteCounts> Retention::Delete(int64_t older_than_ms, int batch_rows,
                                                    const std::function<bool()>& keep_going) const {
  if (batch_rows < 1) return core::Status::InvalidArgument("delete: batch_rows must be >= 1");
  auto before = DeleteCut(clock_.NowMillis(), older_than_ms);
  if (!before) return before.error();
  store::DeleteCounts total;
  for (;;) {
    auto batch = store_.DeleteOldDecisions(*before, batch_rows);
    if (!batch) return batch.error();
    total.decisions += batch->decisions;
    total.feedback += batch->feedback;
    total.actions += batch->actions;
    total.webhook_events += batch->webhook_events;
    // A batch can delete fewer decisions than it took (some must stay a while), so go on
    // while it deleted any.
    if (batch->decisions == 0 && batch->feedback < batch_rows && batch->actions < batch_rows &&
        batch->webhook_events < batch_rows) {
      return total;
    }
    if (keep_going && !keep_going()) return total;
  }
}

core::Result<store::DeleteCounts> Retention::PreviewDelete(int64_t older_than_ms) const {
  auto before = DeleteCut(clock_.NowMillis(), older_than_ms);
  if (!before) return before.error();
  return store_.CountDeletable(*before);
}

}  // namespace hamlet::engine
