// One retention pass, and its log line.
#include "app/retention_worker.h"

#include <spdlog/spdlog.h>

namespace hamlet::app {

RetentionWorker::RetentionWorker(const engine::Retention& retention, int64_t retention_ms,
                                 std::chrono::milliseconds interval)
    : retention_(retention),
      retention_ms_(retention_ms),
      task_(interval, [this](const std::function<bool()>& stopping) { Pass(stopping); }) {}

void RetentionWorker::Pass(const std::function<bool()>& stopping) const {
  auto purged = retention_.Purge(retention_ms_, engine::Retention::kBatchRows,
                                 [&stopping] { return !stopping(); });
  if (!purged) {
    // Unavailable (a locked or full database) is retried at the next pass.
    spdlog::warn("retention: purge failed: {}", purged.error().ToString());
  } else if (purged->decisions + purged->feedback + purged->actions + purged->webhook_events > 0) {
    spdlog::info(
        "retention: blanked personal fields of {} decisions, {} feedback rows, {} moderator "
        "actions and deleted {} finished webhook events older than {} s",
        purged->decisions, purged->feedback, purged->actions, purged->webhook_events,
        retention_ms_ / 1000);
  }
}

}  // namespace hamlet::app
