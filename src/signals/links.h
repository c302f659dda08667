// Links in the comment text: a few links are normal, many are a link drop.
#pragma once

#include <string_view>
#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

// Number of http(s):// or www. links in `text`.
[[nodiscard]] int CountLinks(std::string_view text);

void CheckLinks(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals
