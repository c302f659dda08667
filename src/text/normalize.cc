// The text normalizer: markup decoding, Unicode folding, then one tokenizing pass that
// replaces URLs, e-mail addresses, phone numbers and numbers by stable tokens.
#include "text/normalize.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <utf8proc.h>

#include "text/features.h"
#include "text/markup.h"

namespace hamlet::text {
namespace {

using CodePoints = std::u32string;
using View = std::u32string_view;

// NFKC (STABLE|COMPOSE|COMPAT), case folding, default-ignorables (zero-width spaces, soft
// hyphens, BOM) removed, and LUMP so that typographic quotes, dashes and spaces become ASCII.
// No STRIPMARK: it would also strip vowel signs from Indic scripts.
constexpr int kFoldOptions = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                             UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_LUMP;

constexpr std::string_view kTlds[] = {
    "com", "net", "org", "info", "biz", "edu", "gov", "mil", "int", "io",   "co",   "me",
    "tv",  "us",  "uk",  "ru",   "cn",  "de",  "fr",  "it",  "nl",  "pl",   "br",   "in",
    "jp",  "au",  "ca",  "es",   "eu",  "ly",  "gl",  "gd",  "be",  "to",   "cc",   "ws",
    "xyz", "top", "site", "online", "club", "shop", "store", "app", "dev", "blog", "live",
    "link", "click", "win", "vip", "pro", "mobi", "name", "tk", "ml", "ga", "cf", "gq", "pw",
    "su",  "ua",  "kr",  "ch",   "se",  "no",  "dk",  "fi",  "at",  "cz",   "gr",   "pt",
    "ro",  "hu",  "ar",  "mx",   "tr",  "id",  "my",  "ph",  "vn",  "sg",   "hk",   "nz"};

constexpr std::string_view kShorteners[] = {
    "bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "t.co",     "ow.ly",  "is.gd",   "buff.ly",
    "tiny.cc", "rebrand.ly", "cutt.ly", "shorturl.at", "rb.gy", "adf.ly", "bc.vc",   "v.gd",
    "t.ly",   "lnkd.in", "shorte.st", "ouo.io",  "soo.gd",   "x.co"};

bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
bool IsAsciiLower(char32_t c) { return c >= 'a' && c <= 'z'; }
bool IsAsciiAlnum(char32_t c) { return IsAsciiDigit(c) || IsAsciiLower(c); }

utf8proc_category_t Category(char32_t c) {
  if (c < 0x80) {
    if (IsAsciiLower(c) || (c >= 'A' && c <= 'Z')) return UTF8PROC_CATEGORY_LL;
    if (IsAsciiDigit(c)) return UTF8PROC_CATEGORY_ND;
  }
  return utf8proc_category(static_cast<utf8proc_int32_t>(c));
}

bool IsSpace(char32_t c) {
  if (c <= ' ' || c == 0x7F) return true;
  if (c < 0x80) return false;
  utf8proc_category_t cat = Category(c);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
         cat == UTF8PROC_CATEGORY_ZP || cat == UTF8PROC_CATEGORY_CC;
}

bool IsPunct(char32_t c) {
  utf8proc_category_t cat = Category(c);
  return cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_PO;
}

bool IsWordChar(char32_t c) {
  utf8proc_category_t cat = Category(c);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

bool IsSymbol(char32_t c) {
  utf8proc_category_t cat = Category(c);
  return cat >= UTF8PROC_CATEGORY_SM && cat <= UTF8PROC_CATEGORY_SO;
}

void AppendUtf8(char32_t c, std::string& out) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
    return;
  }
  utf8proc_uint8_t buf[4];
  utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(c), buf);
  if (n > 0) out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

void AppendMapped(const char* data, size_t size, CodePoints& out) {
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(data),
                                    static_cast<utf8proc_ssize_t>(size), &mapped,
                                    static_cast<utf8proc_option_t>(kFoldOptions));
  const utf8proc_uint8_t* src = mapped;
  if (n < 0) {  // cannot happen on valid UTF-8; fall back to the unfolded text
    src = reinterpret_cast<const utf8proc_uint8_t*>(data);
    n = static_cast<utf8proc_ssize_t>(size);
  }
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate(src + i, n - i, &cp);
    if (len <= 0) {
      out.push_back(0xFFFD);
      ++i;
    } else {
      out.push_back(static_cast<char32_t>(cp));
      i += len;
    }
  }
  std::free(mapped);
}

