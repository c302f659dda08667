// FakeClassifier: a scripted Classifier for engine tests, so verdicts can be steered exactly.
// The margin is +4 when the text contains "spammy", -4 otherwise, unless set.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "classifier/classifier.h"

namespace hamlet::testing {

class FakeClassifier final : public classifier::Classifier {
 public:
  explicit FakeClassifier(std::string version = "fake@00000000") : version_(std::move(version)) {}
  core::Result<core::Prediction> Predict(std::string_view text) const override;
  const std::string& Version() const override { return version_; }
  std::optional<double> fixed_margin;
  bool fail = false;  // Predict returns Internal when set

 private:
  std::string version_;
};

}  // namespace hamlet::testing
