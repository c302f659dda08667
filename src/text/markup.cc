// Raw bytes -> valid UTF-8 without HTML markup (the first stage of text::Normalize).
#include "text/markup.h"

#include <cstdint>

#include <utf8proc.h>

namespace hamlet::text::internal {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr size_t kMaxTagLength = 4096;
constexpr size_t kMaxEntityLength = 12;

void AppendCodePoint(char32_t cp, std::string& out) {
  if (cp >= 0x20 && cp < 0x7F) {
    out.push_back(static_cast<char>(cp));
    return;
  }
  // Control characters (C0 and C1, including NUL, tab and newline) end up as plain spaces.
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) cp = ' ';
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// Parses the entity starting at s[0] == '&'. On success stores the code point and the length.
bool ParseEntity(std::string_view s, char32_t& cp, size_t& length) {
  size_t semi = s.find(';', 1);
  if (semi == std::string_view::npos || semi > kMaxEntityLength || semi < 2) return false;
  std::string_view body = s.substr(1, semi - 1);
  length = semi + 1;
  if (body[0] == '#') {
    bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    size_t start = hex ? 2 : 1;
    if (start >= body.size()) return false;
    uint32_t value = 0;
    for (size_t i = start; i < body.size(); ++i) {
      char c = Lower(body[i]);
      uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = static_cast<uint32_t>(c - '0');
      } else if (hex && c >= 'a' && c <= 'f') {
        digit = static_cast<uint32_t>(c - 'a' + 10);
      } else {
        return false;
      }
      value = value * (hex ? 16 : 10) + digit;
      if (value > 0x10FFFF) value = 0x110000;  // stays invalid, no overflow
    }
    cp = value;
    return true;
  }
  struct Named {
    std::string_view name;
    char32_t cp;
  };
  static constexpr Named kNamed[] = {{"amp", '&'},   {"lt", '<'},      {"gt", '>'},
                                     {"quot", '"'},  {"apos", '\''},   {"nbsp", 0xA0},
                                     {"hellip", 0x2026}, {"ndash", 0x2013}, {"mdash", 0x2014},
                                     {"rsquo", 0x2019}, {"lsquo", 0x2018}, {"rdquo", 0x201D},
                                     {"ldquo", 0x201C}, {"pound", 0xA3}, {"euro", 0x20AC},
                                     {"copy", 0xA9}};
  for (const Named& n : kNamed) {
    if (body == n.name) {
      cp = n.cp;
      return true;
    }
  }
  return false;
}

void Decode(std::string_view in, bool allow_tags, std::string& out);

// Appends the href/src attribute values of the tag `tag` (without the angle brackets).
void AppendLinkAttributes(std::string_view tag, std::string& out) {
  for (size_t i = 0; i < tag.size(); ++i) {
    size_t name_len = 0;
    if (StartsWithNoCase(tag.substr(i), "href")) {
      name_len = 4;
    } else if (StartsWithNoCase(tag.substr(i), "src")) {
      name_len = 3;
    } else {
      continue;
    }
    if (i > 0 && IsAsciiAlpha(tag[i - 1])) continue;
    size_t j = i + name_len;
    while (j < tag.size() && tag[j] == ' ') ++j;
    if (j >= tag.size() || tag[j] != '=') continue;
    ++j;
    while (j < tag.size() && tag[j] == ' ') ++j;
    if (j >= tag.size()) return;
    size_t end;
    if (tag[j] == '"' || tag[j] == '\'') {
      char quote = tag[j++];
      end = tag.find(quote, j);
      if (end == std::string_view::npos) end = tag.size();
    } else {
      end = j;
      while (end < tag.size() && tag[end] != ' ' && tag[end] != '\t' && tag[end] != '\n') ++end;
    }
    out.push_back(' ');
    Decode(tag.substr(j, end - j), /*allow_tags=*/false, out);
    out.push_back(' ');
    i = end;
  }
}

void Decode(std::string_view in, bool allow_tags, std::string& out) {
  size_t i = 0;
  const size_t n = in.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == '<' && allow_tags && i + 1 < n &&
        (IsAsciiAlpha(in[i + 1]) || in[i + 1] == '/' || in[i + 1] == '!')) {
      if (in.substr(i, 4) == "<!--") {
        size_t close = in.find("-->", i + 4);
        if (close != std::string_view::npos) {
          out.push_back(' ');
          i = close + 3;
          continue;
        }
      } else {
        size_t limit = std::min(n, i + kMaxTagLength);
        size_t close = i + 1;
        while (close < limit && in[close] != '>' && in[close] != '<') ++close;
        if (close < limit && in[close] == '>') {
          out.push_back(' ');
          AppendLinkAttributes(in.substr(i + 1, close - i - 1), out);
          i = close + 1;
          continue;
        }
      }
    } else if (c == '&') {
      char32_t cp;
      size_t length;
      if (ParseEntity(in.substr(i), cp, length)) {
        AppendCodePoint(cp, out);
        i += length;
        continue;
      }
    }
    if (c < 0x80) {
      AppendCodePoint(c, out);
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(in.data() + i),
                                            static_cast<utf8proc_ssize_t>(n - i), &cp);
    if (len <= 0) {
      AppendCodePoint(kReplacement, out);
      ++i;
    } else {
      AppendCodePoint(static_cast<char32_t>(cp), out);
      i += static_cast<size_t>(len);
    }
  }
}

}  // namespace

std::string DecodeMarkup(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() + 8);
  Decode(raw, /*allow_tags=*/true, out);
  return out;
}

}  // namespace hamlet::text::internal
