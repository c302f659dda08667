// RequestGuard: hamletd's request rate limits (per client address, per key) and the
// slowing-down of failed key guesses (per client address), with the counts /metrics shows.
// Policy only: the handlers decide what a refused request is answered (429 + Retry-After).
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

#include "http/token_buckets.h"

namespace hamlet::http {

struct GuardOptions {
  // Requests per second from one client address (IPv4, or IPv6 /64) to the rate-limited
  // endpoints (all but /healthz, /readyz, /metrics), with bursts of twice that.
  RateLimit per_ip{200, 400};
  // Authenticated requests per second with one key.
  RateLimit per_key{100, 200};
  // Failed key checks (unknown, malformed or revoked keys) one client address may make:
  // `burst` at once, then one every 1 / per_second seconds; meanwhile every key check from
  // that address is refused without looking at the key.
  RateLimit auth_failures{10.0 / 60.0, 10};
};

struct GuardStats {
  uint64_t limited_ip = 0;     // refused: the address's rate
  uint64_t limited_key = 0;    // refused: the key's rate
  uint64_t auth_failures = 0;  // failed key checks
  uint64_t auth_refused = 0;   // key checks refused while the address was locked out
};

// Thread-safety: all methods may be called concurrently.
class RequestGuard {
 public:
  explicit RequestGuard(GuardOptions options);

  // Each returns 0 to go on, or the seconds to wait (for Retry-After) when refused.
  // A request from `ip` (counts against its rate).
  int AdmitAddress(std::string_view ip);
  // An authenticated request with key `key_id` (counts against its rate).
  int AdmitKey(int64_t key_id);
  // Before checking a key sent from `ip`: refused while `ip` has used up its failures.
  int AdmitKeyCheck(std::string_view ip);
  // A key sent from `ip` was wrong.
  void KeyCheckFailed(std::string_view ip);

  GuardStats Stats() const;
  const GuardOptions& options() const { return options_; }

 private:
  const GuardOptions options_;
  TokenBuckets per_ip_;
  TokenBuckets per_key_;
  TokenBuckets failures_;
  std::atomic<uint64_t> limited_ip_{0};
  std::atomic<uint64_t> limited_key_{0};
  std::atomic<uint64_t> auth_failures_{0};
  std::atomic<uint64_t> auth_refused_{0};
};

}  // namespace hamlet::http
