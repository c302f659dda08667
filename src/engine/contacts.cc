// Finding links, e-mail addresses and phone numbers in comment text, byte by byte.
#include "engine/contacts.h"

#include <algorithm>

namespace hamlet::engine {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, size_t pos, std::string_view prefix) {
  if (pos + prefix.size() > s.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[pos + i]) != prefix[i]) return false;
  }
  return true;
}

// A link starting at `i` ends here: at a space or a character URLs do not carry in running
// text, less trailing punctuation that belongs to the sentence.
size_t LinkEnd(std::string_view text, size_t i) {
  size_t end = i;
  while (end < text.size() && !IsSpace(text[end]) && text[end] != '<' && text[end] != '>' &&
         text[end] != '"') {
    ++end;
  }
  while (end > i && std::string_view(".,;:!?)]}'").find(text[end - 1]) != std::string_view::npos) {
    --end;
  }
  return end;
}

bool IsEmailLocalChar(char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsDomainChar(char c) { return IsAsciiAlnum(c) || c == '.' || c == '-'; }

// The end of an e-mail address starting at `i`, or `i` when none starts there.
size_t EmailEnd(std::string_view text, size_t i) {
  size_t at = i;
  while (at < text.size() && IsEmailLocalChar(text[at])) ++at;
  if (at == i || at >= text.size() || text[at] != '@') return i;
  size_t end = at + 1;
  while (end < text.size() && IsDomainChar(text[end])) ++end;
  while (end > at + 1 && (text[end - 1] == '.' || text[end - 1] == '-')) --end;
  const std::string_view domain = text.substr(at + 1, end - at - 1);
  const size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) return i;
  for (char c : domain.substr(dot + 1)) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return i;
  }
  return end;
}

// "2024-05-01" and "203.0.113.7" are digits and separators too, but not phone numbers.
bool LooksLikeDateOrAddress(std::string_view s) {
  if (s.size() == 10 && IsDigit(s[0]) && IsDigit(s[3]) && s[4] == '-' && s[7] == '-') return true;
  if (s.find_first_not_of("0123456789.") == std::string_view::npos &&
      std::count(s.begin(), s.end(), '.') == 3) {
    return true;
  }
  return false;
}

// The end of a phone number starting at `i`, or `i` when none starts there.
size_t PhoneEnd(std::string_view text, size_t i) {
  size_t end = i;
  if (text[end] == '+') ++end;
  int digits = 0;
  size_t last_digit_end = i;
  while (end < text.size()) {
    const char c = text[end];
    if (IsDigit(c)) {
      ++digits;
      last_digit_end = end + 1;
    } else if (c == ' ') {
      // One space separates groups; two end the number.
      if (end + 1 < text.size() && text[end + 1] == ' ') break;
    } else if (c != '-' && c != '.' && c != '(' && c != ')') {
      break;
    }
    ++end;
  }
  // Glued to a word ("1234567abc", "x1234567") it is an identifier, not a number.
  if (last_digit_end < text.size() && IsAsciiAlnum(text[last_digit_end])) return i;
  if (digits < 7 || digits > 15) return i;
  // A closing parenthesis right after the digits belongs to the number: "(0800) 555".
  const std::string_view candidate = text.substr(i, last_digit_end - i);
  if (LooksLikeDateOrAddress(candidate)) return i;
  return last_digit_end;
}

}  // namespace

std::vector<ContactSpan> FindContacts(std::string_view text) {
  std::vector<ContactSpan> out;
  size_t i = 0;
  while (i < text.size()) {
    const bool boundary =
        i == 0 || !(IsAsciiAlnum(text[i - 1]) || text[i - 1] == '.' || text[i - 1] == '@' ||
                    text[i - 1] == '+' || text[i - 1] == '-' || text[i - 1] == '_');
    if (!boundary) {
      ++i;
      continue;
    }
    if (StartsWithNoCase(text, i, "http://") || StartsWithNoCase(text, i, "https://") ||
        StartsWithNoCase(text, i, "www.")) {
      const size_t end = LinkEnd(text, i);
      out.push_back({i, end, ContactKind::kLink});
      i = std::max(end, i + 1);
      continue;
    }
    if (const size_t end = EmailEnd(text, i); end > i) {
      out.push_back({i, end, ContactKind::kEmail});
      i = end;
      continue;
    }
    if (text[i] == '+' || text[i] == '(' || IsDigit(text[i])) {
      // "(0800) 555 0100": the opening parenthesis is part of the number.
      const size_t start = text[i] == '(' ? i + 1 : i;
      if (start < text.size() && (IsDigit(text[start]) || text[start] == '+')) {
        if (const size_t end = PhoneEnd(text, start); end > start) {
          out.push_back({i, end, ContactKind::kPhone});
          i = end;
          continue;
        }
      }
    }
    ++i;
  }
  return out;
}

std::string LinkHost(std::string_view link) {
  std::string_view rest = link;
  if (StartsWithNoCase(rest, 0, "http://")) {
    rest.remove_prefix(7);
  } else if (StartsWithNoCase(rest, 0, "https://")) {
    rest.remove_prefix(8);
  } else if (rest.starts_with("//")) {
    rest.remove_prefix(2);
  } else if (rest.find("://") != std::string_view::npos || StartsWithNoCase(rest, 0, "mailto:")) {
    return "";  // another scheme: no web host
  }
  rest = rest.substr(0, rest.find_first_of("/?#\\"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (!rest.starts_with('[')) rest = rest.substr(0, rest.find(':'));
  std::string host;
  for (char c : rest) host += Lower(c);
  while (!host.empty() && host.back() == '.') host.pop_back();
  if (host.starts_with("www.")) host.erase(0, 4);
  if (host.find('.') == std::string::npos && !host.starts_with('[')) return "";
  return host;
}

bool DomainMatches(std::string_view host, std::string_view domain) {
  if (domain.starts_with("www.")) domain.remove_prefix(4);
  if (domain.empty() || host.size() < domain.size()) return false;
  if (host == domain) return true;
  return host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.';
}

std::vector<std::string> LinkDomains(const core::Comment& comment) {
  std::vector<std::string> out;
  auto add = [&out](std::string host) {
    if (!host.empty() && std::find(out.begin(), out.end(), host) == out.end()) {
      out.push_back(std::move(host));
    }
  };
  const std::string_view text = comment.comment_content;
  for (const ContactSpan& span : FindContacts(text)) {
    if (span.kind == ContactKind::kLink)
      add(LinkHost(text.substr(span.begin, span.end - span.begin)));
  }
  if (!comment.comment_author_url.empty()) add(LinkHost(comment.comment_author_url));
  return out;
}

}  // namespace hamlet::engine
