// Stacked daily bars on a raster.
#include "cli/png_chart.h"

#include <algorithm>
#include <cstdio>

#include "cli/bitmap_font.h"
#include "engine/moderation_stats.h"

namespace hamlet::cli {
namespace {

constexpr int kWidth = 960;
constexpr int kHeight = 480;
constexpr int kLeft = 80;
constexpr int kRight = 24;
constexpr int kTop = 84;
constexpr int kBottom = 48;

constexpr Rgb kBackground{255, 255, 255};
constexpr Rgb kInk{33, 33, 33};
constexpr Rgb kMuted{117, 117, 117};
constexpr Rgb kGrid{228, 228, 228};

// The smallest 1, 2 or 5 times a power of ten that is >= n.
int64_t NiceCeiling(int64_t n) {
  int64_t step = 1;
  for (;;) {
    for (int64_t m : {1, 2, 5}) {
      if (m * step >= n) return m * step;
    }
    step *= 10;
  }
}

std::string Percent(double share) {
  if (share < 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
  return buf;
}

void Legend(Image& img, int x, int y, Rgb color, const char* label) {
  img.FillRect(x, y, 10, 10, color);
  DrawText(img, x + 14, y + 2, label, kInk);
}

}  // namespace

Image RenderStatsChart(const engine::ModerationReport& report, const std::string& scope) {
  Image img(kWidth, kHeight, kBackground);
  DrawText(img, 20, 14, "HAMLET: DECISIONS PER DAY, " + scope, kInk, 2);
  const auto& q = report.query;
  const auto& j = report.judged;
  std::string subtitle = engine::UtcDay(q.since_ms) + " TO " + engine::UtcDay(q.until_ms - 1) +
                         " (UTC)   TOTAL " + std::to_string(report.totals.total()) +
                         "   SPAM PRECISION " + Percent(j.SpamPrecision()) + " (" +
                         std::to_string(j.false_positives) + " FALSE POSITIVES OF " +
                         std::to_string(j.spam_judged) + " JUDGED)   SPAM MISSED " +
                         std::to_string(j.missed_spam) + " OF " + std::to_string(j.ham_judged);
  DrawText(img, 20, 42, subtitle, kMuted);
  Legend(img, kWidth - 250, 62, kHamColor, "HAM");
  Legend(img, kWidth - 180, 62, kSpamColor, "SPAM");
  Legend(img, kWidth - 105, 62, kDiscardColor, "DISCARD");

  const int plot_w = kWidth - kLeft - kRight;
  const int plot_h = kHeight - kTop - kBottom;
  const int base = kTop + plot_h;  // y of the zero line
  const auto& days = report.days;
  if (days.empty()) {
    DrawText(img, kLeft + 20, kTop + plot_h / 2, "NO DECISIONS IN THIS PERIOD", kMuted, 2);
    return img;
  }
  int64_t busiest = 1;
  for (const auto& d : days) busiest = std::max(busiest, d.volume.total());
  // Four grid steps of a round size, so every grid line has a whole, round label.
  const int64_t top = 4 * NiceCeiling((busiest + 3) / 4);
  for (int i = 0; i <= 4; ++i) {
    const int y = base - plot_h * i / 4;
    img.FillRect(kLeft, y, plot_w, 1, i == 0 ? kMuted : kGrid);
    const std::string label = std::to_string(top * i / 4);
    DrawText(img, kLeft - 8 - TextWidth(label), y - 3, label, kMuted);
  }
  const int n = static_cast<int>(days.size());
  const int slot = std::max(1, plot_w / n);
  const int bar = std::clamp(slot * 4 / 5, 1, 48);
  auto height = [&](int64_t count) {
    return static_cast<int>(static_cast<int64_t>(plot_h) * count / top);
  };
  for (int i = 0; i < n; ++i) {
    const auto& v = days[static_cast<size_t>(i)].volume;
    const int x = kLeft + i * slot + (slot - bar) / 2;
    // Stacked bottom-up; each segment's top is rounded from the running total, so the bar's
    // height is exactly the day's total.
    int64_t below = 0;
    for (const auto& [count, color] : {std::pair{v.ham, kHamColor}, std::pair{v.spam, kSpamColor},
                                       std::pair{v.discard, kDiscardColor}}) {
      const int y0 = base - height(below);
      const int y1 = base - height(below + count);
      img.FillRect(x, y1, bar, y0 - y1, color);
      below += count;
    }
  }
  // Day labels: first, last, and the middle one when there is room.
  std::vector<int> labeled = {0};
  if (n > 2) labeled.push_back(n / 2);
  if (n > 1) labeled.push_back(n - 1);
  for (int i : labeled) {
    const std::string day = days[static_cast<size_t>(i)].day;
    const int center = kLeft + i * slot + slot / 2;
    const int x = std::clamp(center - TextWidth(day) / 2, 2, kWidth - TextWidth(day) - 2);
    img.FillRect(center, base + 1, 1, 4, kMuted);
    DrawText(img, x, base + 10, day, kMuted);
  }
  return img;
}

}  // namespace hamlet::cli
