// Reputation: what earlier comments sharing this comment's IP (or network), e-mail, author URL
// host or linked hosts were judged, on this site and others, decayed over time.
//
// Per trait, evidence = automatic verdicts (weight 1) + moderators' labels (weight 3), with
// other sites' evidence at half weight; the contribution is 0.8 x the smoothed log-ratio
// ln((spam + 1) / (ham + 1)), only with at least 2 units of evidence, and capped:
//   - spam side +1.5 from verdicts alone, +3 once a moderator reported spam: the model's own
//     verdicts (even without the history checks, see engine::LessonOf) cannot push ordinary
//     ham (log-odds -4 or lower) past the spam threshold by themselves;
//   - ham side -1 (-1.5 with a moderator's approval); linked domains lean spam only (spammers
//     add well-known links as camouflage).
// The IP's network counts at half weight, and only when the IP itself has no evidence. The
// family's total is capped at +4 / -2 (the traits are correlated). Nothing without memory.
#pragma once

#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

// The contribution of one trait's history before the family cap (0: no or too little evidence).
double TraitReputation(const TraitHistory& trait);

void CheckReputation(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals
