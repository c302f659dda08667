// Durations on the command line: "30d", "12h", "90m", "45s" (days, hours, minutes, seconds),
// for windows like `hamlet replay --since 30d` and hamletd's `--retention 90d`.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"

namespace hamlet::app {

// Milliseconds in `text`: a positive whole number followed by d, h, m or s. InvalidArgument
// naming the text for anything else (no unit, another unit, zero, a sign, overflow).
core::Result<int64_t> ParseDurationMs(std::string_view text);

}  // namespace hamlet::app
