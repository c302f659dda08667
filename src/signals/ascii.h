// ASCII helpers the list and author checks share: lower-casing and trimming without locale
// (bytes of UTF-8 sequences pass through untouched).
#pragma once

#include <string>
#include <string_view>

namespace hamlet::signals {

constexpr char AsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// `s` without leading and trailing spaces, tabs, carriage returns and newlines.
constexpr std::string_view TrimAsciiSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n";
  while (!s.empty() && kSpace.find(s.front()) != std::string_view::npos) s.remove_prefix(1);
  while (!s.empty() && kSpace.find(s.back()) != std::string_view::npos) s.remove_suffix(1);
  return s;
}

}  // namespace hamlet::signals
