// One decision laid out for the moderator's screen (`hamlet review`): where it was posted, who
// wrote it, the verdict and its reasons, the text with links and contacts highlighted, and on
// request the details (every submitted field, the moderation history). Everything untrusted
// passes through ForTerminal.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cli/screen_text.h"
#include "engine/moderation.h"

namespace hamlet::cli {

struct ViewOptions {
  size_t width = 80;     // columns
  size_t max_lines = 0;  // 0: no limit; else the text is cut to fit and says how much is left
  bool details = false;  // also every submitted field, each reason's detail, the history
  Style style;
};

// The lines of the view, each at most `width` columns (escape codes aside).
std::vector<std::string> RenderDecision(const engine::DecisionDetail& detail,
                                        const ViewOptions& options);

}  // namespace hamlet::cli
