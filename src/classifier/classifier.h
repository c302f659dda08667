// Classifier: scores a normalized text. The model is immutable once loaded and shared by all
// threads (fastText's predict is const), so implementations must be thread-safe for Predict.
#pragma once

#include <string>
#include <string_view>

#include "core/prediction.h"
#include "core/status.h"

namespace hamlet::classifier {

class Classifier {
 public:
  virtual ~Classifier() = default;
  // REQUIRES: `normalized_text` came from text::NormalizeForModel (one line, no labels).
  virtual core::Result<core::Prediction> Predict(std::string_view normalized_text) const = 0;
  // A stable identifier of the loaded model, recorded with every decision
  // (e.g. "hamlet-default-2026-11-25@1a2b3c4d": file stem and content hash prefix).
  virtual const std::string& Version() const = 0;
};

}  // namespace hamlet::classifier
