// Token bucket arithmetic and the bounded, sharded table of buckets.
#include "http/token_buckets.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace hamlet::http {

TokenBuckets::TokenBuckets(RateLimit limit, size_t max_names)
    : limit_(limit), max_per_shard_(std::max<size_t>(1, max_names / kShards)) {}

TokenBuckets::Shard& TokenBuckets::ShardFor(std::string_view name) {
  return shards_[std::hash<std::string_view>{}(name) % kShards];
}

TokenBuckets::Bucket* TokenBuckets::Find(Shard& shard, std::string_view name,
                                         Clock::time_point now) {
  auto refill = [&](Bucket& b) {
    const double elapsed = std::chrono::duration<double>(now - b.updated).count();
    if (elapsed > 0) b.tokens = std::min(limit_.burst, b.tokens + elapsed * limit_.per_second);
    b.updated = std::max(b.updated, now);
  };
  auto it = shard.buckets.find(std::string(name));
  if (it != shard.buckets.end()) {
    refill(it->second);
    return &it->second;
  }
  if (shard.buckets.size() >= max_per_shard_) {
    // Drop the buckets that are full again: their names have been quiet long enough that
    // forgetting them changes nothing.
    for (auto b = shard.buckets.begin(); b != shard.buckets.end();) {
      refill(b->second);
      b = b->second.tokens >= limit_.burst ? shard.buckets.erase(b) : std::next(b);
    }
    if (shard.buckets.size() >= max_per_shard_) return nullptr;
  }
  return &shard.buckets.emplace(std::string(name), Bucket{limit_.burst, now}).first->second;
}

int TokenBuckets::SecondsUntilToken(const Bucket& bucket) const {
  const double missing = 1.0 - bucket.tokens;
  return std::max(1, static_cast<int>(std::ceil(missing / limit_.per_second)));
}

int TokenBuckets::Take(std::string_view name, Clock::time_point now) {
  if (!limit_.enabled()) return 0;
  Shard& shard = ShardFor(name);
  std::lock_guard lock(shard.mu);
  Bucket* b = Find(shard, name, now);
  if (b == nullptr) return 0;
  if (b->tokens >= 1.0) {
    b->tokens -= 1.0;
    return 0;
  }
  return SecondsUntilToken(*b);
}

int TokenBuckets::WaitSeconds(std::string_view name, Clock::time_point now) {
  if (!limit_.enabled()) return 0;
  Shard& shard = ShardFor(name);
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(std::string(name));
  if (it == shard.buckets.end()) return 0;  // never seen: full
  Bucket* b = Find(shard, name, now);
  return b->tokens >= 1.0 ? 0 : SecondsUntilToken(*b);
}

void TokenBuckets::Drain(std::string_view name, Clock::time_point now) {
  if (!limit_.enabled()) return;
  Shard& shard = ShardFor(name);
  std::lock_guard lock(shard.mu);
  if (Bucket* b = Find(shard, name, now); b != nullptr) b->tokens = std::max(0.0, b->tokens - 1.0);
}

size_t TokenBuckets::size() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.buckets.size();
  }
  return n;
}

}  // namespace hamlet::http
