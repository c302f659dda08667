// Histogram: a fixed-bucket distribution of durations (or any non-negative values) that many
// threads record into without a lock, and a snapshot of it for exposition (/metrics).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace hamlet::core {

// What a Histogram held at one moment. counts[i] is the number of observations v with
// bounds[i-1] < v <= bounds[i] (non-cumulative); counts.back() counts those above every bound.
struct HistogramSnapshot {
  std::vector<double> bounds;    // ascending upper bounds
  std::vector<uint64_t> counts;  // bounds.size() + 1 entries
  double sum = 0;                // sum of all observations
  uint64_t count = 0;            // number of observations (the sum of counts)
};

// Thread-safety: Observe and Snapshot may be called concurrently from any thread. A snapshot
// taken while others record may be a few observations behind in some buckets; each counter
// is exact on its own.
class Histogram {
 public:
  // REQUIRES: `bounds` is ascending and not empty.
  explicit Histogram(std::vector<double> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void Observe(double value);
  HistogramSnapshot Snapshot() const;

  // Upper bounds in seconds for request and commit latencies: 0.1 ms .. 10 s.
  static std::vector<double> LatencySecondsBounds();

 private:
  const std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1
  // The sum in nanounits (value * 1e9), so it can be one lock-free integer.
  std::atomic<uint64_t> sum_nanos_{0};
};

}  // namespace hamlet::core
