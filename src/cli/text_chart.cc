// Text bars per day.
#include "cli/text_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace hamlet::cli {
namespace {

constexpr char kHam[] = "\xE2\x96\x91";      // ░
constexpr char kSpam[] = "\xE2\x96\x93";     // ▓
constexpr char kDiscard[] = "\xE2\x96\x88";  // █

std::string Repeat(const char* s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

std::vector<std::string> DailyChart(const std::vector<engine::DayVolume>& days, size_t bar_width,
                                    const Style& style) {
  std::vector<std::string> rows;
  int64_t busiest = 0;
  for (const auto& d : days) busiest = std::max(busiest, d.volume.total());
  if (bar_width < 1) bar_width = 1;
  const double per_mark = busiest > 0 ? static_cast<double>(busiest) / bar_width : 1.0;
  for (const auto& d : days) {
    const auto& v = d.volume;
    // Rounded per part, with at least one mark for a part that is not zero, so a single spam
    // among thousands of ham still shows.
    auto marks = [&](int64_t n) -> size_t {
      if (n == 0) return 0;
      return std::max<size_t>(1, static_cast<size_t>(std::lround(n / per_mark)));
    };
    char numbers[64];
    std::snprintf(numbers, sizeof numbers, "%s %6lld %5lld %5lld %4lld  ", d.day.c_str(),
                  static_cast<long long>(v.ham), static_cast<long long>(v.spam),
                  static_cast<long long>(v.discard), static_cast<long long>(v.uncertain));
    rows.push_back(numbers + style.Green(Repeat(kHam, marks(v.ham))) +
                   style.Red(Repeat(kSpam, marks(v.spam))) +
                   style.Red(Repeat(kDiscard, marks(v.discard))));
  }
  char legend[96];
  std::snprintf(legend, sizeof legend, "one mark = %.3g decisions", per_mark);
  rows.push_back(std::string(37, ' ') + kHam + " ham  " + kSpam + " spam  " + kDiscard +
                 " discard; " + legend);
  return rows;
}

}  // namespace hamlet::cli
