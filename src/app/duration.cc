// Parses "30d", "12h", "90m", "45s".
#include "app/duration.h"

#include <charconv>
#include <limits>
#include <string>

namespace hamlet::app {

core::Result<int64_t> ParseDurationMs(std::string_view text) {
  auto bad = [text] {
    // Built by append: GCC 12's -Wrestrict misfires on "'" + std::string(text) + "...".
    std::string message = "'";
    message.append(text).append("' is not a duration like 30d, 12h, 90m or 45s");
    return core::Status::InvalidArgument(message);
  };
  if (text.size() < 2) return bad();
  int64_t unit_ms = 0;
  switch (text.back()) {
    case 'd':
      unit_ms = 24LL * 3600 * 1000;
      break;
    case 'h':
      unit_ms = 3600LL * 1000;
      break;
    case 'm':
      unit_ms = 60LL * 1000;
      break;
    case 's':
      unit_ms = 1000;
      break;
    default:
      return bad();
  }
  const std::string_view digits = text.substr(0, text.size() - 1);
  int64_t count = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  // from_chars accepts a leading '-'; durations are positive.
  if (ec != std::errc() || end != digits.data() + digits.size() || digits.front() == '-' ||
      count <= 0 || count > std::numeric_limits<int64_t>::max() / unit_ms) {
    return bad();
  }
  return count * unit_ms;
}

}  // namespace hamlet::app
