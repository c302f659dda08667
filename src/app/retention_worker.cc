// One retention pass (purge, then delete), and its log lines.
#include "app/retention_worker.h"

#include <spdlog/spdlog.h>

namespace hamlet::app {

RetentionWorker::RetentionWorker(const engine::Retention& retention,
                                 std::optional<int64_t> retention_ms,
                                 std::chrono::milliseconds interval,
                                 std::optional<int64_t> delete_ms)
    : retention_(retention),
      retention_ms_(retention_ms),
      delete_ms_(delete_ms),
      task_(interval, [this](const std::function<bool()>& stopping) { Pass(stopping); }) {}

void RetentionWorker::Pass(const std::function<bool()>& stopping) const {
  const auto keep_going = [&stopping] { return !stopping(); };
  if (retention_ms_) {
    auto purged = retention_.Purge(*retention_ms_, engine::Retention::kBatchRows, keep_going);
    if (!purged) {
      // Unavailable (a locked or full database) is retried at the next pass.
      spdlog::warn("retention: purge failed: {}", purged.error().ToString());
    } else if (purged->decisions + purged->feedback + purged->actions + purged->webhook_events >
               0) {
      spdlog::info(
          "retention: blanked personal fields of {} decisions, {} feedback rows, {} moderator "
          "actions and deleted {} finished webhook events older than {} s",
          purged->decisions, purged->feedback, purged->actions, purged->webhook_events,
          *retention_ms_ / 1000);
    }
  }
  if (delete_ms_ && !stopping()) {
    auto deleted = retention_.Delete(*delete_ms_, engine::Retention::kBatchRows, keep_going);
    if (!deleted) {
      spdlog::warn("retention: deleting old decisions failed: {}", deleted.error().ToString());
    } else if (deleted->decisions + deleted->feedback + deleted->actions + deleted->webhook_events >
               0) {
      spdlog::info(
          "retention: deleted {} decisions, {} feedback rows, {} moderator actions and {} "
          "webhook events older than {} s (their counts are kept per day)",
          deleted->decisions, deleted->feedback, deleted->actions, deleted->webhook_events,
          *delete_ms_ / 1000);
    }
  }
}

}  // namespace hamlet::app
