// The sharded reputation tallies, with expiry by horizon and eviction by age under the cap.
#include "engine/reputation_index.h"

#include <algorithm>

#include "core/mix64.h"
#include "engine/evict.h"

namespace hamlet::engine {
ReputationIndex::ReputationIndex(int64_t half_life_ms, int64_t horizon_ms, size_t max_entries)
    : half_life_ms_(half_life_ms),
      horizon_ms_(horizon_ms),
      max_per_shard_(std::max<size_t>(8, max_entries / kShards)) {}

uint64_t ReputationIndex::Key(uint64_t trait_hash, uint64_t site_hash) {
  return site_hash == 0 ? trait_hash : core::Mix64(trait_hash ^ core::Mix64(site_hash));
}

ReputationIndex::Reading ReputationIndex::Read(uint64_t key, int64_t at_ms) const {
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mu);
  auto it = shard.entries.find(key);
  if (it == shard.entries.end()) return {};
  const Entry& e = it->second;
  if (at_ms - e.last_ms > horizon_ms_) return {};  // expired, not yet swept
  Reading r;
  const double decay = e.counts.FactorAt(at_ms, half_life_ms_);  // one exp2 for four figures
  r.tally.spam = e.counts.value[static_cast<int>(Figure::kSpam)] * decay;
  r.tally.ham = e.counts.value[static_cast<int>(Figure::kHam)] * decay;
  r.tally.reported = e.counts.value[static_cast<int>(Figure::kReported)] * decay;
  r.tally.approved = e.counts.value[static_cast<int>(Figure::kApproved)] * decay;
  r.seen = e.seen;
  return r;
}

void ReputationIndex::Add(uint64_t key, Figure figure, double weight, int64_t at_ms) {
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mu);
  if (weight < 0 && shard.entries.find(key) == shard.entries.end()) return;  // nothing to undo
  Touch(shard, key, at_ms).counts.Add(static_cast<int>(figure), weight, at_ms, half_life_ms_);
}

void ReputationIndex::CountSeen(uint64_t key, int64_t at_ms) {
  Shard& shard = ShardOf(key);
  std::lock_guard lock(shard.mu);
  ++Touch(shard, key, at_ms).seen;
}

size_t ReputationIndex::size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.entries.size();
  }
  return n;
}

ReputationIndex::Entry& ReputationIndex::Touch(Shard& shard, uint64_t key, int64_t at_ms) {
  // A sweep every eighth of the horizon keeps expired entries from piling up; one over the
  // cap makes room. Either walks only this shard, and rarely: amortized O(1) per call.
  if (at_ms - shard.swept_ms > horizon_ms_ / 8 ||
      (shard.entries.size() >= max_per_shard_ && !shard.entries.contains(key))) {
    Sweep(shard, at_ms);
  }
  Entry& e = shard.entries[key];
  e.last_ms = std::max(e.last_ms, at_ms);
  return e;
}

void ReputationIndex::Sweep(Shard& shard, int64_t now_ms) {
  shard.swept_ms = now_ms;
  std::erase_if(shard.entries,
                [&](const auto& kv) { return now_ms - kv.second.last_ms > horizon_ms_; });
  if (shard.entries.size() < max_per_shard_) return;
  // Still full: the least recently touched tenth goes.
  EraseOldest(shard.entries, max_per_shard_ * 9 / 10, [](const Entry& e) { return e.last_ms; });
}

}  // namespace hamlet::engine
