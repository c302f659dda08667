// Per-sender sliding windows of the last hour.
#include "engine/rate_index.h"

#include <algorithm>

#include "engine/evict.h"

namespace hamlet::engine {

RateIndex::RateIndex(size_t max_keys) : max_per_shard_(std::max<size_t>(8, max_keys / kShards)) {}

RateIndex::Counts RateIndex::CountThenAdd(uint64_t key, int64_t at_ms, uint64_t id,
                                          uint64_t exclude_id, bool add) {
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mu);
  auto found = shard.events.find(key);
  if (found == shard.events.end() && !add) return {};
  if (found == shard.events.end()) {
    // Idle keys go every few minutes, or at once when the shard is full; if none is idle (a
    // flood of new senders), the least recently active tenth.
    if (at_ms - shard.swept_ms > 5 * kMinuteMs || shard.events.size() >= max_per_shard_) {
      shard.swept_ms = at_ms;
      std::erase_if(shard.events, [&](const auto& kv) {
        return kv.second.empty() || at_ms - kv.second.back().first > kHourMs;
      });
      if (shard.events.size() >= max_per_shard_) {
        EraseOldest(shard.events, max_per_shard_ * 9 / 10,
                    [](const auto& events) { return events.back().first; });
      }
    }
    found = shard.events.emplace(key, std::vector<std::pair<int64_t, uint64_t>>()).first;
  }
  auto& events = found->second;
  std::erase_if(events, [&](const auto& e) { return at_ms - e.first > kHourMs; });
  Counts counts;
  for (const auto& [when, event_id] : events) {
    if (when > at_ms || (exclude_id != 0 && event_id == exclude_id)) continue;
    ++counts.last_hour;
    if (at_ms - when <= kMinuteMs) ++counts.last_minute;
  }
  if (add) {
    if (events.size() >= kMaxPerKey) events.erase(events.begin());
    events.emplace_back(at_ms, id);
  }
  return counts;
}

size_t RateIndex::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.events.size();
  }
  return n;
}

}  // namespace hamlet::engine
