// CampaignIndex: the text fingerprints (SimHash) of recent comments, to find near-copies
// without a scan. The 64 bits are cut into six bands (11, 11, 11, 11, 10, 10 bits);
// fingerprints within kMaxDistance = 5 bits of each other share at least one band exactly
// (pigeonhole), so a lookup reads six buckets. Sightings older than
// the window expire in arrival order; a cap bounds the whole, and per-bucket and per-cluster
// limits bound the work of one lookup whatever an attacker sends.
//
// Thread-safety: every method may be called concurrently (one mutex; each call is short).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "signals/history.h"

namespace hamlet::engine {

class CampaignIndex {
 public:
  // Texts this many bits apart or closer are near-copies.
  static constexpr int kMaxDistance = 5;
  static constexpr int kBands = kMaxDistance + 1;
  // Sightings kept per exact fingerprint (older ones are dropped first), and fingerprints
  // examined per bucket (the newest): the bounds of one lookup.
  static constexpr size_t kMaxPerCluster = 64;
  static constexpr size_t kMaxPerBucket = 256;

  struct Sighting {
    int64_t at_ms = 0;
    uint64_t id = 0;      // hash of the decision id (0: not stored, e.g. evaluation)
    uint64_t sender = 0;  // Footprint::sender
    uint64_t site = 0;    // hash of the site URL
    uint64_t post = 0;    // Footprint::post
    int8_t label = 0;     // +1 labelled spam by a moderator, -1 ham, 0 none
  };

  // REQUIRES: window_ms > 0.
  CampaignIndex(int64_t window_ms, size_t max_sightings);

  // Earlier near-copies of `fingerprint` seen within the window before `self.at_ms` (skipping
  // any with id `exclude_id`, e.g. the decision a recheck repeats), counted with `self` for
  // senders, sites and posts; then, when `add`, remembers `self`.
  signals::CampaignHistory FindThenAdd(uint64_t fingerprint, const Sighting& self,
                                       uint64_t exclude_id, bool add);
  // A moderator's label on the sighting with this fingerprint and decision id, if still kept.
  void Label(uint64_t fingerprint, uint64_t id, int8_t label);

  size_t sightings() const;  // kept now, expired ones not yet dropped included
  size_t fingerprints() const;

 private:
  struct Cluster {
    std::vector<Sighting> sightings;  // in arrival order
    size_t dropped = 0;               // dropped by kMaxPerCluster, still queued in order_
  };

  // The value of band `band` (0..kBands-1) of `fingerprint`.
  static uint16_t Band(uint64_t fingerprint, int band);
  // Drops sightings older than the window, and the oldest while over the cap.
  // REQUIRES: mu_ held.
  void Expire(int64_t now_ms);
  // REQUIRES: mu_ held.
  void DropOldest();

  const int64_t window_ms_;
  const size_t max_sightings_;
  mutable std::mutex mu_;
  std::unordered_map<uint64_t, Cluster> clusters_;
  std::array<std::unordered_map<uint16_t, std::vector<uint64_t>>, kBands> bands_;
  std::deque<std::pair<int64_t, uint64_t>> order_;  // (at_ms, fingerprint), arrival order
  int64_t now_ms_ = 0;                              // the latest arrival
};

}  // namespace hamlet::engine
