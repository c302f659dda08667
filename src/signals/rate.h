// Rate: bursts of comments from one sender on any site of the installation (sliding windows
// kept by memory). Earlier comments before this one:
//   - same IP: 3+ in the last minute +1, 6+ +2, 12+ +3; 15+ in the last hour +1, 40+ +2 (the
//     larger of the two);
//   - same e-mail or author URL: 10+ in the last hour +1, 30+ +2;
// the family's total at most +3. Modest on purpose: people behind one NAT share an IP, and a
// lively thread brings replies in quick succession. Nothing without memory.
#pragma once

#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

void CheckRate(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals
