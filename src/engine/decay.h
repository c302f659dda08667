// Decay: counts that halve every half-life, kept exactly whatever order events arrive in. A
// DecayedCount holds its value as of `ref_ms`; reading it at a later time scales it by
// 2^-(elapsed / half-life). Adding an event older than ref_ms adds its already-decayed weight,
// so replaying a store out of order gives the same counts as living through it.
#pragma once

#include <cmath>
#include <cstdint>

namespace hamlet::engine {

// 2^-(elapsed_ms / half_life_ms); 1 for elapsed <= 0. REQUIRES: half_life_ms > 0.
inline double DecayFactor(int64_t elapsed_ms, int64_t half_life_ms) {
  if (elapsed_ms <= 0) return 1.0;
  return std::exp2(-static_cast<double>(elapsed_ms) / static_cast<double>(half_life_ms));
}

// Several decayed counts that share one reference time (a Tally's four figures).
template <int N>
struct DecayedCounts {
  double value[N] = {};
  int64_t ref_ms = 0;  // the time value[] is as of

  // value[i] as of `at_ms` (a time before ref_ms reads as ref_ms: counts never grow back).
  double At(int i, int64_t at_ms, int64_t half_life_ms) const {
    return value[i] * FactorAt(at_ms, half_life_ms);
  }
  // What every value[i] is multiplied by as of `at_ms`: At(i, ...) == value[i] * FactorAt(...),
  // so a reader of all N figures pays for one exp2, not N.
  double FactorAt(int64_t at_ms, int64_t half_life_ms) const {
    return DecayFactor(at_ms - ref_ms, half_life_ms);
  }

  // Adds `weight` (negative: removes) to value[i] for an event at `at_ms`. Never goes below 0,
  // so removing what decayed away or was evicted is harmless.
  void Add(int i, double weight, int64_t at_ms, int64_t half_life_ms) {
    if (at_ms > ref_ms) {
      const double f = DecayFactor(at_ms - ref_ms, half_life_ms);
      for (double& v : value) v *= f;
      ref_ms = at_ms;
    } else {
      weight *= DecayFactor(ref_ms - at_ms, half_life_ms);
    }
    value[i] += weight;
    if (value[i] < 1e-9) value[i] = 0.0;
  }
};

}  // namespace hamlet::engine
