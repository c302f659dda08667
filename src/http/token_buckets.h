// TokenBuckets: one token bucket per name (a client address, a key id), for rate limits and
// for slowing down failed key guesses. Pure bookkeeping: the caller passes the time.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace hamlet::http {

// `per_second` tokens are added per second, up to `burst`; a bucket starts full.
// per_second <= 0 turns the limit off.
struct RateLimit {
  double per_second = 0;
  double burst = 0;
  bool enabled() const { return per_second > 0; }
};

// Thread-safety: all methods may be called concurrently.
class TokenBuckets {
 public:
  using Clock = std::chrono::steady_clock;

  // At most about `max_names` buckets are kept; when more are needed, buckets that have
  // refilled (their names are idle) are dropped first, and if every bucket is in use a new
  // name is let through untracked (the limit fails open rather than refusing everyone).
  explicit TokenBuckets(RateLimit limit, size_t max_names = 100'000);

  // Takes a token from `name`'s bucket: 0 when one was there, else the whole seconds until
  // one will be (>= 1, for Retry-After), and nothing is taken. Always 0 when disabled.
  int Take(std::string_view name, Clock::time_point now);
  // The seconds until `name` has a token, 0 when it has one now; takes nothing.
  int WaitSeconds(std::string_view name, Clock::time_point now);
  // Takes a token from `name` if there is one, else leaves it empty (for counting failures).
  void Drain(std::string_view name, Clock::time_point now);

  const RateLimit& limit() const { return limit_; }
  // Buckets held now (for tests of the memory bound).
  size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Bucket> buckets;
  };
  static constexpr size_t kShards = 16;

  Shard& ShardFor(std::string_view name);
  // The bucket for `name`, refilled to `now`; nullptr when the table is full. REQUIRES: the
  // shard's mutex held.
  Bucket* Find(Shard& shard, std::string_view name, Clock::time_point now);
  int SecondsUntilToken(const Bucket& bucket) const;

  const RateLimit limit_;
  const size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace hamlet::http
