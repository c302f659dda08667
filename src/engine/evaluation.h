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

// Spam = verdict spam or discard. AUC is computed from the decisions' log-odds (ties
// counted half), which do not saturate the way the 0..1 score does.
core::Result<Metrics> Evaluate(const Filter& filter, const std::vector<LabeledComment>& data,
                               const ScoreOptions& options = {});

// The same metrics from decisions already made on `data` (decisions[i] on data[i]).
// REQUIRES: decisions.size() == data.size().
Metrics VerdictMetrics(const std::vector<core::Decision>& decisions,
                       const std::vector<LabeledComment>& data);

// One comment's label and the log-odds the pipeline gave it (core::Decision::log_odds).
struct Scored {
  double log_odds = 0.0;
  bool is_spam = false;
};

// Every comment of `data` through Filter::Score with `options` (e.g. a site profile whose
// weights switch checks off), in order.
core::Result<std::vector<Scored>> ScoreAll(const Filter& filter,
                                           const std::vector<LabeledComment>& data,
                                           const ScoreOptions& options = {});

// Counts and rates when "spam" means log_odds >= threshold (AUC over all of `scored`).
Metrics MetricsAt(const std::vector<Scored>& scored, double threshold);

// ROC AUC of the log-odds: P(a spam scores above a ham), ties counted half. 0 without both.
double Auc(const std::vector<Scored>& scored);

struct PrPoint {
  double threshold = 0.0;  // log-odds; spam = log_odds >= threshold
  double recall = 0.0, precision = 0.0, fpr = 0.0;
};

// The threshold sweep behind operating-point choice.
struct Sweep {
  double target_fpr = 0.01;
  // The lowest threshold whose false-positive rate on the data is <= target_fpr, placed
  // halfway between that score and the next lower one (so it does not sit on a training
  // score); +infinity when no threshold reaches the target. `at_target` holds the metrics
  // there: its recall is "recall at target FPR".
  double threshold = 0.0;
  Metrics at_target;
  // Precision and recall at every distinct score, highest threshold first, thinned to at
  // most `max_points` points (always keeping the first and last).
  std::vector<PrPoint> curve;
};

// REQUIRES: 0 <= target_fpr < 1.
Sweep SweepThresholds(const std::vector<Scored>& scored, double target_fpr,
                      size_t max_points = 200);

}  // namespace hamlet::engine
