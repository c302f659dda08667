// Small helpers shared by the checks that read History (reputation, campaign, rate, trust):
// how they print decayed counts and how a family keeps its total within its caps.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/signal_hit.h"

namespace hamlet::signals {

// A decayed count for a moderator to read: "3", "0.5", "12" (one decimal below 10).
std::string CountText(double count);

// Scales hits[first..] by one factor so that their sum lies in [-max_ham, max_spam]: a family
// of correlated checks (an IP and its e-mail are often the same spammer) must not add up past
// what one strong piece of evidence is worth. REQUIRES: max_spam, max_ham > 0.
void CapFamily(std::vector<core::SignalHit>& hits, size_t first, double max_spam, double max_ham);

}  // namespace hamlet::signals
