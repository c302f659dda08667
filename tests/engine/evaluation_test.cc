// The threshold sweep and the metrics at a log-odds threshold (pure functions over scores).
#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>

#include "engine/evaluation.h"

using namespace hamlet;
using engine::Scored;

namespace {

// 10 ham at log-odds -9..0, 5 spam at 1..5, plus one spam that scores like the top ham.
std::vector<Scored> Separable() {
  std::vector<Scored> s;
  for (int i = 0; i < 10; ++i) s.push_back({-9.0 + i, false});
  for (int i = 1; i <= 5; ++i) s.push_back({static_cast<double>(i), true});
  s.push_back({0.0, true});
  return s;
}

}  // namespace

TEST_SUITE("engine/evaluation_sweep") {
  TEST_CASE("MetricsAt flags log_odds >= threshold") {
    auto m = engine::MetricsAt(Separable(), 0.5);
    CHECK(m.tp == 5);
    CHECK(m.fn == 1);
    CHECK(m.fp == 0);
    CHECK(m.tn == 10);
    auto at_zero = engine::MetricsAt(Separable(), 0.0);
    CHECK(at_zero.tp == 6);
    CHECK(at_zero.fp == 1);
  }

  TEST_CASE("AUC counts ties half and needs both classes") {
    // The tied pair (0, ham) and (0, spam) is worth half: (5*10 + 9 + 0.5) / 60.
    CHECK(engine::Auc(Separable()) == doctest::Approx((50.0 + 9.0 + 0.5) / 60.0));
    CHECK(engine::Auc({{1.0, true}, {2.0, true}}) == 0.0);
  }

  TEST_CASE("picks the lowest threshold within the target FPR, halfway to the next score") {
    auto sweep = engine::SweepThresholds(Separable(), 0.0);
    // At 1 no ham is flagged; the tied group at 0 holds a ham: threshold halfway, 0.5.
    CHECK(sweep.threshold == doctest::Approx(0.5));
    CHECK(sweep.at_target.fp == 0);
    CHECK(sweep.at_target.recall == doctest::Approx(5.0 / 6));
    // With 10% FPR allowed, the tied group at 0 may go in: halfway to -1.
    auto loose = engine::SweepThresholds(Separable(), 0.1);
    CHECK(loose.threshold == doctest::Approx(-0.5));
    CHECK(loose.at_target.fp == 1);
    CHECK(loose.at_target.recall == doctest::Approx(1.0));
  }

  TEST_CASE("the PR curve runs from the highest threshold down, one point per distinct score") {
    auto sweep = engine::SweepThresholds(Separable(), 0.01);
    REQUIRE(sweep.curve.size() == 15);  // 16 scores, one tie
    CHECK(sweep.curve.front().threshold == 5.0);
    CHECK(sweep.curve.front().precision == 1.0);
    CHECK(sweep.curve.back().recall == 1.0);
    CHECK(sweep.curve.back().fpr == 1.0);
    for (size_t i = 1; i < sweep.curve.size(); ++i) {
      CHECK(sweep.curve[i].threshold < sweep.curve[i - 1].threshold);
      CHECK(sweep.curve[i].recall >= sweep.curve[i - 1].recall);
    }
    auto thin = engine::SweepThresholds(Separable(), 0.01, 4);
    REQUIRE(thin.curve.size() == 4);
    CHECK(thin.curve.front().threshold == 5.0);
    CHECK(thin.curve.back().threshold == -9.0);
  }

  TEST_CASE("when ham outscores every spam, no finite threshold reaches the target") {
    std::vector<Scored> s = {{9.0, false}, {1.0, true}, {-1.0, false}};
    auto sweep = engine::SweepThresholds(s, 0.0);
    CHECK(sweep.threshold > 9.0);
    CHECK(sweep.at_target.fp == 0);
    CHECK(sweep.at_target.tp == 0);
    std::vector<Scored> forced = {{std::numeric_limits<double>::infinity(), false}, {1.0, true}};
    CHECK(std::isinf(engine::SweepThresholds(forced, 0.0).threshold));
  }

  TEST_CASE("an empty input gives an empty sweep") {
    auto sweep = engine::SweepThresholds({}, 0.01);
    CHECK(sweep.curve.empty());
    CHECK(std::isinf(sweep.threshold));
  }
}
