// RateIndex: when each sender (an IP, e-mail or author URL hash) last commented, for bursts:
// comments in the last minute and hour, on any site. Sharded by key; a key's events older
// than an hour are dropped as it is touched, idle keys by shard sweeps, and a cap bounds the
// number of keys.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hamlet::engine {

class RateIndex {
 public:
  static constexpr int64_t kMinuteMs = 60'000;
  static constexpr int64_t kHourMs = 3'600'000;
  // Events kept per key: counts above this read as this.
  static constexpr size_t kMaxPerKey = 64;

  explicit RateIndex(size_t max_keys);

  struct Counts {
    int last_minute = 0;
    int last_hour = 0;
  };
  // The key's events in the minute and hour before `at_ms` (skipping id `exclude_id`, e.g. the
  // decision a recheck repeats); then, when `add`, records this one with `id`.
  Counts CountThenAdd(uint64_t key, int64_t at_ms, uint64_t id, uint64_t exclude_id, bool add);

  size_t size() const;

 private:
  static constexpr size_t kShards = 32;
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<uint64_t, std::vector<std::pair<int64_t, uint64_t>>> events;
    int64_t swept_ms = 0;
  };
  Shard& ShardOf(uint64_t key) { return shards_[key >> 59]; }

  const size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace hamlet::engine
