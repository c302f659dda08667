// PeriodicTask: a thread that runs one job at start and then every `interval` until stopped.
// hamletd's background upkeep (retention, the text index) runs this way, off the check path.
//
// Thread-safety: Stop() may be called from any thread; the destructor stops.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace hamlet::app {

class PeriodicTask {
 public:
  // Starts the thread. `job` is called with a function that answers true once Stop() was
  // called, so a long job can end early. REQUIRES: interval > 0.
  using Job = std::function<void(const std::function<bool()>& stopping)>;
  PeriodicTask(std::chrono::milliseconds interval, Job job);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Wakes the thread, lets a running job finish, and joins. Idempotent.
  void Stop();
  // Runs of the job completed so far.
  uint64_t runs() const { return runs_.load(); }

 private:
  void Run();

  const std::chrono::milliseconds interval_;
  const Job job_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::atomic<bool> stop_requested_{false};
  std::atomic<uint64_t> runs_{0};
  std::thread thread_;  // last: started once everything above is ready
};

}  // namespace hamlet::app