// Case-folded NFKC text as code points. The input is valid UTF-8 (from DecodeMarkup).
// ASCII is folded inline; only runs of non-ASCII text, with the ASCII character before them
// (a combining mark may compose with it), go through utf8proc. That is exact: no ASCII
// character composes with the character before it, and ASCII folds on its own.
CodePoints Fold(const std::string& s) {
  CodePoints out;
  out.reserve(s.size());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    bool next_is_ascii = i + 1 >= n || static_cast<unsigned char>(s[i + 1]) < 0x80;
    if (c < 0x80 && next_is_ascii) {
      out.push_back(static_cast<char32_t>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c));
      ++i;
      continue;
    }
    size_t j = i + 1;
    while (j < n && static_cast<unsigned char>(s[j]) >= 0x80) ++j;
    AppendMapped(s.data() + i, j - i, out);
    i = j;
  }
  return out;
}

// Tokens are written space-separated into one line.
class TokenWriter {
 public:
  explicit TokenWriter(std::string& out) : out_(out) {}
  void Token(std::string_view t) {
    if (!out_.empty()) out_.push_back(' ');
    out_.append(t);
    last_single_ = 0;
  }
  // A one-character token (!, ?, a symbol); the third and later repeats are dropped.
  void Single(char32_t c) {
    if (c == last_single_ && ++single_run_ > 2) return;
    if (c != last_single_) single_run_ = 1;
    if (!out_.empty()) out_.push_back(' ');
    AppendUtf8(c, out_);
    last_single_ = c;
  }

 private:
  std::string& out_;
  char32_t last_single_ = 0;
  int single_run_ = 0;
};

std::string Ascii(View v) {
  std::string s;
  s.reserve(v.size());
  for (char32_t c : v) s.push_back(c < 0x80 ? static_cast<char>(c) : '?');
  return s;
}

bool StartsWith(View v, std::string_view prefix) {
  if (v.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (v[i] != static_cast<char32_t>(prefix[i])) return false;
  }
  return true;
}

// Checks that `host` is dot-separated labels of [a-z0-9-] ending in a letters-only TLD
// (from kTlds when `known_tld_only`). Sets `tld` and `sld` (the label before the TLD).
bool ParseHost(std::string_view host, bool known_tld_only, std::string_view& tld,
               std::string_view& sld) {
  if (host.size() < 4 || host.find('.') == std::string_view::npos) return false;
  size_t start = 0;
  std::string_view prev, last;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    if (dot == std::string_view::npos) dot = host.size();
    std::string_view label = host.substr(start, dot - start);
    if (label.empty() || label.size() > 63) return false;
    for (char c : label) {
      if (!IsAsciiAlnum(static_cast<char32_t>(c)) && c != '-') return false;
    }
    prev = last;
    last = label;
    start = dot + 1;
  }
  for (char c : last) {
    if (!IsAsciiLower(static_cast<char32_t>(c))) return false;
  }
  if (last.size() < 2 || last.size() > 24) return false;
  if (known_tld_only) {
    bool known = false;
    for (std::string_view t : kTlds) known = known || t == last;
    if (!known) return false;
  }
  tld = last;
  sld = prev;
  return true;
}

void EmitUrl(std::string_view host, std::string_view tld, std::string_view sld,
             TokenWriter& w) {
  w.Token("_url_");
  w.Token(std::string("_tld_").append(tld));
  if (host.substr(0, 4) == "www.") host.remove_prefix(4);
  for (std::string_view s : kShorteners) {
    if (host == s) {
      w.Token("_shortener_");
      return;
    }
  }
  // The site's name is a useful word of its own ("youtube", "facebook").
  bool all_alpha = sld.size() >= 2;
  for (char c : sld) all_alpha = all_alpha && IsAsciiLower(static_cast<char32_t>(c));
  if (all_alpha) w.Token(sld);
}

