// The text normalizer: markup decoding, Unicode folding, then one tokenizing pass that
// replaces URLs, e-mail addresses, phone numbers and numbers by stable tokens.
#include "text/normalize.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

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
    "com",   "net", "org",  "info",   "biz",  "edu",  "gov",   "mil", "int", "io",   "co",   "me",
    "tv",    "us",  "uk",   "ru",     "cn",   "de",   "fr",    "it",  "nl",  "pl",   "br",   "in",
    "jp",    "au",  "ca",   "es",     "eu",   "ly",   "gl",    "gd",  "be",  "to",   "cc",   "ws",
    "xyz",   "top", "site", "online", "club", "shop", "store", "app", "dev", "blog", "live", "link",
    "click", "win", "vip",  "pro",    "mobi", "name", "tk",    "ml",  "ga",  "cf",   "gq",   "pw",
    "su",    "ua",  "kr",   "ch",     "se",   "no",   "dk",    "fi",  "at",  "cz",   "gr",   "pt",
    "ro",    "hu",  "ar",   "mx",     "tr",   "id",   "my",    "ph",  "vn",  "sg",   "hk",   "nz"};

constexpr std::string_view kShorteners[] = {
    "bit.ly",  "bitly.com",  "tinyurl.com", "goo.gl",      "t.co",   "ow.ly",  "is.gd", "buff.ly",
    "tiny.cc", "rebrand.ly", "cutt.ly",     "shorturl.at", "rb.gy",  "adf.ly", "bc.vc", "v.gd",
    "t.ly",    "lnkd.in",    "shorte.st",   "ouo.io",      "soo.gd", "x.co"};

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

// Emoji and pictographs (Extended_Pictographic, from utf8proc's grapheme boundary classes),
// regional indicators (flags) and skin-tone modifiers. Below U+2190 the pictographic ones are
// (c), (R), !!, TM and the like: typography, kept as symbols. Zero-width joiners and variation
// selectors never get here (default-ignorable, removed by Fold), so a ZWJ sequence is a run of
// pictographs.
bool IsEmoji(char32_t c) {
  if (c < 0x2190) return false;
  if ((c >= 0x1F1E6 && c <= 0x1F1FF) || (c >= 0x1F3FB && c <= 0x1F3FF)) return true;
  const auto cls = utf8proc_get_property(static_cast<utf8proc_int32_t>(c))->boundclass;
  return cls == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC || cls == UTF8PROC_BOUNDCLASS_E_BASE ||
         cls == UTF8PROC_BOUNDCLASS_E_BASE_GAZ || cls == UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ ||
         cls == UTF8PROC_BOUNDCLASS_E_ZWG || cls == UTF8PROC_BOUNDCLASS_E_MODIFIER ||
         cls == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR;
}
// What may continue an emoji run besides emoji: the keycap mark, and the joiner and variation
// selectors should they survive folding.
bool ContinuesEmoji(char32_t c) {
  return IsEmoji(c) || c == 0x20E3 || c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F);
}

// Cyrillic and Greek letters that look like a Latin letter once case-folded (after NFKC, so
// capitals are already small): the common confusables of Unicode's confusables.txt that
// spammers mix into Latin words ("vіagra", "cаsino"). Greek mu is left out: NFKC turns the
// micro sign into it ("5µm").
struct Confusable {
  char32_t from;
  char to;
};
constexpr Confusable kConfusables[] = {
    // Cyrillic
    {0x0430, 'a'},
    {0x0432, 'b'},
    {0x0435, 'e'},
    {0x0451, 'e'},
    {0x043A, 'k'},
    {0x043C, 'm'},
    {0x043D, 'h'},
    {0x043E, 'o'},
    {0x0440, 'p'},
    {0x0441, 'c'},
    {0x0442, 't'},
    {0x0443, 'y'},
    {0x0445, 'x'},
    {0x0455, 's'},
    {0x0456, 'i'},
    {0x0457, 'i'},
    {0x0458, 'j'},
    {0x04BB, 'h'},
    {0x04AF, 'y'},
    {0x04CF, 'l'},
    {0x0501, 'd'},
    {0x051B, 'q'},
    {0x051D, 'w'},
    // Greek
    {0x03B1, 'a'},
    {0x03B2, 'b'},
    {0x03B3, 'y'},
    {0x03B5, 'e'},
    {0x03B7, 'n'},
    {0x03B9, 'i'},
    {0x03BA, 'k'},
    {0x03BD, 'v'},
    {0x03BF, 'o'},
    {0x03C1, 'p'},
    {0x03C4, 't'},
    {0x03C5, 'u'},
    {0x03C7, 'x'},
    {0x03C9, 'w'}};

