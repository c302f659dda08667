// A 5x7 bitmap font of our own for the labels in chart images: digits, capital letters
// (lowercase is drawn as capitals) and the punctuation of dates, numbers and URLs. Anything
// else is drawn as a small box.
#pragma once

#include <string_view>

#include "cli/png_writer.h"

namespace hamlet::cli {

inline constexpr int kGlyphWidth = 5;
inline constexpr int kGlyphHeight = 7;

// Draws `text` with its top-left corner at (x, y), each font pixel a `scale` x `scale` square,
// one blank font column between characters. Returns the x just past the text.
int DrawText(Image& image, int x, int y, std::string_view text, Rgb color, int scale = 1);

// Width in pixels DrawText would use.
int TextWidth(std::string_view text, int scale = 1);

}  // namespace hamlet::cli
