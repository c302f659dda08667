// Contacts in comment text: links, e-mail addresses and phone numbers, which are what a spammer
// wants the reader to use. The moderator's views highlight them, `hamlet queue --domain` and
// `hamlet stats` read the links' domains. Detection only: nothing here follows a link.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/comment.h"

namespace hamlet::engine {

enum class ContactKind { kLink, kEmail, kPhone };

// text[begin, end) is a contact of this kind.
struct ContactSpan {
  size_t begin = 0;
  size_t end = 0;
  ContactKind kind = ContactKind::kLink;
};

// The contacts in `text`, in order, never overlapping. Links start with http://, https:// or
// www. at a word boundary and run to the next space, less trailing punctuation. E-mail
// addresses are local@domain.tld. Phone numbers are 7 to 15 digits, optionally grouped by
// spaces, dots, dashes or parentheses and led by '+'; ISO dates and dotted quads are not
// phone numbers. Deterministic, byte-based (UTF-8 passes through untouched).
std::vector<ContactSpan> FindContacts(std::string_view text);

// The host of a link or URL, lowercased, without userinfo, port, a trailing dot and a leading
// "www."; "" when it has none ("http://", "mailto:x").
std::string LinkHost(std::string_view link);

// True when `host` is `domain` or one of its subdomains ("shop.pills.example" matches
// "pills.example"; "notpills.example" does not). Both lowercase; a leading "www." of `domain`
// is ignored.
bool DomainMatches(std::string_view host, std::string_view domain);

// The distinct hosts of the links in the comment's content and of its author URL, in order of
// first appearance.
std::vector<std::string> LinkDomains(const core::Comment& comment);

}  // namespace hamlet::engine
