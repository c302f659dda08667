// Signal: one named check over a comment's fields, returning zero or more hits. Checks are
// pure and cheap; they run on every comment.
#pragma once

#include <vector>

#include "core/comment.h"
#include "core/signal_hit.h"

namespace hamlet::signals {

// Runs every registered check over `comment` and returns their hits in table order.
[[nodiscard]] std::vector<core::SignalHit> RunChecks(const core::Comment& comment);

}  // namespace hamlet::signals
