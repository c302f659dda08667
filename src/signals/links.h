// Links in the comment text: a few links are normal, many are a link drop.
#pragma once

#include <string_view>
#include <vector>

#include "core/comment.h"
#include "core/signal_hit.h"

namespace hamlet::signals {

// Number of http(s):// or www. links in `text`.
[[nodiscard]] int CountLinks(std::string_view text);

void CheckLinks(const core::Comment& comment, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals
