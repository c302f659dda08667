// core::Histogram: bucket boundaries, sums, and concurrent recording.
#include "core/histogram.h"

#include <doctest/doctest.h>

#include <limits>
#include <thread>
#include <vector>

namespace hamlet::core {

TEST_SUITE("core/histogram") {
  TEST_CASE("each value lands in the first bucket whose bound is at least the value") {
    Histogram h({0.001, 0.01, 0.1});
    for (double v : {0.0, 0.001, 0.0011, 0.01, 0.05, 0.1, 0.2, 7.0}) h.Observe(v);
    const HistogramSnapshot s = h.Snapshot();
    REQUIRE(s.counts.size() == 4);
    CHECK(s.counts[0] == 2);  // 0, 0.001 (bounds are inclusive, as Prometheus's le)
    CHECK(s.counts[1] == 2);  // 0.0011, 0.01
    CHECK(s.counts[2] == 2);  // 0.05, 0.1
    CHECK(s.counts[3] == 2);  // above every bound
    CHECK(s.count == 8);
    CHECK(s.sum == doctest::Approx(0.0 + 0.001 + 0.0011 + 0.01 + 0.05 + 0.1 + 0.2 + 7.0));
    CHECK(s.bounds == std::vector<double>{0.001, 0.01, 0.1});
  }

  TEST_CASE("negative and NaN values count as zero") {
    Histogram h({1.0});
    h.Observe(-3);
    h.Observe(std::numeric_limits<double>::quiet_NaN());
    const HistogramSnapshot s = h.Snapshot();
    CHECK(s.counts[0] == 2);
    CHECK(s.sum == 0);
  }

  TEST_CASE("concurrent observations are all counted") {
    Histogram h(Histogram::LatencySecondsBounds());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&h, t] {
        for (int i = 0; i < 10000; ++i) h.Observe(0.0001 * (t + 1));
      });
    }
    for (auto& t : threads) t.join();
    const HistogramSnapshot s = h.Snapshot();
    CHECK(s.count == 40000);
    CHECK(s.sum == doctest::Approx(10000 * 0.0001 * (1 + 2 + 3 + 4)).epsilon(1e-6));
  }
}

}  // namespace hamlet::core
