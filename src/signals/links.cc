// Link count check.
#include "signals/links.h"

#include <cctype>
#include <string>

namespace hamlet::signals {
namespace {

bool StartsWithNoCase(std::string_view s, size_t pos, std::string_view prefix) {
  if (pos + prefix.size() > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[pos + i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

int CountLinks(std::string_view text) {
  int n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // A link starts at a word boundary; "www." inside "http://www." counts once.
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
    if (StartsWithNoCase(text, i, "http://") || StartsWithNoCase(text, i, "https://")) {
      ++n;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    } else if (StartsWithNoCase(text, i, "www.")) {
      ++n;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    }
  }
  return n;
}

void CheckLinks(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const core::Comment& c = input.comment;
  const int links = CountLinks(c.comment_content);
  // One link is ordinary (a source, a reference); each one past two adds evidence.
  if (links >= 3) {
    const double contribution = 0.75 * (links - 2);
    hits.push_back({"links.count", contribution < 4.0 ? contribution : 4.0,
                    std::to_string(links) + " links in the text", std::nullopt});
  }
}

}  // namespace hamlet::signals
