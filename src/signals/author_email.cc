// The shape of the author's e-mail address.
#include <string_view>

#include "signals/author.h"

namespace hamlet::signals {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string_view EmailShapeProblem(std::string_view email) {
  while (!email.empty() && email.back() == ' ') email.remove_suffix(1);
  while (!email.empty() && email.front() == ' ') email.remove_prefix(1);
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos) return "has no '@'";
  if (at == 0) return "has nothing before the '@'";
  std::string_view domain = email.substr(at + 1);
  if (domain.empty()) return "has no domain";
  if (domain.front() == '[') return "has an IP address for a domain";
  if (domain.back() == '.') domain.remove_suffix(1);
  const size_t last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos) return "has no dot in its domain";
  // Labels: letters, digits, '-' (or UTF-8 for internationalized names), none empty, none
  // starting or ending with '-'.
  size_t start = 0;
  while (start <= domain.size()) {
    size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty()) return "has an empty label in its domain";
    if (label.size() > 63) return "has a domain label longer than 63 characters";
    if (label.front() == '-' || label.back() == '-') return "has a domain label with an edge '-'";
    for (char c : label) {
      if (!IsAsciiLetter(c) && !IsAsciiDigit(c) && c != '-' &&
          static_cast<unsigned char>(c) < 0x80) {
        return "has a character a domain cannot have";
      }
    }
    start = end + 1;
  }
  // Top-level domains are letters (or punycode "xn--..."), at least two of them.
  const std::string_view tld = domain.substr(last_dot + 1);
  bool letters = tld.size() >= 2;
  for (char c : tld)
    letters = letters && (IsAsciiLetter(c) || static_cast<unsigned char>(c) >= 0x80);
  if (!letters && tld.substr(0, 4) != "xn--") return "has a top-level domain that cannot exist";
  return "";
}

bool DigitHeavyLocalPart(std::string_view local) {
  if (size_t at = local.find('@'); at != std::string_view::npos) local = local.substr(0, at);
  int digits = 0, letters = 0, switches = 0;
  int previous = 0;  // 1 letter, 2 digit, 0 other
  for (char c : local) {
    const int kind = IsAsciiLetter(c) ? 1 : IsAsciiDigit(c) ? 2 : 0;
    digits += kind == 2;
    letters += kind == 1;
    // A switch between a letter and a digit, directly or across a separator.
    if (kind != 0) {
      if (previous != 0 && previous != kind) ++switches;
      previous = kind;
    }
  }
  if (digits >= 6 && digits > letters) return true;
  return switches >= 5;
}

}  // namespace hamlet::signals