bool IsCyrillicOrGreek(char32_t c) {
  return (c >= 0x0370 && c <= 0x03FF) || (c >= 0x0400 && c <= 0x052F) ||
         (c >= 0x1F00 && c <= 0x1FFF);
}

// The Latin look-alike of `c`, or 0.
char LatinLookalike(char32_t c) {
  for (const Confusable& k : kConfusables) {
    if (k.from == c) return k.to;
  }
  return 0;
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
  explicit TokenWriter(TextAnalysis& analysis) : out_(analysis.normalized), analysis_(analysis) {}
  void Token(std::string_view t) {
    if (!out_.empty()) out_.push_back(' ');
    out_.append(t);
    last_single_ = 0;
  }
  // A word token (not a marker): counted for TextAnalysis::words.
  void Word(std::string_view t) {
    Token(t);
    ++analysis_.words;
  }
  // What the tokens stand for, recorded beside them.
  TextAnalysis& analysis() { return analysis_; }
  // A one-character token (!, ?, a symbol); the third and later repeats are dropped.
  void Single(char32_t c) {
    if (c == last_single_ && ++single_run_ > 2) return;
    if (c != last_single_) single_run_ = 1;
    if (!out_.empty()) out_.push_back(' ');
    AppendSingle(c);
    last_single_ = c;
  }
  // One run of emoji; like Single, the third and later runs in a row are dropped.
  void Emoji() {
    ++analysis_.emoji;
    Single(kEmojiMarker);
  }

 private:
  // Stands for "_emoji_" in the repeat bookkeeping: beyond Unicode, so never in the text.
  static constexpr char32_t kEmojiMarker = 0x110000;
  void AppendSingle(char32_t c) {
    if (c == kEmojiMarker) {
      out_.append("_emoji_");
    } else {
      AppendUtf8(c, out_);
    }
  }

  std::string& out_;
  TextAnalysis& analysis_;
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

void EmitUrl(std::string_view host, std::string_view tld, std::string_view sld, bool obfuscated,
             TokenWriter& w) {
  w.Token("_url_");
  w.Token(std::string("_tld_").append(tld));
  Link& link = w.analysis().links.emplace_back();
  link.host = std::string(host);
  link.tld = std::string(tld);
  link.obfuscated = obfuscated;
  if (host.substr(0, 4) == "www.") host.remove_prefix(4);
  for (std::string_view s : kShorteners) {
    if (host == s) {
      link.shortener = true;
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
    EmitUrl(host, tld, sld, /*obfuscated=*/false, w);
    return true;
  }
  if (explicit_url) {  // a malformed link is still a link
    w.Token("_url_");
    w.analysis().links.emplace_back();
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
  w.analysis().emails.push_back(Ascii(core.substr(0, at)) + "@" + host);
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

// A word with Latin letters and Cyrillic or Greek ones: emits "_mixed_script_" after it and,
// when every Cyrillic/Greek letter has a Latin look-alike, the word spelled in Latin
// ("vіagra" -> "viagra"). A word with a letter of its own script ("пpивет") stays as written.
// Words wholly in Cyrillic or Greek never get here.
void EmitMixedScript(View letters, TokenWriter& w) {
  std::string latin;
  char32_t last = 0;
  int run = 0;
  for (char32_t c : letters) {
    if (!IsWordChar(c)) continue;  // the apostrophes and separators the word skipped
    if (IsCyrillicOrGreek(c)) {
      const char to = LatinLookalike(c);
      if (to == 0) {
        latin.clear();
        break;
      }
      c = static_cast<char32_t>(to);
    }
    if (c == last && ++run > 2) continue;
    if (c != last) run = 1;
    last = c;
    AppendUtf8(c, latin);
  }
  if (latin.empty()) {  // keep the word as written: the caller's text, squashed the same way
    last = 0;
    run = 0;
    for (char32_t c : letters) {
      if (!IsWordChar(c) || (c == last && ++run > 2)) continue;
      if (c != last) run = 1;
      last = c;
      AppendUtf8(c, latin);
    }
  }
  w.Word(latin);
  w.Token("_mixed_script_");
  w.analysis().mixed_script = true;
}

// Words, numbers, ! and ?, emoji runs, symbols; other punctuation separates words and is
// dropped. A run of symbols and emoji (no space or word between) gives at most
// kMaxSymbolsPerRun tokens, so decorative borders ("★☆★☆★☆...") do not flood the input.
constexpr int kMaxSymbolsPerRun = 3;

void EmitWords(View core, TokenWriter& w) {
  std::string word;
  bool all_digits = true, latin = false, other_script = false;
  size_t word_start = 0;
  char32_t last = 0;
  int run = 0, symbols = 0;
  auto flush = [&](size_t end) {
    if (!word.empty()) {
      if (latin && other_script) {
        EmitMixedScript(core.substr(word_start, end - word_start), w);
      } else {
        if (all_digits) {
          w.Token("_num_");
        } else {
          w.Word(word);
        }
      }
    }
    word.clear();
    all_digits = true;
    latin = other_script = false;
    last = 0;
    run = 0;
  };
  for (size_t i = 0; i < core.size(); ++i) {
    char32_t c = core[i];
    if (IsEmoji(c)) {  // a run of emoji counts as one symbol
      flush(i);
      while (i + 1 < core.size() && ContinuesEmoji(core[i + 1])) ++i;
      if (++symbols <= kMaxSymbolsPerRun) w.Emoji();
      continue;
    }
    if (IsWordChar(c)) {
      if (word.empty()) word_start = i;
      latin = latin || IsAsciiLower(c);
      // Only a look-alike makes a word mixed: "5µm" (NFKC: Greek mu) stays a word.
      other_script = other_script || (IsCyrillicOrGreek(c) && LatinLookalike(c) != 0);
      symbols = 0;
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
    flush(i);
    if (c == '!' || c == '?') {
      w.Single(c);
      symbols = 0;
    } else if (IsSymbol(c)) {
      if (++symbols <= kMaxSymbolsPerRun) w.Single(c);
    } else {
      symbols = 0;
    }
  }
  flush(core.size());
}

// Obfuscated host names: labels of [a-z0-9-] joined by separators that stand for a dot.
//   strong: "[.]" "(.)" "{.}" "[dot]" "(dot)" "{dot}", with or without spaces around them;
//   weak:   " . " and " dot " (spaces on both sides), and "," with no space ("site,com").
// A plain "." may join labels too ("www.site(.)com"). The host counts as a URL when at least
// one separator is strong or weak, its last label is a known TLD (kTlds), and, when every
// separator is weak, the TLD is one of kWeakTlds (no English words such as "me", "no", "it")
// and the host starts with "www" or the label before the TLD has 4 or more characters and a
// letter. So "site dot com" and "www . site . com" are URLs; "the dot com bubble" (3-letter
// label), "end. com" (a sentence's period), "yes,no" and "maybe,no" (no is not weak) are not.
constexpr std::string_view kWeakTlds[] = {"com", "net", "org", "info", "biz", "ru", "xyz"};
constexpr size_t kMaxHostLabels = 8;  // also bounds the look-ahead, so tokenizing stays O(n)

enum class Separator { kNone, kPlain, kWeak, kStrong };

bool MatchesAt(const CodePoints& text, size_t p, std::string_view s) {
  if (p + s.size() > text.size()) return false;
  for (size_t k = 0; k < s.size(); ++k) {
    if (text[p + k] != static_cast<char32_t>(s[k])) return false;
  }
  return true;
}

// The separator starting at text[p] (just after a label); `after` is where the next label
// would start.
Separator ReadSeparator(const CodePoints& text, size_t p, size_t& after) {
  const size_t n = text.size();
  size_t q = p;
  while (q < n && IsSpace(text[q]) && q - p < 4) ++q;
  const bool spaced = q > p;
  auto skip_spaces = [&](size_t r) {
    while (r < n && IsSpace(text[r]) && r - q < 16) ++r;
    return r;
  };
  for (std::string_view strong : {"[.]", "(.)", "{.}", "[dot]", "(dot)", "{dot}"}) {
    if (MatchesAt(text, q, strong)) {
      after = skip_spaces(q + strong.size());
      return Separator::kStrong;
    }
  }
  if (spaced) {
    for (std::string_view weak : {".", "dot"}) {
      if (MatchesAt(text, q, weak) && q + weak.size() < n && IsSpace(text[q + weak.size()])) {
        after = skip_spaces(q + weak.size());
        return Separator::kWeak;
      }
    }
    return Separator::kNone;
  }
  after = q + 1;
  if (q < n && text[q] == '.') return Separator::kPlain;
  if (q < n && text[q] == ',') return Separator::kWeak;
  return Separator::kNone;
}

// Recognizes an obfuscated host starting at text[p] (see above); on success emits the URL
// tokens and "_obfuscated_" and sets `end` past the host and any path after it.
bool TryObfuscatedHost(const CodePoints& text, size_t p, TokenWriter& w, size_t& end) {
  const size_t n = text.size();
  struct Label {
    size_t start, size;
  };
  Label labels[kMaxHostLabels];
  size_t count = 0, best = 0, best_end = 0;
  bool strong = false, weak = false, best_strong = false, best_weak = false;
  for (;;) {
    size_t e = p;
    while (e < n && (IsAsciiAlnum(text[e]) || text[e] == '-') && e - p <= 63) ++e;
    if (e == p || e - p > 63) break;
    labels[count++] = {p, e - p};
    const bool boundary = e >= n || (!IsWordChar(text[e]) && text[e] != '_');
    if (count >= 2 && boundary && (strong || weak)) {
      bool known = false;
      const std::string tld = Ascii(View(text.data() + p, e - p));
      for (std::string_view t : kTlds) known = known || t == tld;
      if (known) {
        best = count;
        best_end = e;
        best_strong = strong;
        best_weak = weak;
      }
    }
    if (count == kMaxHostLabels) break;
    size_t after = 0;
    const Separator sep = ReadSeparator(text, e, after);
    if (sep == Separator::kNone || after >= n || !IsAsciiAlnum(text[after])) break;
    strong = strong || sep == Separator::kStrong;
    weak = weak || sep == Separator::kWeak;
    p = after;
  }
  if (best == 0) return false;
  std::string host;
  for (size_t k = 0; k < best; ++k) {
    if (k > 0) host.push_back('.');
    host.append(Ascii(View(text.data() + labels[k].start, labels[k].size)));
  }
  std::string_view tld, sld;
  if (!ParseHost(host, /*known_tld_only=*/true, tld, sld)) return false;
  if (!best_strong && best_weak) {
    bool weak_tld = false;
    for (std::string_view t : kWeakTlds) weak_tld = weak_tld || t == tld;
    bool letter = false;
    for (char c : sld) letter = letter || IsAsciiLower(static_cast<char32_t>(c));
    const bool www = host.substr(0, 4) == "www.";
    if (!weak_tld || !(www || (sld.size() >= 4 && letter))) return false;
  }
  EmitUrl(host, tld, sld, /*obfuscated=*/true, w);
  w.Token("_obfuscated_");
  end = best_end;
  if (end < n && text[end] == '/') {
    while (end < n && !IsSpace(text[end])) ++end;
  }
  return true;
}

// "@name" (not an e-mail address: nothing before the @) -> "_mention_"; "#tag" with a letter
// in the tag -> "_hashtag_" and the tag's words. Returns the end of the name or tag, or `p`
// when text[p] starts neither.
size_t TryMentionOrHashtag(const CodePoints& text, size_t p, TokenWriter& w) {
  const size_t n = text.size();
  const char32_t sigil = text[p];
  size_t e = p + 1;
  bool letter = false;
  while (e < n && (IsWordChar(text[e]) || text[e] == '_' ||
                   (sigil == '@' && (text[e] == '.' || text[e] == '-') && e + 1 < n &&
                    IsWordChar(text[e + 1])))) {
    letter = letter || (IsWordChar(text[e]) && !IsAsciiDigit(text[e]));
    ++e;
  }
  if (e == p + 1) return p;
  if (sigil == '@') {
    w.Token("_mention_");
    ++w.analysis().mentions;
    return e;
  }
  if (!letter) return p;  // "#1" is a number, not a tag
  w.Token("_hashtag_");
  ++w.analysis().hashtags;
  EmitWords(View(text.data() + p + 1, e - p - 1), w);
  return e;
}

void Tokenize(const CodePoints& text, TokenWriter& w) {
  const size_t n = text.size();
  size_t i = 0;
  // The end of the whitespace-free run `i` is in. Kept across passes: a mention, hashtag or
  // obfuscated host resumes inside the same run, and rescanning it each time would make a long
  // run like "@a@a@a..." quadratic.
  size_t run_end = 0;
  while (i < n) {
    while (i < n && IsSpace(text[i])) ++i;
    if (i >= n) break;
    if (i >= run_end) {
      run_end = i;
      while (run_end < n && !IsSpace(text[run_end])) ++run_end;
    }
    const size_t e = run_end;
    View chunk(text.data() + i, e - i);
    // Leading punctuation is split off first (keeping ! and ?).
    size_t b = 0;
    while (b < chunk.size() && IsPunct(chunk[b]) && chunk[b] != '+') {
      const bool sigil = (chunk[b] == '@' || chunk[b] == '#') && b + 1 < chunk.size() &&
                         (IsWordChar(chunk[b + 1]) || chunk[b + 1] == '_');
      if (sigil) break;
      if (chunk[b] == '!' || chunk[b] == '?') w.Single(chunk[b]);
      ++b;
    }
    // Mentions, hashtags and obfuscated hosts end where they end; the rest of the chunk (or
    // the text after them) is tokenized from there.
    if (b < chunk.size() && (chunk[b] == '@' || chunk[b] == '#')) {
      if (size_t after = TryMentionOrHashtag(text, i + b, w); after > i + b) {
        i = after;
        continue;
      }
    }
    if (size_t after = 0;
        b < chunk.size() && IsAsciiAlnum(chunk[b]) && TryObfuscatedHost(text, i + b, w, after)) {
      i = after;
      continue;
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
          // The number as dialled: its digits, with a leading '+' kept.
          std::string dialled = core[0] == '+' ? "+" : "";
          for (size_t k = i + b; k < j; ++k) {
            if (IsAsciiDigit(text[k])) dialled.push_back(static_cast<char>(text[k]));
          }
          w.analysis().phones.push_back(std::move(dialled));
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

TextAnalysis Analyze(std::string_view raw) {
  CodePoints folded = Fold(internal::DecodeMarkup(raw));
  TextAnalysis analysis;
  analysis.normalized.reserve(raw.size() + 16);
  TokenWriter writer(analysis);
  Tokenize(folded, writer);
  // Underscores never survive tokenizing, so no input can spell "__label__"; keep the
  // guarantee explicit all the same.
  std::string& out = analysis.normalized;
  for (size_t p; (p = out.find("__label__")) != std::string::npos;) out.erase(p, 9);
  return analysis;
}

std::string Normalize(std::string_view raw) { return Analyze(raw).normalized; }

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
  if (mode == InputMode::kRaw) return ModelInput(comment, TextAnalysis{}, mode);
  return ModelInput(comment, Analyze(comment.comment_content), mode);
}

std::string ModelInput(const core::Comment& comment, const TextAnalysis& analysis, InputMode mode) {
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
  std::string input = analysis.normalized;
  if (mode == InputMode::kNormalized) return input;
  for (const std::string& token : FieldFeatures(comment, input)) {
    if (!input.empty()) input.push_back(' ');
    input.append(token);
  }
  return input;
}

}  // namespace hamlet::text
