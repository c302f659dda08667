// Scripted classifier for tests.
#include "support/fake_classifier.h"

#include <cmath>

namespace hamlet::testing {

core::Result<core::Prediction> FakeClassifier::Predict(std::string_view text) const {
  if (fail) return core::Status::Internal("scripted failure");
  const double margin =
      fixed_margin.value_or(text.find("spammy") != std::string_view::npos ? 4.0 : -4.0);
  return core::Prediction{margin, 1.0 / (1.0 + std::exp(-margin))};
}

}  // namespace hamlet::testing
