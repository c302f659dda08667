// The vocabulary of the operator's allow and block lists (`hamlet lists`): which list an entry
// is on, what kind of value it holds, and the one canonical spelling of each value, so that
// the store, the files under data/lists/ and the matcher all agree on what an entry means.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hamlet::signals {

enum class ListName { kAllow, kBlock };

enum class ListKind {
  kIp,           // an address or a CIDR network, IPv4 or IPv6, matched against user_ip
  kEmail,        // the author's whole e-mail address
  kEmailDomain,  // the domain of the author's e-mail, and its subdomains
  kUrlDomain,    // a host linked in the text or the author URL, and its subdomains
  kWord,         // a word or phrase, whole words, on the normalized (case-folded) text
  kRegex,        // an RE2 pattern, searched in the comment text as submitted
};

// "allow", "block"; and back (nullopt for anything else).
std::string_view ListNameText(ListName list);
std::optional<ListName> ParseListName(std::string_view text);

// "ip", "email", "email_domain", "url_domain", "word", "regex"; and back.
std::string_view ListKindName(ListKind kind);
std::optional<ListKind> ParseListKind(std::string_view text);
// Every kind, in the order above.
std::span<const ListKind> ListKinds();

// The canonical form of `value` for `kind`, or InvalidArgument saying what is wrong with it:
//   ip:           "203.0.113.7", "203.0.113.0/24", "2001:db8::/32" (RFC 5952 text; a prefix
//                 that covers a single address is dropped). Host bits set past the prefix
//                 and networks wider than /8 (IPv4) or /16 (IPv6) are refused.
//   email:        "ann@mail.example", lower-cased.
//   email_domain: "mail.example", lower-cased, without a leading "@" or "*.".
//   url_domain:   "spam.example", lower-cased; a URL is reduced to its host.
//   word:         text::Normalize(value), at most 8 words, no link, address or number
//                 markers (use url_domain or email for those).
//   regex:        the pattern as given, if RE2 accepts it (signals/pattern.h).
core::Result<std::string> CanonicalListValue(ListKind kind, std::string_view value);

}  // namespace hamlet::signals