// "http://", "https://" or "www." URLs, and bare domains with a known TLD ("example.com/x").
bool TryUrl(View core, TokenWriter& w) {
  View rest = core;
  bool explicit_url = false;
  if (StartsWith(rest, "https://")) {
    rest.remove_prefix(8);
    explicit_url = true;
  } else if (StartsWith(rest, "http://")) {
    rest.remove_prefix(7);
    explicit_url = true;
  } else if (StartsWith(rest, "www.")) {
    explicit_url = true;
  }
  size_t end = 0;
  while (end < rest.size() && (IsAsciiAlnum(rest[end]) || rest[end] == '.' || rest[end] == '-' ||
                               (explicit_url && (rest[end] == '@' || rest[end] == ':')))) {
    ++end;
  }
  // A bare domain must be the whole chunk or be followed by a path, query or fragment.
  if (!explicit_url && end < rest.size() && rest[end] != '/' && rest[end] != '?' &&
      rest[end] != '#' && rest[end] != ')') {
    return false;
  }
  std::string host = Ascii(rest.substr(0, end));
  if (size_t at = host.rfind('@'); explicit_url && at != std::string::npos) {
    host.erase(0, at + 1);
  }
  if (size_t colon = host.find(':'); colon != std::string::npos) host.resize(colon);
  std::string_view tld, sld;
  if (ParseHost(host, !explicit_url, tld, sld)) {
    EmitUrl(host, tld, sld, w);
    return true;
  }
  if (explicit_url) {  // a malformed link is still a link
    w.Token("_url_");
    return true;
  }
  return false;
}

bool TryEmail(View core, TokenWriter& w) {
  size_t at = core.find(U'@');
  if (at == View::npos || at == 0) return false;
  for (size_t i = 0; i < at; ++i) {
    char32_t c = core[i];
    if (!IsAsciiAlnum(c) && c != '.' && c != '_' && c != '%' && c != '+' && c != '-') {
      return false;
    }
  }
  std::string host = Ascii(core.substr(at + 1));
  std::string_view tld, sld;
  if (!ParseHost(host, /*known_tld_only=*/false, tld, sld)) return false;
  w.Token("_email_");
  return true;
}

// Digits with phone separators; returns the digit count, or -1 when `v` is something else.
// A single '.' or ',' makes it a decimal or a thousands number, not a phone number.
int PhoneDigits(View v) {
  int digits = 0, dots = 0;
  for (char32_t c : v) {
    if (IsAsciiDigit(c)) {
      ++digits;
    } else if (c == '.') {
      ++dots;
    } else if (c != '-' && c != '(' && c != ')' && c != '+' && c != '/') {
      return -1;
    }
  }
  return dots == 1 ? -1 : digits;
}

// Words, numbers, ! and ?, symbols; other punctuation separates words and is dropped.
void EmitWords(View core, TokenWriter& w) {
  std::string word;
  bool all_digits = true;
  char32_t last = 0;
  int run = 0;
  auto flush = [&]() {
    if (!word.empty()) w.Token(all_digits ? std::string_view("_num_") : std::string_view(word));
    word.clear();
    all_digits = true;
    last = 0;
    run = 0;
  };
  for (size_t i = 0; i < core.size(); ++i) {
    char32_t c = core[i];
    if (IsWordChar(c)) {
      if (c == last && ++run > 2) continue;
      if (c != last) run = 1;
      last = c;
      all_digits = all_digits && IsAsciiDigit(c);
      AppendUtf8(c, word);
      continue;
    }
    bool between_words = !word.empty() && i + 1 < core.size() && IsWordChar(core[i + 1]);
    // "don't" -> "dont"; "3.50" and "1,000" stay one number.
    if (between_words && c == '\'') continue;
    if (between_words && all_digits && (c == '.' || c == ',' || c == ':') &&
        IsAsciiDigit(core[i + 1])) {
      continue;
    }
    flush();
    if (c == '!' || c == '?') {
      w.Single(c);
    } else if (IsSymbol(c)) {
      w.Single(c);
    }
  }
  flush();
}

