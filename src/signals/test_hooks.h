// Akismet's documented test hooks, so real clients' integration tests behave as on Akismet:
// author "viagra-test-123" or e-mail "akismet-guaranteed-spam@example.com" is always spam,
// user_role "administrator" is always ham.
#pragma once

#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

void CheckTestHooks(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals
