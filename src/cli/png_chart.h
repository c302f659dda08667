// The chart image of `hamlet stats --png FILE`: decisions per day as stacked bars (ham, spam,
// discard), with a title, the period, the moderators' verdict on the filter, a y scale and a
// legend. Drawn with our PNG writer and bitmap font: no graphics library needed.
#pragma once

#include <string>

#include "cli/png_writer.h"
#include "engine/moderation_stats.h"

namespace hamlet::cli {

// The colours of the bars, so tests can find them in the image.
inline constexpr Rgb kHamColor{76, 175, 80};
inline constexpr Rgb kSpamColor{229, 57, 53};
inline constexpr Rgb kDiscardColor{136, 14, 79};

// The chart of `report`, titled with `scope` (e.g. the site, or "all sites").
Image RenderStatsChart(const engine::ModerationReport& report, const std::string& scope);

}  // namespace hamlet::cli