void Tokenize(const CodePoints& text, TokenWriter& w) {
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    while (i < n && IsSpace(text[i])) ++i;
    if (i >= n) break;
    size_t e = i;
    while (e < n && !IsSpace(text[e])) ++e;
    View chunk(text.data() + i, e - i);
    // Leading punctuation is split off first (keeping ! and ?).
    size_t b = 0;
    while (b < chunk.size() && IsPunct(chunk[b]) && chunk[b] != '+') {
      if (chunk[b] == '!' || chunk[b] == '?') w.Single(chunk[b]);
      ++b;
    }
    size_t t = chunk.size();
    while (t > b && IsPunct(chunk[t - 1]) && chunk[t - 1] != ')') --t;
    View core = chunk.substr(b, t - b);
    View trailing = chunk.substr(t);
    size_t next = e;
    bool handled = false;
    if (!core.empty()) {
      int digits = PhoneDigits(core);
      if (digits > 0) {
        // A phone number may span several chunks: "0906 170 1461".
        bool separated = digits < static_cast<int>(core.size());
        int groups = 1;
        size_t j = e;
        while (trailing.empty()) {
          size_t k = j;
          while (k < n && text[k] == ' ') ++k;
          if (k == j || k >= n) break;
          size_t m = k;
          while (m < n && !IsSpace(text[m])) ++m;
          View piece(text.data() + k, m - k);
          size_t pt = piece.size();
          while (pt > 0 && IsPunct(piece[pt - 1]) && piece[pt - 1] != ')') --pt;
          int more = PhoneDigits(piece.substr(0, pt));
          if (more < 2 || ++groups > 5) break;
          digits += more;
          separated = true;
          trailing = piece.substr(pt);
          j = m;
        }
        bool phone = digits >= 7 && digits <= 15 &&
                     (separated || core[0] == '0' || core[0] == '+' || digits >= 10);
        if (phone) {
          w.Token("_phone_");
          next = j;
          handled = true;
        } else {
          trailing = chunk.substr(t);
        }
      }
      if (!handled && core.find(U'.') != View::npos) {
        handled = (core.find(U'@') != View::npos && TryEmail(core, w)) || TryUrl(core, w);
      }
      if (!handled) EmitWords(core, w);
    }
    for (char32_t c : trailing) {
      if (c == '!' || c == '?') w.Single(c);
    }
    i = next;
  }
}

}  // namespace

std::string Normalize(std::string_view raw) {
  CodePoints folded = Fold(internal::DecodeMarkup(raw));
  std::string out;
  out.reserve(raw.size() + 16);
  TokenWriter writer(out);
  Tokenize(folded, writer);
  // Underscores never survive tokenizing, so no input can spell "__label__"; keep the
  // guarantee explicit all the same.
  for (size_t p; (p = out.find("__label__")) != std::string::npos;) out.erase(p, 9);
  return out;
}

std::string_view InputModeName(InputMode mode) {
  switch (mode) {
    case InputMode::kRaw:
      return "raw";
    case InputMode::kNormalized:
      return "normalized";
    case InputMode::kFields:
      return "fields";
  }
  return "fields";
}

std::optional<InputMode> ParseInputMode(std::string_view name) {
  for (InputMode m : {InputMode::kRaw, InputMode::kNormalized, InputMode::kFields}) {
    if (InputModeName(m) == name) return m;
  }
  return std::nullopt;
}

std::string ModelInput(const core::Comment& comment, InputMode mode) {
  if (mode == InputMode::kRaw) {
    // What fastText's CLI would read: whitespace (newlines included) collapsed, nothing else.
    std::string input;
    for (char c : comment.comment_content) {
      const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
      if (space) {
        if (!input.empty() && input.back() != ' ') input.push_back(' ');
      } else {
        input.push_back(c);
      }
    }
    while (!input.empty() && input.back() == ' ') input.pop_back();
    for (size_t p; (p = input.find("__label__")) != std::string::npos;) input.erase(p, 9);
    return input;
  }
  std::string input = Normalize(comment.comment_content);
  if (mode == InputMode::kNormalized) return input;
  for (const std::string& token : FieldFeatures(comment, input)) {
    if (!input.empty()) input.push_back(' ');
    input.append(token);
  }
  return input;
}

}  // namespace hamlet::text
