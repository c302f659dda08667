// RetentionWorker: hamletd's retention policy applied by itself. A thread of its own purges the
// personal fields of everything older than the retention period (engine::Retention) once at
// start and then every `interval`, in short transactions, so checks are never held up for
// long; each pass that purged something is logged with its counts.
//
// Thread-safety: Stop() may be called from any thread; the destructor stops.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "engine/retention.h"

namespace hamlet::app {

class RetentionWorker {
 public:
  // Starts the thread. `retention` must outlive the worker. REQUIRES: retention_ms > 0,
  // interval > 0.
  RetentionWorker(const engine::Retention& retention, int64_t retention_ms,
                  std::chrono::milliseconds interval);
  ~RetentionWorker();
  RetentionWorker(const RetentionWorker&) = delete;
  RetentionWorker& operator=(const RetentionWorker&) = delete;

  // Wakes the thread, lets a running batch finish, and joins. Idempotent.
  void Stop();
  // Passes completed so far (each one purges until nothing old is left).
  uint64_t passes() const { return passes_.load(); }

 private:
  void Run();

  const engine::Retention& retention_;
  const int64_t retention_ms_;
  const std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::atomic<bool> stop_requested_{false};
  std::atomic<uint64_t> passes_{0};
  std::thread thread_;  // last: started once everything above is ready
};

}  // namespace hamlet::app
