// The log-odds combination of the classifier and the checks.
#include "decision/decide.h"

#include <cmath>
#include <cstdio>

namespace hamlet::decision {
namespace {

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::string Describe(const core::Prediction& p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "text model: P(spam) = %.3f", p.spam_probability);
  return buf;
}

// The verdict, score and uncertainty for `log_odds`, or for the first forcing hit.
void Settle(core::Decision& d, double log_odds, const core::SignalHit* forcing,
            const Policy& policy) {
  if (forcing != nullptr) {
    const bool spam = core::IsSpamVerdict(*forcing->forced);
    d.verdict = *forcing->forced;
    d.score = spam ? 0.999 : 0.001;
    d.log_odds = spam ? HUGE_VAL : -HUGE_VAL;
    d.uncertain = false;
    d.answer_spam = spam;
    return;
  }
  d.log_odds = log_odds;
  d.score = Sigmoid(log_odds);
  if (d.score >= policy.discard_threshold) {
    d.verdict = core::Verdict::kDiscard;
  } else if (d.score >= policy.spam_threshold) {
    d.verdict = core::Verdict::kSpam;
  } else {
    d.verdict = core::Verdict::kHam;
  }
  // In log-odds, so the band means the same at a 0.5 threshold as at a 0.9965 one; the
  // discard tier is blatant by definition and never uncertain.
  const double threshold_log_odds = std::log(policy.spam_threshold / (1.0 - policy.spam_threshold));
  d.uncertain = d.verdict != core::Verdict::kDiscard &&
                std::fabs(log_odds - threshold_log_odds) < policy.uncertain_band;
  d.answer_spam = d.uncertain ? policy.uncertain_answer_spam : core::IsSpamVerdict(d.verdict);
}

}  // namespace

core::Decision Decide(const core::Prediction& prediction, const std::vector<core::SignalHit>& hits,
                      const Policy& policy) {
  core::Decision d;
  const double model_part = policy.model_weight * prediction.margin;
  d.reasons.reserve(hits.size() + 1);
  d.reasons.push_back({"model", model_part, Describe(prediction)});
  double log_odds = model_part;
  const core::SignalHit* forcing = nullptr;
  for (const auto& hit : hits) {
    d.reasons.push_back({hit.check, hit.contribution, hit.detail});
    log_odds += hit.contribution;
    // The first forcing hit wins: checks are ordered in the registry table on purpose.
    if (hit.forced && forcing == nullptr) forcing = &hit;
  }
  Settle(d, log_odds, forcing, policy);
  return d;
}

core::Decision DecideWithout(const core::Prediction& prediction,
                             const std::vector<core::SignalHit>& hits, const Policy& policy,
                             bool (*leave_out)(const core::SignalHit& hit)) {
  core::Decision d;
  double log_odds = policy.model_weight * prediction.margin;
  const core::SignalHit* forcing = nullptr;
  for (const auto& hit : hits) {
    if (leave_out(hit)) continue;
    log_odds += hit.contribution;
    if (hit.forced && forcing == nullptr) forcing = &hit;
  }
  Settle(d, log_odds, forcing, policy);
  return d;
}

}  // namespace hamlet::decision
