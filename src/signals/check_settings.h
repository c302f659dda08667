// CheckSettings: a site's knobs for the checks: a weight per check or family of checks (0
// switches it off; the ablation in `hamlet eval` uses the same switch) and the parameters a
// check reads. Defaults are the documented ones (README, "Checks and how they combine").
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hamlet::signals {

struct CheckSettings {
  // Multiplies the contribution of every hit of a check. Keys are a check's full name
  // ("links.shortener") or its family, the part before the first '.' ("links"); the full name
  // wins. Absent: 1.0. 0 switches the check off (it does not run, and cannot force a verdict).
  std::map<std::string, double, std::less<>> weights;
  // A comment sent sooner than this after its form was rendered is suspicious (timing).
  double min_seconds_to_submit = 3.0;

  // The weight of `check` (a full name), by the rule above.
  [[nodiscard]] double WeightOf(std::string_view check) const;
  // InvalidArgument for a negative or non-finite weight, or a negative min_seconds_to_submit.
  [[nodiscard]] core::Status Validate() const;
};

// "links.shortener" -> "links"; "honeypot" -> "honeypot".
std::string_view CheckFamily(std::string_view check);

}  // namespace hamlet::signals
