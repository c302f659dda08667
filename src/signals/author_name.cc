// The author name: a keyword phrase or an e-mail address instead of a name.
#include <algorithm>
#include <string>
#include <string_view>

#include "signals/ascii.h"
#include "signals/author.h"

namespace hamlet::signals {
namespace {

// Words hardly anyone is called: one of them makes a name a keyword phrase.
constexpr std::string_view kSpamWords[] = {
    "viagra", "cialis",  "levitra",  "kamagra", "tramadol", "xanax",   "casino",    "casinos",
    "poker",  "porn",    "porno",    "xxx",     "escort",   "escorts", "payday",    "essay",
    "essays", "replica", "replicas", "cbd",     "bitcoin",  "forex",   "backlinks", "pharmacy",
    "pills",  "loans",   "slots",    "betting", "bookmaker"};

// Shop, service and marketing words. A person may carry one ("George Best", "Vincent Price",
// "João Sales", "Seo-yeon"), so it takes two to make a keyword phrase.
constexpr std::string_view kCommercialWords[] = {
    "seo",        "buy",        "cheap",        "best",        "online",     "service",
    "services",   "shop",       "store",        "sale",        "sales",      "discount",
    "deal",       "deals",      "price",        "prices",      "cost",       "loan",
    "insurance",  "lawyer",     "lawyers",      "attorney",    "attorneys",  "dentist",
    "plumber",    "plumbing",   "repair",       "cleaning",    "movers",     "agency",
    "company",    "marketing",  "digital",      "solutions",   "consulting", "consultant",
    "expert",     "experts",    "professional", "top",         "free",       "download",
    "hack",       "generator",  "followers",    "likes",       "reviews",    "coupon",
    "coupons",    "promo",      "outlet",       "wholesale",   "supplier",   "manufacturer",
    "rental",     "hire",       "writing",      "writer",      "writers",    "assignment",
    "homework",   "pill",       "meds",         "weight",      "loss",       "diet",
    "keto",       "supplement", "supplements",  "trading",     "crypto",     "invest",
    "investment", "mortgage",   "credit",       "debt",        "affordable", "official",
    "website",    "web",        "design",       "development", "app",        "apk",
    "mod",        "bonus",      "jackpot",      "win",         "earn",       "money",
    "cash",       "income",     "jobs",         "hiring",      "tips"};

constexpr int kSpamWordScore = 2;

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

template <size_t N>
bool In(const std::string_view (&table)[N], std::string_view word) {
  return std::find(std::begin(table), std::end(table), word) != std::end(table);
}

// Where a name's pieces end (spaces, separators and brackets): a switch, as the name is read
// byte by byte (find_first_of over this set searched once per byte per separator).
bool IsPieceBreak(char c) {
  switch (c) {
    case ' ':
    case '\t':
    case ',':
    case ';':
    case '(':
    case ')':
    case '<':
    case '>':
    case '[':
    case ']':
    case '"':
    case '\'':
      return true;
    default:
      return false;
  }
}

}  // namespace

int NameKeywordScore(std::string_view name) {
  // Lower-case words of the name: runs of ASCII letters and digits, and of non-ASCII bytes
  // (other scripts are words too, they just never match the English lists). Scored as they
  // end, in one reused buffer (no vector of words per comment).
  int score = 0;
  std::string word;
  auto score_word = [&] {
    if (word.empty()) return;
    if (In(kSpamWords, word)) {
      score += kSpamWordScore;
    } else if (In(kCommercialWords, word)) {
      score += 1;
    }
    word.clear();
  };
  for (char c : name) {
    if (IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      word.push_back(AsciiLower(c));
    } else {
      score_word();
    }
  }
  score_word();
  return score;
}

bool NameHoldsEmailAddress(std::string_view name) {
  // Pieces of the name between spaces and brackets, each kept whole ("sales@shop.example"),
  // visited in place.
  size_t start = 0;
  while (start < name.size()) {
    size_t end = start;
    while (end < name.size() && !IsPieceBreak(name[end])) ++end;
    const std::string_view piece = name.substr(start, end - start);
    start = end + 1;
    const size_t at = piece.find('@');
    if (at == std::string_view::npos || at == 0) continue;  // "@maria" is a mention
    const std::string_view domain = piece.substr(at + 1);
    const size_t dot = domain.find('.');
    if (dot != std::string_view::npos && dot > 0 && domain.back() != '.') return true;
  }
  return false;
}

}  // namespace hamlet::signals
