// ModelMeta: the small JSON file beside a model (models/NAME.json for models/NAME.ftz) that
// says how to use it: which input the model reads, how it was trained, and the operating
// thresholds picked for a target false-positive rate. Optional: a model without one is
// served with the defaults (input "fields", decision::Policy's thresholds).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "decision/policy.h"
#include "engine/evaluation.h"
#include "text/normalize.h"

namespace hamlet::app {

struct ModelMeta {
  static constexpr int kVersion = 1;

  std::string model;  // the classifier's Version() it was written for, informational
  text::InputMode input = text::InputMode::kFields;
  nlohmann::ordered_json training = nlohmann::ordered_json::object();  // free-form

  // Operating thresholds on the decision's log-odds (core::Decision::log_odds).
  struct Thresholds {
    double target_fpr = 0.01;
    double spam_log_odds = 0.0;
    double discard_log_odds = 0.0;
    std::string chosen_on;  // how they were picked, for the model card and `hamlet eval`
  };
  std::optional<Thresholds> thresholds;
};

// "models/x.ftz" -> "models/x.json".
std::string ModelMetaPath(const std::string& model_path);

// Reads the file beside `model_path`: nullopt when there is none; InvalidArgument naming the
// file when it is not valid JSON, has another "version", an unknown "input" or thresholds
// that are not numbers with discard >= spam.
core::Result<std::optional<ModelMeta>> ReadModelMeta(const std::string& model_path);

// Writes it atomically (temporary file + rename). Internal when the file cannot be written.
core::Status WriteModelMeta(const std::string& model_path, const ModelMeta& meta);

nlohmann::ordered_json ModelMetaToJson(const ModelMeta& meta);

// Operating thresholds for `target_fpr` from sweeps over `scored` (engine::SweepThresholds):
// spam at target_fpr, discard (never shown to anyone) at a tenth of it and never below spam.
// InvalidArgument when no threshold reaches the target on this data.
core::Result<ModelMeta::Thresholds> PickThresholds(const std::vector<engine::Scored>& scored,
                                                   double target_fpr, std::string chosen_on);

// `policy` with the thresholds of `meta` (when it has them) turned into P(spam) thresholds;
// the uncertain band and model weight are kept. The result passes Policy::Validate.
decision::Policy ApplyThresholds(const ModelMeta& meta, decision::Policy policy);

}  // namespace hamlet::app
