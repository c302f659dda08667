// Anchor-text link extraction (HTML, BBCode, Markdown) and the keyword-phrase test.
#include "signals/anchors.h"

#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace hamlet::signals {
namespace {

constexpr size_t kMaxUrl = 2048;
constexpr size_t kMaxText = 1000;
constexpr size_t kMaxMarkdownText = 300;
constexpr size_t kMaxKeywordWords = 8;

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// The next occurrence of a fixed needle at or after a position that only grows, so a whole
// scan costs one pass over the text however many times it is asked.
class NextOf {
 public:
  NextOf(std::string_view text, std::string_view needle) : text_(text), needle_(needle) {}
  size_t From(size_t pos) {
    if (!known_ || (found_ != std::string_view::npos && found_ < pos)) {
      found_ = text_.find(needle_, pos);
      known_ = true;
    }
    return found_;
  }

 private:
  std::string_view text_, needle_;
  size_t found_ = std::string_view::npos;
  bool known_ = false;
};

// Visible text: tags removed, whitespace collapsed, trimmed.
std::string VisibleText(std::string_view html) {
  std::string out;
  bool in_tag = false, space = false;
  for (char c : html) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>' && in_tag) {
      in_tag = false;
    } else if (!in_tag) {
      if (IsSpace(c)) {
        space = !out.empty();
      } else {
        if (space) out.push_back(' ');
        space = false;
        out.push_back(c);
      }
    }
  }
  return out;
}

std::string_view Unquote(std::string_view v) {
  while (!v.empty() && IsSpace(v.front())) v.remove_prefix(1);
  while (!v.empty() && IsSpace(v.back())) v.remove_suffix(1);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return v;
}

// The href value inside an <a ...> tag's attributes (lower-cased copy `lower`, original
// `tag`), or "" when there is none.
std::string_view HrefOf(std::string_view tag, std::string_view lower) {
  for (size_t p = lower.find("href"); p != std::string_view::npos; p = lower.find("href", p + 4)) {
    if (p > 0 && !IsSpace(lower[p - 1])) continue;
    size_t q = p + 4;
    while (q < lower.size() && IsSpace(lower[q])) ++q;
    if (q >= lower.size() || lower[q] != '=') continue;
    ++q;
    while (q < lower.size() && IsSpace(lower[q])) ++q;
    if (q >= lower.size()) return "";
    if (lower[q] == '"' || lower[q] == '\'') {
      const size_t close = lower.find(lower[q], q + 1);
      if (close == std::string_view::npos) return "";
      return tag.substr(q + 1, close - q - 1);
    }
    size_t end = q;
    while (end < lower.size() && !IsSpace(lower[end])) ++end;
    return tag.substr(q, end - q);
  }
  return "";
}

bool StartsWithUrl(std::string_view lower) {
  return lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.");
}

// Single words and two-word phrases that make an anchor a commercial keyword phrase. Only
// terms that are rarely a reference's title: "best", "online", "free", "download", "loans" or
// "essay" alone name ordinary pages too ("best practices", "online docs").
constexpr std::array<std::string_view, 45> kKeywordWords = {
    "buy",          "cheap",     "cheapest",    "discount", "replica",   "replicas", "wholesale",
    "casino",       "casinos",   "slots",       "poker",    "betting",   "gambling", "jackpot",
    "payday",       "forex",     "viagra",      "cialis",   "levitra",   "xanax",    "valium",
    "ambien",       "tramadol",  "phentermine", "adderall", "modafinil", "pharmacy", "pills",
    "prescription", "escort",    "escorts",     "porn",     "xxx",       "hookup",   "seo",
    "backlink",     "backlinks", "keygen",      "cracked",  "nude",      "dofollow", "kratom",
    "steroids",     "gacor",     "judi"};
constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kKeywordPairs = {
    {{"weight", "loss"},       {"writing", "service"}, {"writing", "services"},
     {"essay", "writing"},     {"write", "my"},        {"do", "my"},
     {"essay", "help"},        {"homework", "help"},   {"assignment", "help"},
     {"dissertation", "help"}, {"thesis", "help"},     {"free", "download"},
     {"near", "me"},           {"best", "price"},      {"online", "casino"},
     {"no", "deposit"},        {"free", "spins"},      {"make", "money"},
     {"earn", "money"},        {"work", "from"}}};

}  // namespace

std::string_view AnchorSyntaxName(AnchorSyntax syntax) {
  switch (syntax) {
    case AnchorSyntax::kHtml:
      return "HTML";
    case AnchorSyntax::kBbcode:
      return "BBCode";
    case AnchorSyntax::kMarkdown:
      return "Markdown";
  }
  return "HTML";
}

