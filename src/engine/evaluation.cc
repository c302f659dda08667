// Metrics over labeled comments, through the same pipeline as the service.
#include "engine/evaluation.h"

#include <algorithm>
#include <utility>

namespace hamlet::engine {
namespace {

double Ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

// ROC AUC as the Mann-Whitney statistic: P(score of a spam > score of a ham), ties half.
double Auc(std::vector<std::pair<double, bool>> scored) {
  std::sort(scored.begin(), scored.end());
  double positives = 0, negatives = 0, rank_sum = 0;
  size_t i = 0;
  while (i < scored.size()) {
    size_t j = i;
    while (j < scored.size() && scored[j].first == scored[i].first) ++j;
    const double mid_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (size_t k = i; k < j; ++k) {
      if (scored[k].second) {
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

core::Result<Metrics> Evaluate(const Filter& filter, const std::vector<LabeledComment>& data) {
  long tp = 0, fp = 0, tn = 0, fn = 0;
  std::vector<std::pair<double, bool>> scored;
  scored.reserve(data.size());
  for (const auto& item : data) {
    auto decision = filter.Score(item.comment);
    if (!decision) return decision.error();
    const bool flagged = decision->verdict != core::Verdict::kHam;
    if (item.is_spam) {
      flagged ? ++tp : ++fn;
    } else {
      flagged ? ++fp : ++tn;
    }
    scored.emplace_back(decision->score, item.is_spam);
  }
  Metrics m = Metrics::FromCounts(tp, fp, tn, fn);
  m.auc = Auc(std::move(scored));
  return m;
}

}  // namespace hamlet::engine
