// Metrics over labeled comments, through the same pipeline as the service.
#include "engine/evaluation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/decision.h"

namespace hamlet::engine {
namespace {

double Ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

}  // namespace

Metrics Metrics::FromCounts(long tp, long fp, long tn, long fn) {
  Metrics m;
  m.tp = tp;
  m.fp = fp;
  m.tn = tn;
  m.fn = fn;
  m.precision = Ratio(tp, tp + fp);
  m.recall = Ratio(tp, tp + fn);
  m.f1 = Ratio(2 * m.precision * m.recall, m.precision + m.recall);
  m.fpr = Ratio(fp, fp + tn);
  return m;
}

// ROC AUC as the Mann-Whitney statistic: P(score of a spam > score of a ham), ties half.
double Auc(const std::vector<Scored>& scored) {
  std::vector<std::pair<double, bool>> sorted;
  sorted.reserve(scored.size());
  for (const Scored& s : scored) sorted.emplace_back(s.log_odds, s.is_spam);
  std::sort(sorted.begin(), sorted.end());
  double positives = 0, negatives = 0, rank_sum = 0;
  size_t i = 0;
  while (i < sorted.size()) {
    size_t j = i;
    while (j < sorted.size() && sorted[j].first == sorted[i].first) ++j;
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (sorted[k].second) {
        rank_sum += mid_rank;
        ++positives;
      } else {
        ++negatives;
      }
    }
    i = j;
  }
  if (positives == 0 || negatives == 0) return 0.0;
  return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives);
}

Metrics MetricsAt(const std::vector<Scored>& scored, double threshold) {
  long tp = 0, fp = 0, tn = 0, fn = 0;
  for (const Scored& s : scored) {
    const bool flagged = s.log_odds >= threshold;
    if (s.is_spam) {
      flagged ? ++tp : ++fn;
    } else {
      flagged ? ++fp : ++tn;
    }
  }
  Metrics m = Metrics::FromCounts(tp, fp, tn, fn);
  m.auc = Auc(scored);
  return m;
}

Sweep SweepThresholds(const std::vector<Scored>& scored, double target_fpr, size_t max_points) {
  Sweep sweep;
  sweep.target_fpr = target_fpr;
  std::vector<Scored> sorted = scored;
  std::sort(sorted.begin(), sorted.end(),
            [](const Scored& a, const Scored& b) { return a.log_odds > b.log_odds; });
  long positives = 0, negatives = 0;
  for (const Scored& s : sorted) ++(s.is_spam ? positives : negatives);

  constexpr double kInf = std::numeric_limits<double>::infinity();
  sweep.threshold = kInf;
  long tp = 0, fp = 0;
  size_t i = 0;
  while (i < sorted.size()) {
    // Everything scoring >= sorted[i].log_odds is flagged: take the whole tied group.
    const double score = sorted[i].log_odds;
    size_t j = i;
    for (; j < sorted.size() && sorted[j].log_odds == score; ++j) ++(sorted[j].is_spam ? tp : fp);
    PrPoint point;
    point.threshold = score;
    point.recall = positives > 0 ? static_cast<double>(tp) / positives : 0.0;
    point.precision = static_cast<double>(tp) / static_cast<double>(tp + fp);
    point.fpr = negatives > 0 ? static_cast<double>(fp) / negatives : 0.0;
    sweep.curve.push_back(point);
    if (point.fpr <= target_fpr) {
      const double next = j < sorted.size() ? sorted[j].log_odds : -kInf;
      // Halfway to the next lower score; an infinite neighbour leaves the score itself.
      sweep.threshold = std::isfinite(next) && std::isfinite(score) ? (score + next) / 2.0 : score;
    }
    i = j;
  }
  sweep.at_target = MetricsAt(scored, sweep.threshold);

  if (max_points >= 2 && sweep.curve.size() > max_points) {
    std::vector<PrPoint> thinned;
    const double step = static_cast<double>(sweep.curve.size() - 1) / (max_points - 1);
    for (size_t k = 0; k < max_points; ++k) {
      thinned.push_back(sweep.curve[static_cast<size_t>(std::lround(k * step))]);
    }
    sweep.curve = std::move(thinned);
  }
  return sweep;
}

core::Result<std::vector<Scored>> ScoreAll(const Filter& filter,
                                           const std::vector<LabeledComment>& data,
                                           const ScoreOptions& options) {
  std::vector<Scored> scored;
  scored.reserve(data.size());
  for (const auto& item : data) {
    auto decision = filter.Score(item.comment, options);
    if (!decision) return decision.error();
    scored.push_back({decision->log_odds, item.is_spam});
  }
  return scored;
}

Metrics VerdictMetrics(const std::vector<core::Decision>& decisions,
                       const std::vector<LabeledComment>& data) {
  long tp = 0, fp = 0, tn = 0, fn = 0;
  std::vector<Scored> scored;
  scored.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    const bool flagged = core::IsSpamVerdict(decisions[i].verdict);
    if (data[i].is_spam) {
      flagged ? ++tp : ++fn;
    } else {
      flagged ? ++fp : ++tn;
    }
    scored.push_back({decisions[i].log_odds, data[i].is_spam});
  }
  Metrics m = Metrics::FromCounts(tp, fp, tn, fn);
  m.auc = Auc(scored);
  return m;
}

core::Result<Metrics> Evaluate(const Filter& filter, const std::vector<LabeledComment>& data,
                               const ScoreOptions& options) {
  std::vector<core::Decision> decisions;
  decisions.reserve(data.size());
  for (const auto& item : data) {
    auto decision = filter.Score(item.comment, options);
    if (!decision) return decision.error();
    decisions.push_back(std::move(*decision));
  }
  return VerdictMetrics(decisions, data);
}

}  // namespace hamlet::engine
