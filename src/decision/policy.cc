// Validation of decision thresholds.
#include "decision/policy.h"

namespace hamlet::decision {

core::Status Policy::Validate() const {
  if (!(spam_threshold > 0.0 && spam_threshold < 1.0)) {
    return core::Status::InvalidArgument("spam threshold must be between 0 and 1 (exclusive)");
  }
  if (!(discard_threshold >= spam_threshold && discard_threshold <= 1.0)) {
    return core::Status::InvalidArgument(
        "discard threshold must be at least the spam threshold and at most 1");
  }
  if (!(uncertain_band >= 0.0 && uncertain_band <= 10.0)) {
    return core::Status::InvalidArgument("uncertain band must be in [0, 10] (log-odds)");
  }
  if (!(model_weight >= 0.0)) {
    return core::Status::InvalidArgument("model weight must not be negative");
  }
  return core::Status::Ok();
}

}  // namespace hamlet::decision
