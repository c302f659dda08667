// Host and site-domain extraction.
#include "text/domain.h"

#include <algorithm>
#include <array>

namespace hamlet::text {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool IsIpv4(std::string_view host) {
  int dots = 0, digits = 0;
  for (char c : host) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = 0;
    } else if (c >= '0' && c <= '9') {
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

// Second-level labels under which country registries sell names ("co.uk", "com.au").
constexpr std::array<std::string_view, 9> kSecondLevel = {"co", "com", "net", "org", "gov",
                                                          "ac", "edu", "or",  "ne"};

}  // namespace

std::string UrlHost(std::string_view url) {
  while (!url.empty() && (url.front() == ' ' || url.front() == '\t')) url.remove_prefix(1);
  if (size_t scheme = url.find("://"); scheme != std::string_view::npos && scheme < 10) {
    url.remove_prefix(scheme + 3);
  } else if (url.substr(0, 2) == "//") {
    url.remove_prefix(2);
  }
  // The authority ends at the first '/', '?' or '#'. A plain loop: find_first_of searches the
  // set once per character (three memchr calls each), and hosts are looked up many times per
  // comment.
  size_t end = 0;
  while (end < url.size() && url[end] != '/' && url[end] != '?' && url[end] != '#') ++end;
  std::string_view authority = url.substr(0, end);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  while (!authority.empty() && authority.back() == '.') authority.remove_suffix(1);
  if (authority.size() < 3 || authority.find('.') == std::string_view::npos) return "";
  for (char c : authority) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || static_cast<unsigned char>(c) >= 0x80;
    if (!ok) return "";
  }
  return LowerCopy(authority);
}

std::string SiteDomain(std::string_view host) {
  std::string h = LowerCopy(host);
  while (!h.empty() && h.back() == '.') h.pop_back();
  if (IsIpv4(h)) return h;
  const size_t last = h.rfind('.');
  if (last == std::string::npos || last == 0) return h;
  const size_t second = h.rfind('.', last - 1);
  if (second == std::string::npos) return h;
  const std::string_view sld = std::string_view(h).substr(second + 1, last - second - 1);
  const bool country = h.size() - last - 1 == 2;
  if (country && std::find(kSecondLevel.begin(), kSecondLevel.end(), sld) != kSecondLevel.end()) {
    const size_t third = h.rfind('.', second - 1);
    return third == std::string::npos || second == 0 ? h : h.substr(third + 1);
  }
  return h.substr(second + 1);
}

std::string EmailDomain(std::string_view email) {
  const size_t at = email.rfind('@');
  if (at == std::string_view::npos || at + 1 >= email.size()) return "";
  std::string_view domain = email.substr(at + 1);
  while (!domain.empty() && (domain.back() == ' ' || domain.back() == '.')) domain.remove_suffix(1);
  return LowerCopy(domain);
}

}  // namespace hamlet::text
