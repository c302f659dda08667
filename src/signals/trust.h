// Trust: a commenter whose earlier comments on this site moderators approved (submit-ham,
// mark-ham) leans to ham, by e-mail or author URL: -1.5 for one approval (decayed count of at
// least 0.1, i.e. within about 3 half-lives), -0.5 more per further approval, at most -3; the
// stronger of e-mail and author URL. No trust once a moderator reported spam from the same
// e-mail or URL on this site, or when more of its comments were judged spam than approved.
// Nothing without memory.
#pragma once

#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

void CheckTrust(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals
