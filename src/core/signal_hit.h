// SignalHit: what one named check says about a comment, before the decision combines them.
#pragma once

#include <optional>
#include <string>

#include "core/decision.h"

namespace hamlet::core {

struct SignalHit {
  std::string check;          // stable short name, e.g. "links.count"
  double contribution = 0.0;  // added to the spam log-odds; negative leans to ham
  std::string detail;         // short human text, e.g. "3 links in 40 words"
  // Set by checks that settle the verdict alone (Akismet's test hooks, an admin's comment).
  std::optional<Verdict> forced;
};

}  // namespace hamlet::core