std::vector<Anchor> FindAnchors(std::string_view raw) {
  std::vector<Anchor> anchors;
  // Lower-cased ASCII copy: same byte positions, case-insensitive searches with find().
  std::string lower_copy(raw);
  for (char& c : lower_copy) c = Lower(c);
  const std::string_view lower = lower_copy;
  NextOf next_gt(lower, ">"), next_a_close(lower, "</a"), next_bracket_close(lower, "]"),
      next_bracket_open(lower, "["), next_url_close(lower, "[/url]");
  const size_t n = lower.size();
  size_t i = 0;
  while (i < n && anchors.size() < kMaxAnchors) {
    const char c = lower[i];
    if (c == '<' && i + 2 < n && lower[i + 1] == 'a' && IsSpace(lower[i + 2])) {
      // <a ...>text</a>: whatever the tag holds, the scan resumes after it.
      const size_t gt = next_gt.From(i);
      if (gt == std::string_view::npos) {  // an unclosed tag hides nothing after it
        ++i;
        continue;
      }
      const std::string_view href =
          HrefOf(raw.substr(i + 2, gt - i - 2), lower.substr(i + 2, gt - i - 2));
      size_t resume = gt + 1;
      if (!href.empty() && href.size() <= kMaxUrl) {
        Anchor& a = anchors.emplace_back();
        a.syntax = AnchorSyntax::kHtml;
        a.url = std::string(href);
        const size_t close = next_a_close.From(gt + 1);
        if (close != std::string_view::npos && close - gt - 1 <= kMaxText) {
          a.text = VisibleText(raw.substr(gt + 1, close - gt - 1));
          resume = close + 3;
        }
      }
      i = resume;
      continue;
    }
    if (c == '[' && lower.substr(i, 5) == "[url=") {
      // [url=URL]text[/url]
      const size_t end = next_bracket_close.From(i);
      const size_t close = next_url_close.From(i);
      if (end != std::string_view::npos && end - i - 5 <= kMaxUrl &&
          close != std::string_view::npos && close > end && close - end - 1 <= kMaxText) {
        Anchor& a = anchors.emplace_back();
        a.syntax = AnchorSyntax::kBbcode;
        a.url = std::string(Unquote(raw.substr(i + 5, end - i - 5)));
        a.text = VisibleText(raw.substr(end + 1, close - end - 1));
        i = close + 6;
        continue;
      }
    } else if (c == '[' && lower.substr(i, 5) == "[url]") {
      // [url]URL[/url]: the URL is its own text.
      const size_t close = next_url_close.From(i);
      if (close != std::string_view::npos && close - i - 5 <= kMaxUrl) {
        Anchor& a = anchors.emplace_back();
        a.syntax = AnchorSyntax::kBbcode;
        a.url = std::string(Unquote(raw.substr(i + 5, close - i - 5)));
        a.text = a.url;
        i = close + 6;
        continue;
      }
    } else if (c == '[' && (i == 0 || lower[i - 1] != '!')) {
      // [text](URL): the nearest ']' with no '[' before it; only one '[' can pair with each
      // ']', so every URL below is scanned once.
      const size_t end = next_bracket_close.From(i + 1);
      const size_t inner = next_bracket_open.From(i + 1);
      if (end != std::string_view::npos && (inner == std::string_view::npos || inner > end) &&
          end - i - 1 <= kMaxMarkdownText && end + 2 < n && lower[end + 1] == '(' &&
          StartsWithUrl(lower.substr(end + 2))) {
        size_t stop = end + 2;
        while (stop < n && lower[stop] != ')' && !IsSpace(lower[stop]) &&
               stop - end - 2 <= kMaxUrl) {
          ++stop;
        }
        if (stop < n && lower[stop] == ')') {
          Anchor& a = anchors.emplace_back();
          a.syntax = AnchorSyntax::kMarkdown;
          a.url = std::string(raw.substr(end + 2, stop - end - 2));
          a.text = VisibleText(raw.substr(i + 1, end - i - 1));
          i = stop + 1;
          continue;
        }
      }
    }
    ++i;
  }
  return anchors;
}

bool IsKeywordAnchor(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = Lower(c);
  if (lower.find("://") != std::string::npos || lower.starts_with("www.")) return false;
  // Words: runs of letters and digits (bytes of non-ASCII letters count as letters).
  std::vector<std::string_view> words;
  const std::string_view view = lower;
  size_t p = 0;
  while (p < view.size()) {
    while (p < view.size() && !(std::isalnum(static_cast<unsigned char>(view[p])) ||
                                static_cast<unsigned char>(view[p]) >= 0x80)) {
      ++p;
    }
    const size_t start = p;
    while (p < view.size() && (std::isalnum(static_cast<unsigned char>(view[p])) ||
                               static_cast<unsigned char>(view[p]) >= 0x80)) {
      ++p;
    }
    if (p > start) words.push_back(view.substr(start, p - start));
    if (words.size() > kMaxKeywordWords) return false;
  }
  for (size_t w = 0; w < words.size(); ++w) {
    for (std::string_view k : kKeywordWords) {
      if (words[w] == k) return true;
    }
    if (w + 1 < words.size()) {
      for (const auto& [first, second] : kKeywordPairs) {
        if (words[w] == first && words[w + 1] == second) return true;
      }
    }
  }
  return false;
}

}  // namespace hamlet::signals
