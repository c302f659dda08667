// List names, kinds and canonical values.
#include "signals/list_kind.h"

#include <algorithm>
#include <array>
#include <utility>

#include "signals/ascii.h"
#include "signals/ip_address.h"
#include "signals/pattern.h"
#include "text/domain.h"
#include "text/normalize.h"

namespace hamlet::signals {
namespace {

constexpr std::array<std::pair<ListKind, std::string_view>, 6> kKindNames = {{
    {ListKind::kIp, "ip"},
    {ListKind::kEmail, "email"},
    {ListKind::kEmailDomain, "email_domain"},
    {ListKind::kUrlDomain, "url_domain"},
    {ListKind::kWord, "word"},
    {ListKind::kRegex, "regex"},
}};
constexpr std::array<ListKind, 6> kKinds = {ListKind::kIp,          ListKind::kEmail,
                                            ListKind::kEmailDomain, ListKind::kUrlDomain,
                                            ListKind::kWord,        ListKind::kRegex};

constexpr int kMaxWords = 8;

core::Status Invalid(ListKind kind, std::string_view value, std::string_view why) {
  return core::Status::InvalidArgument(std::string(ListKindName(kind)) + " '" +
                                       std::string(value.substr(0, 200)) + "' " + std::string(why));
}

// Dot-separated labels of letters, digits and '-' (or non-ASCII bytes, for internationalized
// names written in Unicode), none empty, none starting or ending with '-', at most 253 bytes.
bool IsHostName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  size_t start = 0;
  while (start <= host.size()) {
    size_t end = host.find('.', start);
    if (end == std::string_view::npos) end = host.size();
    const std::string_view label = host.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      static_cast<unsigned char>(c) >= 0x80;
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

core::Result<std::string> CanonicalIp(std::string_view value) {
  std::string why;
  auto net = ParseIpNetwork(value, &why);
  if (!net) return Invalid(ListKind::kIp, value, "is not an address or network: " + why);
  const int min = net->base.v4 ? 8 : 16;
  if (net->WrittenPrefix() < min) {
    return Invalid(ListKind::kIp, value,
                   "is too wide: networks must be /" + std::to_string(min) + " or narrower");
  }
  return FormatIpNetwork(*net);
}

core::Result<std::string> CanonicalDomain(ListKind kind, std::string_view value) {
  std::string host = AsciiLower(value);
  if (kind == ListKind::kUrlDomain && host.find_first_of("/:") != std::string::npos) {
    host = text::UrlHost(host);  // a URL: keep its host
  }
  std::string_view h = host;
  if (kind == ListKind::kEmailDomain && !h.empty() && h.front() == '@') h.remove_prefix(1);
  if (h.substr(0, 2) == "*.") h.remove_prefix(2);
  while (!h.empty() && h.back() == '.') h.remove_suffix(1);
  if (!IsHostName(h)) {
    return Invalid(kind, value, "is not a domain name (labels of letters, digits and '-')");
  }
  return std::string(h);
}

core::Result<std::string> CanonicalEmail(std::string_view value) {
  const std::string email = AsciiLower(value);
  const size_t at = email.rfind('@');
  if (at == std::string::npos || at == 0) {
    return Invalid(ListKind::kEmail, value, "is not an e-mail address (local@domain)");
  }
  for (char c : std::string_view(email).substr(0, at)) {
    if (c == ' ' || c == '\t' || c == '@') {
      return Invalid(ListKind::kEmail, value, "is not an e-mail address (local@domain)");
    }
  }
  if (!IsHostName(std::string_view(email).substr(at + 1))) {
    return Invalid(ListKind::kEmail, value, "has no valid domain after '@'");
  }
  return email;
}

core::Result<std::string> CanonicalWord(std::string_view value) {
  const std::string normalized = text::Normalize(value);
  // Punctuation alone ("!!!") is no word: it would match every excited comment.
  const bool has_word = std::any_of(normalized.begin(), normalized.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           static_cast<unsigned char>(c) >= 0x80;
  });
  if (!has_word) return Invalid(ListKind::kWord, value, "has no words in it");
  int words = 1;
  for (char c : normalized) words += c == ' ';
  if (words > kMaxWords) {
    return Invalid(ListKind::kWord, value,
                   "is longer than " + std::to_string(kMaxWords) + " words; use a regex");
  }
  if (normalized.front() == '_' || normalized.find(" _") != std::string::npos) {
    return Invalid(ListKind::kWord, value,
                   "normalizes to '" + normalized +
                       "': links, e-mail addresses and numbers become markers in the "
                       "normalized text; use url_domain, email or a regex instead");
  }
  return normalized;
}

}  // namespace

std::string_view ListNameText(ListName list) {
  return list == ListName::kAllow ? "allow" : "block";
}

std::optional<ListName> ParseListName(std::string_view text) {
  if (text == "allow") return ListName::kAllow;
  if (text == "block") return ListName::kBlock;
  return std::nullopt;
}

std::string_view ListKindName(ListKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "?";
}

std::optional<ListKind> ParseListKind(std::string_view text) {
  for (const auto& [k, name] : kKindNames) {
    if (name == text) return k;
  }
  return std::nullopt;
}

std::span<const ListKind> ListKinds() { return kKinds; }

core::Result<std::string> CanonicalListValue(ListKind kind, std::string_view value) {
  // A regex keeps its spaces; everything else is trimmed.
  const std::string_view trimmed = kind == ListKind::kRegex ? value : TrimAsciiSpace(value);
  if (trimmed.empty()) return Invalid(kind, value, "is empty");
  switch (kind) {
    case ListKind::kIp:
      return CanonicalIp(trimmed);
    case ListKind::kEmail:
      return CanonicalEmail(trimmed);
    case ListKind::kEmailDomain:
    case ListKind::kUrlDomain:
      return CanonicalDomain(kind, trimmed);
    case ListKind::kWord:
      return CanonicalWord(trimmed);
    case ListKind::kRegex: {
      auto pattern = Pattern::Compile(trimmed);
      if (!pattern) return pattern.error();
      return std::string(trimmed);
    }
  }
  return Invalid(kind, value, "has an unknown kind");
}

}  // namespace hamlet::signals
