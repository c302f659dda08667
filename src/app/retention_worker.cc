// The background purge loop.
#include "app/retention_worker.h"

#include <spdlog/spdlog.h>

namespace hamlet::app {

RetentionWorker::RetentionWorker(const engine::Retention& retention, int64_t retention_ms,
                                 std::chrono::milliseconds interval)
    : retention_(retention),
      retention_ms_(retention_ms),
      interval_(interval),
      thread_([this] { Run(); }) {}

RetentionWorker::~RetentionWorker() { Stop(); }

void RetentionWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_requested_ = true;
  wake_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void RetentionWorker::Run() {
  for (;;) {
    auto purged = retention_.Purge(retention_ms_, engine::Retention::kBatchRows,
                                   [this] { return !stop_requested_.load(); });
    if (!purged) {
      // Unavailable (a locked or full database) is retried at the next pass.
      spdlog::warn("retention: purge failed: {}", purged.error().ToString());
    } else if (purged->decisions + purged->feedback + purged->actions + purged->webhook_events >
               0) {
      spdlog::info(
          "retention: blanked personal fields of {} decisions, {} feedback rows, {} moderator "
          "actions and deleted {} finished webhook events older than {} s",
          purged->decisions, purged->feedback, purged->actions, purged->webhook_events,
          retention_ms_ / 1000);
    }
    passes_.fetch_add(1);
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) return;
  }
}

}  // namespace hamlet::app
