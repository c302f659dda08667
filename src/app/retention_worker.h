// RetentionWorker: hamletd's retention policy applied by itself. A thread of its own purges the
// personal fields of everything older than the retention period and deletes the decisions
// older than the deletion period, keeping their counts (engine::Retention), once at start and
// then every `interval`, in short transactions, so checks are never held up for long; each
// pass that changed something is logged with its counts.
//
// Thread-safety: Stop() may be called from any thread; the destructor stops.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "app/periodic_task.h"
#include "engine/retention.h"

namespace hamlet::app {

class RetentionWorker {
 public:
  // Starts the thread. `retention` must outlive the worker. nullopt turns a step off.
  // REQUIRES: retention_ms > 0 when set, delete_ms >= Retention::kMinDeleteAgeMs when set,
  // interval > 0.
  RetentionWorker(const engine::Retention& retention, std::optional<int64_t> retention_ms,
                  std::chrono::milliseconds interval, std::optional<int64_t> delete_ms = {});

  // Wakes the thread, lets a running batch finish, and joins. Idempotent.
  void Stop() { task_.Stop(); }
  // Passes completed so far (each one purges and deletes until nothing old is left).
  uint64_t passes() const { return task_.runs(); }

 private:
  void Pass(const std::function<bool()>& stopping) const;

  const engine::Retention& retention_;
  const std::optional<int64_t> retention_ms_;
  const std::optional<int64_t> delete_ms_;
  PeriodicTask task_;  // last: started once everything above is ready
};

}  // namespace hamlet::app
