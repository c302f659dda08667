// WebhookPolicy: when a webhook event is tried again and when it is given up, as pure
// functions of the attempts made, so the schedule can be tested without a clock or a network.
#pragma once

#include <cstdint>
#include <optional>

#include "core/status.h"

namespace hamlet::engine {

struct WebhookPolicy {
  int64_t retry_base_ms = 30'000;              // the delay after the first failed attempt
  int64_t retry_max_delay_ms = 4 * 3'600'000;  // no single delay grows past this
  int max_attempts = 15;                       // then the event is failed (about a day)
  // A worker's claim on an event; longer than one attempt can take (the sender's connect,
  // write and read timeouts), so a live worker never loses its claim mid-attempt.
  int64_t lease_ms = 60'000;
  int64_t keep_delivered_ms = 30LL * 24 * 3'600'000;  // delivered events are pruned after this

  // InvalidArgument unless every field is positive and retry_base_ms <= retry_max_delay_ms.
  core::Status Validate() const;
};

// The delay before the next attempt after `attempts_made` (>= 1) attempts that failed:
// retry_base_ms * 2^(attempts_made - 1), capped at retry_max_delay_ms, times a jitter
// 0.5 + unit_random / 2 (unit_random in [0, 1)): retries of many events spread out, yet none
// comes sooner than half its step. nullopt once attempts_made >= max_attempts: give up.
std::optional<int64_t> RetryDelayMs(const WebhookPolicy& policy, int attempts_made,
                                    double unit_random);

// True for the answers that count as delivered: 2xx. Everything else (3xx included: a webhook
// is not followed across redirects) is retried.
constexpr bool IsDeliveredStatus(int http_status) {
  return http_status >= 200 && http_status < 300;
}

}  // namespace hamlet::engine
