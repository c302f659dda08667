// Decide: the pure combination of the classifier's prediction and the signal hits into a
// Decision with its reasons. No I/O.
//
// score = sigmoid(model_weight * margin + sum of hit contributions); a forced hit settles the
// verdict (its score is 0.999 for spam, 0.001 for ham) and the other reasons are still listed.
#pragma once

#include <vector>

#include "core/decision.h"
#include "core/prediction.h"
#include "core/signal_hit.h"
#include "decision/policy.h"

namespace hamlet::decision {

// REQUIRES: policy.Validate().ok().
[[nodiscard]] core::Decision Decide(const core::Prediction& prediction,
                                    const std::vector<core::SignalHit>& hits,
                                    const Policy& policy);

// Decide's verdict, score, log-odds and uncertainty with the hits for which `leave_out` says
// true left out, and no reasons (nothing copied or formatted: for a what-if on the hot path).
// REQUIRES: policy.Validate().ok().
[[nodiscard]] core::Decision DecideWithout(const core::Prediction& prediction,
                                           const std::vector<core::SignalHit>& hits,
                                           const Policy& policy,
                                           bool (*leave_out)(const core::SignalHit& hit));

}  // namespace hamlet::decision
