// Evaluation: runs labeled comments through the same decision pipeline as the service and
// measures it. Nothing is stored.
#pragma once

#include <vector>

#include "core/comment.h"
#include "core/status.h"
#include "engine/filter.h"

namespace hamlet::engine {

struct LabeledComment {
  core::Comment comment;
  bool is_spam = false;
};

struct Metrics {
  long tp = 0, fp = 0, tn = 0, fn = 0;
  double precision = 0, recall = 0, f1 = 0, fpr = 0, auc = 0;
  // Metrics with precision, recall, F1 and FPR derived from the four counts (auc stays 0).
  static Metrics FromCounts(long tp, long fp, long tn, long fn);
};

// Spam = verdict spam or discard. AUC is computed from the scores (ties counted half).
core::Result<Metrics> Evaluate(const Filter& filter, const std::vector<LabeledComment>& data);

}  // namespace hamlet::engine
