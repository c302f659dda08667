// Weight lookup and validation for CheckSettings.
#include "signals/check_settings.h"

#include <cmath>

namespace hamlet::signals {

std::string_view CheckFamily(std::string_view check) { return check.substr(0, check.find('.')); }

double CheckSettings::WeightOf(std::string_view check) const {
  if (auto it = weights.find(check); it != weights.end()) return it->second;
  if (auto it = weights.find(CheckFamily(check)); it != weights.end()) return it->second;
  return 1.0;
}

core::Status CheckSettings::Validate() const {
  for (const auto& [name, weight] : weights) {
    if (!std::isfinite(weight) || weight < 0.0) {
      return core::Status::InvalidArgument("weight of '" + name + "' must be a finite number >= 0");
    }
  }
  if (!std::isfinite(min_seconds_to_submit) || min_seconds_to_submit < 0.0) {
    return core::Status::InvalidArgument("min_seconds_to_submit must be >= 0");
  }
  return core::Status::Ok();
}

}  // namespace hamlet::signals
