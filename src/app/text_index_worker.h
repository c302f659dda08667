// TextIndexWorker: keeps the store's text index (what `hamlet queue --text` searches) up to
// date in hamletd. Decisions are only queued for indexing when they are stored, which keeps
// the check path's commits small; this thread indexes what waits every 200 ms, a short
// transaction at a time with a pause between them (the group commit needs the same write
// lock). A failure (a locked or full database) is logged once and retried.
//
// Thread-safety: Stop() may be called from any thread; the destructor stops.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include "app/periodic_task.h"
#include "store/store.h"

namespace hamlet::app {

class TextIndexWorker {
 public:
  // Decisions indexed per transaction: short enough that a waiting group commit is held up
  // for a few milliseconds at most.
  static constexpr int kBatchRows = 50;

  // Starts the thread. `store` must outlive the worker. REQUIRES: interval > 0.
  TextIndexWorker(store::Store& store, std::chrono::milliseconds interval);

  // Wakes the thread, lets a running batch finish, and joins. Idempotent.
  void Stop() { task_.Stop(); }
  // Decisions indexed so far.
  int64_t indexed() const { return indexed_.load(); }

 private:
  void Pass(const std::function<bool()>& stopping);

  store::Store& store_;
  std::atomic<int64_t> indexed_{0};
  bool failing_ = false;  // only touched by the task's thread
  PeriodicTask task_;     // last: started once everything above is ready
};

}  // namespace hamlet::app
