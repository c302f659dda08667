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

core::Result<Metrics> Evaluate(const Filter& filter, const std::vector<LabeledComment>& data) {
  Metrics m;
  std::vector<std::pair<double, bool>> scored;
  scored.reserve(data.size());
  for (const auto& item : data) {
    auto decision = filter.Score(item.comment);
    if (!decision) return decision.error();
    const bool flagged = decision->verdict != core::Verdict::kHam;
    if (item.is_spam) {
      flagged ? ++m.tp : ++m.fn;
    } else {
      flagged ? ++m.fp : ++m.tn;
    }
    scored.emplace_back(decision->score, item.is_spam);
  }
  m.precision = Ratio(m.tp, m.tp + m.fp);
  m.recall = Ratio(m.tp, m.tp + m.fn);
  m.f1 = Ratio(2 * m.precision * m.recall, m.precision + m.recall);
  m.fpr = Ratio(m.fp, m.fp + m.tn);
  m.auc = Auc(std::move(scored));
  return m;
}

}  // namespace hamlet::engine
