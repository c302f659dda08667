// The text format of list files (data/lists/allow.txt, block.txt, `hamlet lists import` and
// `export`): one entry per line, "KIND VALUE", where KIND is ip, email, email_domain,
// url_domain, word or regex and VALUE the rest of the line; blank lines and lines starting
// with '#' are ignored. Also the plain domain list (data/lists/disposable-email-domains.txt):
// one domain per line.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "signals/list_kind.h"

namespace hamlet::engine {

struct ParsedListLine {
  int line = 0;  // 1-based
  signals::ListKind kind = signals::ListKind::kWord;
  std::string value;  // canonical
};

struct ParsedListText {
  std::vector<ParsedListLine> entries;
  // "line 3: ..." for every line that is not a valid entry, in order.
  std::vector<std::string> errors;
};

// Parses and validates every line (signals::CanonicalListValue); never stops at the first bad
// line, so a user sees every mistake at once.
ParsedListText ParseListText(std::string_view text);

// The lines of `text` that are not blank or comments, lower-cased and trimmed, as a set
// (a leading "@" or "*." is dropped). Lines that are not domain names go to `errors`.
std::unordered_set<std::string> ParseDomainList(std::string_view text,
                                                std::vector<std::string>* errors);

// One entry as a line of the format above.
std::string FormatListLine(signals::ListKind kind, std::string_view value);

}  // namespace hamlet::engine
