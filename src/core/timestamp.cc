// Unix-number and RFC 3339 timestamp parsing.
#include "core/timestamp.h"

#include <charconv>
#include <chrono>
#include <cmath>

namespace hamlet::core {
namespace {

constexpr int64_t kMaxMs = 253402300800000;  // 10000-01-01T00:00:00Z
constexpr double kMillisecondsFrom = 1e11;   // below: seconds; from here on: milliseconds

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `width` digits at text[pos] into `out`, advancing pos.
bool Digits(std::string_view text, size_t& pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (size_t i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (!IsDigit(c)) return false;
    out = out * 10 + (c - '0');
  }
  pos += width;
  return true;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<int64_t> ParseNumber(std::string_view text) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value) || value < 0.0) return std::nullopt;
  const double ms = value < kMillisecondsFrom ? value * 1000.0 : value;
  if (ms >= static_cast<double>(kMaxMs)) return std::nullopt;
  return static_cast<int64_t>(ms);
}

std::optional<int64_t> ParseRfc3339(std::string_view text) {
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!Digits(text, pos, 4, year) || !Expect(text, pos, '-') || !Digits(text, pos, 2, month) ||
      !Expect(text, pos, '-') || !Digits(text, pos, 2, day)) {
    return std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  if (!Digits(text, pos, 2, hour) || !Expect(text, pos, ':') || !Digits(text, pos, 2, minute) ||
      !Expect(text, pos, ':') || !Digits(text, pos, 2, second)) {
    return std::nullopt;
  }
  int64_t fraction_ms = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t start = pos;
    int64_t scale = 100;
    while (pos < text.size() && IsDigit(text[pos])) {
      fraction_ms += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int offset_hours = 0, offset_mins = 0;
    if (!Digits(text, pos, 2, offset_hours) || !Expect(text, pos, ':') ||
        !Digits(text, pos, 2, offset_mins) || offset_hours > 23 || offset_mins > 59) {
      return std::nullopt;
    }
    offset_minutes = sign * (offset_hours * 60 + offset_mins);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  // 60 is a leap second.
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  const int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  const int64_t ms = seconds * 1000 + fraction_ms;
  if (ms < 0 || ms >= kMaxMs) return std::nullopt;
  return ms;
}

}  // namespace

std::optional<int64_t> ParseTimestampMs(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  // "2024-..." has a '-' at [4]; a number never does (no sign, and an exponent's comes later).
  if (text.size() >= 10 && text[4] == '-') return ParseRfc3339(text);
  if (!IsDigit(text.front()) && text.front() != '.') return std::nullopt;
  return ParseNumber(text);
}

}  // namespace hamlet::core
