// Near-copy lookup by SimHash banding, with expiry in arrival order.
#include "engine/campaign_index.h"

#include <algorithm>
#include <array>

#include "text/simhash.h"

namespace hamlet::engine {
namespace {

// Distinct values tracked per lookup; more read as this many (enough for any check).
constexpr size_t kMaxDistinct = 64;
// Sightings counted per lookup, whatever the buckets hold.
constexpr int kMaxCounted = 1024;

// Up to kMaxDistinct distinct values, held inline: a lookup runs for every comment, and three
// growing vectors cost it several heap allocations.
class DistinctValues {
 public:
  explicit DistinctValues(uint64_t first) { Add(first); }
  // Adds `value` unless present or the list is full.
  void Add(uint64_t value) {
    if (size_ < kMaxDistinct &&
        std::find(values_.begin(), values_.begin() + size_, value) == values_.begin() + size_) {
      values_[size_++] = value;
    }
  }
  int size() const { return static_cast<int>(size_); }

 private:
  std::array<uint64_t, kMaxDistinct> values_;
  size_t size_ = 0;
};

constexpr int kBandShift[CampaignIndex::kBands] = {0, 11, 22, 33, 44, 54};
constexpr int kBandBits[CampaignIndex::kBands] = {11, 11, 11, 11, 10, 10};

}  // namespace

uint16_t CampaignIndex::Band(uint64_t fingerprint, int band) {
  return static_cast<uint16_t>((fingerprint >> kBandShift[band]) &
                               ((uint64_t{1} << kBandBits[band]) - 1));
}

CampaignIndex::CampaignIndex(int64_t window_ms, size_t max_sightings)
    : window_ms_(window_ms), max_sightings_(std::max<size_t>(1, max_sightings)) {}

signals::CampaignHistory CampaignIndex::FindThenAdd(uint64_t fingerprint, const Sighting& self,
                                                    uint64_t exclude_id, bool add) {
  signals::CampaignHistory out;
  out.fingerprinted = true;
  out.window_ms = window_ms_;
  DistinctValues senders(self.sender), sites(self.site), posts(self.post);
  // Inline too (at most kMaxPerBucket fingerprints): no heap allocation per lookup.
  std::array<uint64_t, kMaxPerBucket> candidates;
  size_t candidate_count = 0;
  std::lock_guard lock(mu_);
  Expire(self.at_ms);
  for (int band = 0; band < kBands; ++band) {
    auto bucket = bands_[band].find(Band(fingerprint, band));
    if (bucket == bands_[band].end()) continue;
    const std::vector<uint64_t>& fps = bucket->second;
    const size_t first = fps.size() > kMaxPerBucket ? fps.size() - kMaxPerBucket : 0;
    for (size_t i = first; i < fps.size(); ++i) {
      const auto listed = candidates.begin() + candidate_count;
      if (candidate_count < kMaxPerBucket &&
          text::HammingDistance(fps[i], fingerprint) <= kMaxDistance &&
          std::find(candidates.begin(), listed, fps[i]) == listed) {
        candidates[candidate_count++] = fps[i];
      }
    }
  }
  const int64_t since = self.at_ms - window_ms_;
  for (size_t c = 0; c < candidate_count; ++c) {
    const uint64_t fp = candidates[c];
    auto cluster = clusters_.find(fp);
    if (cluster == clusters_.end()) continue;
    for (const Sighting& s : cluster->second.sightings) {
      if (out.copies >= kMaxCounted) break;
      if (s.at_ms < since || s.at_ms > self.at_ms) continue;
      if (exclude_id != 0 && s.id == exclude_id) continue;
      ++out.copies;
      senders.Add(s.sender);
      sites.Add(s.site);
      posts.Add(s.post);
      if (s.label > 0) ++out.reported;
      if (s.label < 0) ++out.approved;
    }
  }
  out.senders = senders.size();
  out.sites = sites.size();
  out.posts = posts.size();
  if (!add) return out;

  Cluster& cluster = clusters_[fingerprint];
  if (cluster.sightings.empty() && cluster.dropped == 0) {
    for (int band = 0; band < kBands; ++band)
      bands_[band][Band(fingerprint, band)].push_back(fingerprint);
  }
  if (cluster.sightings.size() >= kMaxPerCluster) {
    cluster.sightings.erase(cluster.sightings.begin());
    ++cluster.dropped;
  }
  cluster.sightings.push_back(self);
  order_.emplace_back(self.at_ms, fingerprint);
  while (order_.size() > max_sightings_) DropOldest();
  return out;
}

void CampaignIndex::Label(uint64_t fingerprint, uint64_t id, int8_t label) {
  std::lock_guard lock(mu_);
  auto it = clusters_.find(fingerprint);
  if (it == clusters_.end()) return;
  for (Sighting& s : it->second.sightings) {
    if (s.id == id) s.label = label;
  }
}

size_t CampaignIndex::sightings() const {
  std::lock_guard lock(mu_);
  return order_.size();
}

size_t CampaignIndex::fingerprints() const {
  std::lock_guard lock(mu_);
  return clusters_.size();
}

void CampaignIndex::Expire(int64_t now_ms) {
  now_ms_ = std::max(now_ms_, now_ms);
  while (!order_.empty() && order_.front().first < now_ms_ - window_ms_) DropOldest();
}

void CampaignIndex::DropOldest() {
  const uint64_t fp = order_.front().second;
  order_.pop_front();
  auto it = clusters_.find(fp);
  if (it == clusters_.end()) return;
  Cluster& cluster = it->second;
  if (cluster.dropped > 0) {
    --cluster.dropped;  // this sighting already made room for a newer one
  } else if (!cluster.sightings.empty()) {
    cluster.sightings.erase(cluster.sightings.begin());
  }
  if (!cluster.sightings.empty() || cluster.dropped > 0) return;
  clusters_.erase(it);
  for (int band = 0; band < kBands; ++band) {
    auto bucket = bands_[band].find(Band(fp, band));
    if (bucket == bands_[band].end()) continue;
    std::erase(bucket->second, fp);
    if (bucket->second.empty()) bands_[band].erase(bucket);
  }
}

}  // namespace hamlet::engine
