// Field features, computed from the raw fields and the normalized content.
#include "text/features.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "text/normalize.h"

namespace hamlet::text {
namespace {

constexpr std::string_view kFreeMail[] = {
    "gmail.com",   "googlemail.com", "yahoo.com", "ymail.com",   "hotmail.com", "outlook.com",
    "live.com",    "msn.com",        "aol.com",   "icloud.com",  "mail.com",    "gmx.com",
    "gmx.net",     "gmx.de",         "web.de",    "yandex.ru",   "yandex.com",  "mail.ru",
    "protonmail.com", "proton.me",   "qq.com",    "163.com",     "126.com",     "zoho.com"};

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The letters-only top-level domain of `host` ("example.co.uk" -> "uk"), or "".
std::string TopLevel(std::string_view host) {
  size_t dot = host.rfind('.');
  if (dot == std::string_view::npos || dot + 1 >= host.size()) return "";
  std::string tld = Lower(host.substr(dot + 1));
  if (tld.size() > 24) return "";
  for (char c : tld) {
    if (c < 'a' || c > 'z') return "";
  }
  return tld;
}

void AuthorFeatures(const core::Comment& c, std::vector<std::string>& out) {
  if (c.comment_author.empty()) {
    out.emplace_back("_author_none_");
    return;
  }
  const std::string name = Normalize(c.comment_author);
  const auto words = Split(name);
  const size_t n = words.size();
  out.emplace_back(n <= 1 ? "_author_words_1" : n == 2 ? "_author_words_2"
                   : n == 3 ? "_author_words_3" : "_author_words_4+");
  if (std::any_of(c.comment_author.begin(), c.comment_author.end(),
                  [](char ch) { return ch >= '0' && ch <= '9'; })) {
    out.emplace_back("_author_digits_");
  }
  int upper = 0, lower = 0;
  for (char ch : c.comment_author) {
    upper += ch >= 'A' && ch <= 'Z';
    lower += ch >= 'a' && ch <= 'z';
  }
  if (upper >= 4 && lower == 0) out.emplace_back("_author_caps_");
  if (name.find("_url_") != std::string::npos || name.find("_email_") != std::string::npos) {
    out.emplace_back("_author_has_url_");
  }
}

void EmailFeatures(const core::Comment& c, std::vector<std::string>& out) {
  const std::string& email = c.comment_author_email;
  const size_t at = email.rfind('@');
  if (at == std::string::npos) return;
  const std::string domain = Lower(std::string_view(email).substr(at + 1));
  if (std::find(std::begin(kFreeMail), std::end(kFreeMail), domain) != std::end(kFreeMail)) {
    out.emplace_back("_email_free_");
  }
  if (std::string tld = TopLevel(domain); !tld.empty()) out.push_back("_email_tld_" + tld);
  int digits = 0;
  for (size_t i = 0; i < at; ++i) digits += email[i] >= '0' && email[i] <= '9';
  if (digits >= 3) out.emplace_back("_email_digits_");
}

void AuthorUrlFeatures(const core::Comment& c, std::vector<std::string>& out) {
  if (c.comment_author_url.empty()) return;
  out.emplace_back("_has_author_url_");
  // The normalizer's URL tokens: "_url_ _tld_com [_shortener_] [site]".
  const std::string url = Normalize(c.comment_author_url);
  for (std::string_view t : Split(url)) {
    if (t.substr(0, 5) == "_tld_") out.push_back("_aurl_tld_" + std::string(t.substr(5)));
    if (t == "_shortener_") out.emplace_back("_aurl_shortener_");
  }
  // A path past the host ("example.com/buy-cheap-pills") is a landing page, not a home page.
  std::string_view rest = c.comment_author_url;
  if (size_t scheme = rest.find("://"); scheme != std::string_view::npos) {
    rest.remove_prefix(scheme + 3);
  }
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    std::string_view path = rest.substr(slash);
    while (!path.empty() && (path.back() == '/' || path.back() == ' ')) path.remove_suffix(1);
    if (!path.empty()) out.emplace_back("_aurl_path_");
  }
}

void ContentFeatures(std::string_view normalized, std::vector<std::string>& out) {
  size_t links = 0, words = 0;
  for (std::string_view t : Split(normalized)) {
    if (t == "_url_") ++links;
    // Word-like tokens: not the normalizer's markers and not a lone ! or ?.
    if (t.front() != '_' && t != "!" && t != "?") ++words;
  }
  out.emplace_back(links == 0 ? "_links_0" : links == 1 ? "_links_1"
                   : links == 2 ? "_links_2" : "_links_3+");
  if (links > 0 && words <= 8 * links) out.emplace_back("_links_dense_");
  out.emplace_back(words <= 1 ? "_len_1" : words <= 3 ? "_len_3" : words <= 10 ? "_len_10"
                   : words <= 30 ? "_len_30" : words <= 100 ? "_len_100" : "_len_100+");
}

void TypeFeatures(const core::Comment& c, std::vector<std::string>& out) {
  if (c.comment_type.empty()) return;
  const std::string type = Lower(c.comment_type);
  constexpr std::string_view kKnown[] = {"comment", "reply", "trackback", "pingback"};
  const bool known = std::find(std::begin(kKnown), std::end(kKnown), type) != std::end(kKnown);
  out.push_back("_type_" + (known ? type : std::string("other")) + "_");
}

}  // namespace

std::vector<std::string> FieldFeatures(const core::Comment& comment,
                                       std::string_view normalized_content) {
  std::vector<std::string> out;
  AuthorFeatures(comment, out);
  EmailFeatures(comment, out);
  AuthorUrlFeatures(comment, out);
  ContentFeatures(normalized_content, out);
  TypeFeatures(comment, out);
  return out;
}

}  // namespace hamlet::text
