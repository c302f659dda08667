// The loop behind PeriodicTask.
#include "app/periodic_task.h"

#include <utility>

namespace hamlet::app {

PeriodicTask::PeriodicTask(std::chrono::milliseconds interval, Job job)
    : interval_(interval), job_(std::move(job)), thread_([this] { Run(); }) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_requested_ = true;
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void PeriodicTask::Run() {
  const std::function<bool()> stopping = [this] { return stop_requested_.load(); };
  for (;;) {
    job_(stopping);
    runs_.fetch_add(1);
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace hamlet::app
