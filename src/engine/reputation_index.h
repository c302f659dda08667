// ReputationIndex: decayed spam/ham tallies per trait key (a salted trait hash, alone for every
// site or combined with one site's hash), and how many comments carried the key. In memory,
// sharded by key so concurrent checks rarely wait for each other; entries untouched for the
// horizon expire, and a cap bounds the whole.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "engine/decay.h"
#include "signals/history.h"

namespace hamlet::engine {

// The four figures of a signals::Tally, as indexes into an entry's DecayedCounts.
enum class Figure { kSpam = 0, kHam = 1, kReported = 2, kApproved = 3 };

class ReputationIndex {
 public:
  // REQUIRES: half_life_ms > 0, horizon_ms > 0.
  ReputationIndex(int64_t half_life_ms, int64_t horizon_ms, size_t max_entries);

  // The key's tally as of `at_ms` and the comments counted for it; zeros for an unknown key.
  struct Reading {
    signals::Tally tally;
    int seen = 0;
  };
  Reading Read(uint64_t key, int64_t at_ms) const;

  // Adds `weight` to one figure for an event at `at_ms` (negative: takes it back; figures never
  // go below 0).
  void Add(uint64_t key, Figure figure, double weight, int64_t at_ms);
  // Counts one more comment carrying the key (History::prior_comments_by_author).
  void CountSeen(uint64_t key, int64_t at_ms);

  size_t size() const;

  // The key of a trait hash on one site (site_hash != 0) or on every site (site_hash 0).
  static uint64_t Key(uint64_t trait_hash, uint64_t site_hash);

 private:
  struct Entry {
    DecayedCounts<4> counts;
    int64_t last_ms = 0;  // the latest event, for expiry and eviction
    int seen = 0;
  };
  static constexpr size_t kShards = 64;
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<uint64_t, Entry> entries;
    int64_t swept_ms = 0;  // when expired entries were last removed
  };

  Shard& ShardOf(uint64_t key) const { return shards_[key >> 58]; }
  // The entry for `key` (created when missing), after expiring and evicting in its shard as
  // needed. REQUIRES: shard.mu held.
  Entry& Touch(Shard& shard, uint64_t key, int64_t at_ms);
  // REQUIRES: shard.mu held.
  void Sweep(Shard& shard, int64_t now_ms);

  const int64_t half_life_ms_;
  const int64_t horizon_ms_;
  const size_t max_per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace hamlet::engine
