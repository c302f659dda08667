// Form decoding, UTF-8 repair and the Akismet field mapping.
#include "http/form_codec.h"

#include <array>
#include <cstdint>

namespace hamlet::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one name or value; false on a malformed escape.
bool DecodeComponent(std::string_view in, std::string& out) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]);
      const int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return true;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

constexpr uint32_t kReplacement = 0xFFFD;

// Windows-1252 0x80..0x9F (0 = undefined there; decoded as the C1 control, as browsers do).
constexpr std::array<uint16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

bool IsLatin1Label(std::string_view charset) {
  std::string lower;
  for (char c : charset) {
    if (c != ' ') lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return lower == "iso-8859-1" || lower == "iso8859-1" || lower == "latin1" ||
         lower == "latin-1" || lower == "l1" || lower == "windows-1252" || lower == "cp1252" ||
         lower == "us-ascii" || lower == "ascii";
}

std::string FromCp1252(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    uint32_t cp = b;
    if (b == 0) {
      cp = kReplacement;
    } else if (b >= 0x80 && b <= 0x9F && kCp1252High[b - 0x80] != 0) {
      cp = kCp1252High[b - 0x80];
    }
    AppendUtf8(cp, out);
  }
  return out;
}

// Length of the well-formed UTF-8 sequence at s[i], or 0 (RFC 3629 table, no surrogates,
// no overlongs, nothing above U+10FFFF).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    if (i + k >= s.size()) return false;
    const auto b = static_cast<unsigned char>(s[i + k]);
    return b >= lo && b <= hi;
  };
  if (b0 >= 0x01 && b0 <= 0x7F) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 == 0xE0) return cont(1, 0xA0, 0xBF) && cont(2) ? 3 : 0;
  if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b0 == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (b0 == 0xF0) return cont(1, 0x90, 0xBF) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;  // NUL, stray continuation byte, C0/C1, F5..FF
}

bool IsContextName(std::string_view name) {
  constexpr std::string_view kBase = "comment_context";
  if (name == kBase || name == "comment_context[]") return true;
  if (name.size() < kBase.size() + 3 || name.substr(0, kBase.size()) != kBase) return false;
  if (name[kBase.size()] != '[' || name.back() != ']') return false;
  for (size_t i = kBase.size() + 1; i + 1 < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
  }
  return true;
}

}  // namespace

core::Result<core::FieldList> ParseForm(std::string_view body) {
  core::FieldList fields;
  std::string name;
  std::string value;
  size_t start = 0;
  int index = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    start = end + 1;
    ++index;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    const std::string_view raw_name = pair.substr(0, eq);
    const std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (!DecodeComponent(raw_name, name) || !DecodeComponent(raw_value, value)) {
      return core::Status::InvalidArgument("malformed percent-encoding in form field " +
                                           std::to_string(index));
    }
    if (name.empty()) continue;
    if (fields.size() == kMaxFields) {
      return core::Status::InvalidArgument("too many form fields (the limit is " +
                                           std::to_string(kMaxFields) + ")");
    }
    fields.emplace_back(name, value);
  }
  return fields;
}

std::string ToUtf8(std::string_view text, std::string_view charset) {
  if (IsLatin1Label(charset)) return FromCp1252(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t n = Utf8SequenceLength(text, i);
    if (n == 0) {
      AppendUtf8(kReplacement, out);
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string_view FirstValue(const core::FieldList& fields, std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name && !v.empty()) return v;
  }
  return {};
}

core::Comment CommentFromFields(const core::FieldList& raw_fields) {
  const std::string charset = std::string(FirstValue(raw_fields, "blog_charset"));
  core::FieldList clean;
  clean.reserve(raw_fields.size());
  for (const auto& [raw_name, raw_value] : raw_fields) {
    if (raw_value.empty()) continue;
    std::string name = ToUtf8(raw_name, charset);
    if (name == "api_key" || name == "key") continue;
    if (IsContextName(name)) name = "comment_context";
    clean.emplace_back(std::move(name), ToUtf8(raw_value, charset));
  }
  // The mapping of names onto Comment members is the one shared by every codec.
  return core::CommentFromFields(std::move(clean));
}

}  // namespace hamlet::http
