// Campaign: the same or nearly the same text (SimHash of its words within 5 bits) arrived before
// within the memory's window. The first sighting is never punished; copies from several senders
// weigh more than one sender repeating itself, copies on several sites more again:
//   - one sender: +1 once the text is on 3 posts or 2 sites (a resubmission is not a campaign);
//   - n >= 2 senders (this comment's included): +1.5 per sender past the first, at most +5;
//     +0.5 when on 2 or more sites; +1.5 when a moderator labelled a copy spam; at most +6;
//   - nothing when a moderator labelled a copy ham (the text is welcome), nothing for texts of
//     fewer than 10 distinct words ("thanks!" and "great post" are everyone's).
// Nothing without memory.
#pragma once

#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

void CheckCampaign(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals
