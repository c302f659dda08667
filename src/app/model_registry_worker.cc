// One poll of the model registry, and its log line.
#include "app/model_registry_worker.h"

#include <spdlog/spdlog.h>

namespace hamlet::app {

ModelRegistryWorker::ModelRegistryWorker(ModelRegistrySync& sync,
                                         std::chrono::milliseconds interval)
    : sync_(sync), task_(interval, [this](const std::function<bool()>&) { PollOnce(); }) {}

void ModelRegistryWorker::PollOnce() {
  auto poll = sync_.Poll();
  if (!poll) {
    // Retried at the next poll; logged once per run of failures, not every interval.
    if (!last_poll_failed_) {
      spdlog::warn("model registry: poll failed (retrying every interval): {}",
                   poll.error().ToString());
    }
    last_poll_failed_ = true;
    return;
  }
  if (last_poll_failed_) spdlog::info("model registry: polling again");
  last_poll_failed_ = false;
  const store::PublishedModel& newest = poll->newest;
  switch (poll->outcome) {
    case RegistryPoll::Outcome::kReloaded:
      spdlog::info(
          "model registry: now serving {} (published as {} by {}), was {} (reload {}, cached "
          "in '{}')",
          poll->reload.current, newest.id, newest.publisher, poll->reload.previous,
          poll->reload.reloads, sync_.cache_dir().string());
      break;
    case RegistryPoll::Outcome::kRefused:
      spdlog::error(
          "model registry: published model {} ({} by {}) refused, the model in "
          "service stays: {}",
          newest.id, newest.version, newest.publisher, poll->why);
      break;
    case RegistryPoll::Outcome::kEmpty:
    case RegistryPoll::Outcome::kCurrent:
    case RegistryPoll::Outcome::kRefusedBefore:
      break;
  }
}

}  // namespace hamlet::app
