// LocalMemory: the single-node SignalMemory, all in this process's memory: decayed reputation
// tallies per trait (ReputationIndex), text fingerprints of recent comments (CampaignIndex),
// per-sender sliding windows (RateIndex), and the moderators' labels applied so far. Nothing
// is scanned per check: every lookup is a hash probe, a few band buckets, or one sender's
// short window. It knows nothing of the store: SyncedMemory rebuilds it and feeds it labels.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/status.h"
#include "engine/campaign_index.h"
#include "engine/rate_index.h"
#include "engine/reputation_index.h"
#include "engine/signal_memory.h"

namespace hamlet::engine {

struct MemoryOptions {
  static constexpr int64_t kHourMs = 3'600'000;
  static constexpr int64_t kDayMs = 24 * kHourMs;

  // Reputation counts halve every half-life. Entries untouched for the horizon (4 half-lives,
  // when an event weighs 1/16) expire, and the rebuild reads that far back.
  int64_t half_life_ms = 7 * kDayMs;
  // Near-copies count as a campaign within this window.
  int64_t campaign_window_ms = 72 * kHourMs;
  // Texts with fewer distinct words never form campaigns: "thanks!", "great post" and other
  // short common phrases are everyone's.
  int campaign_min_words = 10;
  // Caps on what is kept (oldest first out): reputation entries (one per trait and site, one
  // per trait for all sites), campaign sightings, rate senders, labelled decisions.
  size_t max_reputation_entries = 500'000;
  size_t max_campaign_sightings = 200'000;
  size_t max_rate_senders = 100'000;
  size_t max_labels = 100'000;

  int64_t HorizonMs() const { return 4 * half_life_ms; }
  // How far back the rebuild reads: the longer of the horizon and the campaign window.
  int64_t RebuildSpanMs() const;
  // InvalidArgument naming the option that is out of range.
  core::Status Validate() const;
};

struct MemoryStats {
  size_t reputation_entries = 0;
  size_t campaign_sightings = 0;
  size_t campaign_fingerprints = 0;
  size_t rate_senders = 0;
  size_t labels = 0;
};

class LocalMemory final : public SignalMemory {
 public:
  // `salt` keys the trait hashes (the install's, so the store's traces match). REQUIRES:
  // options.Validate() is ok.
  LocalMemory(const MemoryOptions& options, std::string salt);

  Footprint Trace(const core::Comment& comment, const text::TextAnalysis& text,
                  std::string_view site_url) const override;
  signals::History Recall(const Sighting& sighting) override;
  void Record(const Sighting& sighting, Lesson lesson) override;
  void Learn(const Correction& correction) override;

  // A stored decision, as Recall then Record would have counted it (the rebuild). Rechecks
  // and tests are the caller's to skip.
  void Remember(const std::string& decision_id, const std::string& site_url, int64_t at_ms,
                const Footprint& footprint, Lesson lesson);

  const MemoryOptions& options() const { return options_; }
  MemoryStats Stats() const;

 private:
  struct AppliedLabel {
    int64_t feedback_id = 0;
    bool spam = false;
    int64_t at_ms = 0;
    bool removed = false;  // undone: the decision's lesson counts again
  };

  // Counts the sighting (unless `count` is false) and, with `history`, fills it.
  void Observe(const std::string& decision_id, const std::string& site_url, int64_t at_ms,
               const Footprint& footprint, bool count, const store::DecisionRecord* original,
               signals::History* history);
  // Adds `weight` to `figure` of every trait of `footprint`, on the site and for all sites.
  void AddToTraits(const Footprint& footprint, uint64_t site, Figure figure, double weight,
                   int64_t at_ms);
  bool Labelled(uint64_t id) const;
  // REQUIRES: labels_mu_ held.
  void PruneLabels();

  const MemoryOptions options_;
  const std::string salt_;
  ReputationIndex reputation_;
  CampaignIndex campaign_;
  RateIndex rate_;
  std::atomic<int64_t> latest_ms_{0};  // the latest comment time seen
  mutable std::mutex labels_mu_;
  std::unordered_map<uint64_t, AppliedLabel> labels_;  // by decision id hash
};

}  // namespace hamlet::engine
