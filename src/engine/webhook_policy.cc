// The webhook retry schedule.
#include "engine/webhook_policy.h"

#include <algorithm>
#include <cmath>

namespace hamlet::engine {

core::Status WebhookPolicy::Validate() const {
  if (retry_base_ms <= 0 || retry_max_delay_ms <= 0 || max_attempts <= 0 || lease_ms <= 0 ||
      keep_delivered_ms <= 0 || retry_base_ms > retry_max_delay_ms) {
    return core::Status::InvalidArgument(
        "webhook policy: delays, attempts, lease and retention must be > 0, and the base "
        "delay no larger than the largest");
  }
  return core::Status::Ok();
}

std::optional<int64_t> RetryDelayMs(const WebhookPolicy& policy, int attempts_made,
                                    double unit_random) {
  if (attempts_made >= policy.max_attempts) return std::nullopt;
  const int doublings = std::clamp(attempts_made - 1, 0, 62);
  // Doubling in floating point cannot overflow; the cap applies before the conversion back.
  const double step =
      std::min(static_cast<double>(policy.retry_base_ms) * std::ldexp(1.0, doublings),
               static_cast<double>(policy.retry_max_delay_ms));
  const double jitter = 0.5 + std::clamp(unit_random, 0.0, 1.0) / 2.0;
  return std::max<int64_t>(1, static_cast<int64_t>(step * jitter));
}

}  // namespace hamlet::engine
