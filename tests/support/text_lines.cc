#include "support/text_lines.h"

#include <sstream>

namespace hamlet::testing {

std::string LastLine(const std::string& text) {
  std::string last, line;
  std::istringstream lines(text);
  while (std::getline(lines, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace hamlet::testing
