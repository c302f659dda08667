// Honeypot: a hidden form field only bots fill in. Akismet's convention is
// honeypot_field_name=<name> with the field's value under that name; WordPress's plugin sends
// its own as POST_ak_hp_textarea.
#pragma once

#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

void CheckHoneypot(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals
