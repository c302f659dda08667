// ModelRegistryWorker: hamletd's poll of the model registry. A thread of its own runs
// ModelRegistrySync::Poll once at start and then every interval, and logs what changed: a
// version taken into service, a publication refused (once), a poll that failed.
//
// Thread-safety: Stop() may be called from any thread; the destructor stops.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "app/model_registry.h"
#include "app/periodic_task.h"

namespace hamlet::app {

class ModelRegistryWorker {
 public:
  // Starts the thread. `sync` must outlive the worker. REQUIRES: interval > 0.
  ModelRegistryWorker(ModelRegistrySync& sync, std::chrono::milliseconds interval);

  // Wakes the thread, lets a running poll finish, and joins. Idempotent.
  void Stop() { task_.Stop(); }
  // Polls completed so far.
  uint64_t polls() const { return task_.runs(); }

 private:
  void PollOnce();

  ModelRegistrySync& sync_;
  bool last_poll_failed_ = false;  // only the poll thread touches it
  PeriodicTask task_;              // last: started once everything above is ready
};

}  // namespace hamlet::app
