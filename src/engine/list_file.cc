// List file parsing.
#include "engine/list_file.h"

#include "signals/ascii.h"

namespace hamlet::engine {
namespace {

// Calls `fn(line_number, line)` for each line that is not blank or a comment.
template <typename Fn>
void ForEachLine(std::string_view text, Fn fn) {
  int number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    const std::string_view line = signals::TrimAsciiSpace(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    fn(number, line);
  }
}

std::string KindList() {
  std::string out;
  for (signals::ListKind kind : signals::ListKinds()) {
    if (!out.empty()) out += ", ";
    out += signals::ListKindName(kind);
  }
  return out;
}

}  // namespace

ParsedListText ParseListText(std::string_view text) {
  ParsedListText out;
  ForEachLine(text, [&](int number, std::string_view line) {
    const std::string where = "line " + std::to_string(number) + ": ";
    const size_t space = line.find_first_of(" \t");
    const std::string_view kind_text = line.substr(0, space);
    const auto kind = signals::ParseListKind(kind_text);
    if (!kind) {
      out.errors.push_back(where + "'" + std::string(kind_text.substr(0, 40)) +
                           "' is not a kind (" + KindList() + ")");
      return;
    }
    if (space == std::string_view::npos) {
      out.errors.push_back(where + "no value after '" + std::string(kind_text) + "'");
      return;
    }
    auto value =
        signals::CanonicalListValue(*kind, signals::TrimAsciiSpace(line.substr(space + 1)));
    if (!value) {
      out.errors.push_back(where + value.error().message());
      return;
    }
    out.entries.push_back({number, *kind, std::move(*value)});
  });
  return out;
}

std::unordered_set<std::string> ParseDomainList(std::string_view text,
                                                std::vector<std::string>* errors) {
  std::unordered_set<std::string> out;
  ForEachLine(text, [&](int number, std::string_view line) {
    auto domain = signals::CanonicalListValue(signals::ListKind::kEmailDomain, line);
    if (!domain) {
      if (errors != nullptr) {
        errors->push_back("line " + std::to_string(number) + ": " + domain.error().message());
      }
      return;
    }
    out.insert(std::move(*domain));
  });
  return out;
}

std::string FormatListLine(signals::ListKind kind, std::string_view value) {
  return std::string(signals::ListKindName(kind)) + " " + std::string(value);
}

}  // namespace hamlet::engine
