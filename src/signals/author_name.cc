// The author name: a keyword phrase, a URL, a domain or an e-mail address instead of a name.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

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

// Top-level domains that make a dotted word in a name a domain: commercial and country
// ones spam uses. Words that are also short English words ("me", "it", "is", "to") are left
// out, so "Jo.Me" or "Al.It" stay names.
constexpr std::string_view kNameTlds[] = {
    "com", "net",  "org", "info", "biz",   "xyz",  "online", "site",    "shop", "store",
    "top", "club", "io",  "co",   "ru",    "cn",   "pro",    "live",    "link", "click",
    "vip", "app",  "dev", "blog", "uk",    "de",   "fr",     "pl",      "nl",   "eu",
    "ca",  "au",   "su",  "ua",   "ws",    "cc",   "tk",     "ml",      "ga",   "cf",
    "gq",  "pw",   "icu", "buzz", "space", "tech", "fun",    "website", "ltd",  "agency"};

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Lower-case words of a name: runs of ASCII letters and digits, and of non-ASCII bytes
// (other scripts are words too, they just never match the English lists).
std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  for (char c : name) {
    if (IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      current.push_back(AsciiLower(c));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

template <size_t N>
bool In(const std::string_view (&table)[N], std::string_view word) {
  return std::find(std::begin(table), std::end(table), word) != std::end(table);
}

// Space-separated pieces of the name, each kept whole ("bestseo.com/shop").
std::vector<std::string_view> Pieces(std::string_view name) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < name.size()) {
    size_t end = name.find_first_of(" \t,;()<>[]\"'", start);
    if (end == std::string_view::npos) end = name.size();
    if (end > start) out.push_back(name.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (AsciiLower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// "bestseo.com", "shop.example.co.uk/x": dot-separated ASCII labels ending in kNameTlds, the
// label before it of 2+ characters.
bool IsDomain(std::string_view piece) {
  piece = piece.substr(0, piece.find_first_of("/?#"));
  while (!piece.empty() && (piece.back() == '.' || piece.back() == ':')) piece.remove_suffix(1);
  const size_t last = piece.rfind('.');
  if (last == std::string_view::npos || last < 2) return false;
  std::string tld;
  for (char c : piece.substr(last + 1)) tld.push_back(AsciiLower(c));
  if (!In(kNameTlds, tld)) return false;
  size_t label_start = piece.rfind('.', last - 1);
  label_start = label_start == std::string_view::npos ? 0 : label_start + 1;
  if (last - label_start < 2) return false;
  for (char c : piece.substr(0, last)) {
    if (!IsAsciiAlnum(c) && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

int NameKeywordScore(std::string_view name) {
  int score = 0;
  for (const std::string& word : NameWords(name)) {
    if (In(kSpamWords, word)) {
      score += kSpamWordScore;
    } else if (In(kCommercialWords, word)) {
      score += 1;
    }
  }
  return score;
}

NameLink FindNameLink(std::string_view name) {
  NameLink found = NameLink::kNone;
  for (std::string_view piece : Pieces(name)) {
    if (StartsWithNoCase(piece, "http://") || StartsWithNoCase(piece, "https://") ||
        StartsWithNoCase(piece, "www.")) {
      return NameLink::kUrl;
    }
    if (const size_t at = piece.find('@'); at != std::string_view::npos && at > 0) {
      const std::string_view domain = piece.substr(at + 1);
      if (domain.find('.') != std::string_view::npos && domain.back() != '.') {
        found = NameLink::kEmail;
      }
      continue;
    }
    if (found == NameLink::kNone && IsDomain(piece)) found = NameLink::kDomain;
  }
  return found;
}

}  // namespace hamlet::signals
