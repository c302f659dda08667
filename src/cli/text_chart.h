// The compact text chart of `hamlet stats`: one row per day, a bar made of one character per
// verdict (ham ░, spam ▓, discard █), scaled so the busiest day fills the width.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cli/screen_text.h"
#include "engine/moderation_stats.h"

namespace hamlet::cli {

// The rows (without a trailing newline), then a legend row. `bar_width` >= 1.
std::vector<std::string> DailyChart(const std::vector<engine::DayVolume>& days, size_t bar_width,
                                    const Style& style);

}  // namespace hamlet::cli
