// Links in the comment: how many, how dense, where they point and how they are written.
//   links.count           3 or more links (well-known reference sites not counted)
//   links.density         links packed among few words
//   links.shortener       a URL shortener hides where a link goes
//   links.obfuscated      a domain written to dodge filters ("site [dot] com")
//   links.author_name     the author's name is or holds a link
//   links.author_domain   the text links to the author URL's own site (self-promotion; weak,
//                         bloggers link their own write-ups too)
//   links.markup          BBCode link markup (a forum-spam tool's signature: blogs do not
//                         render it) or HTML <a href> typed into a comment
//   links.keyword_anchor  an anchor whose text is a keyword phrase (SEO link drop)
// One link to a well-known reference site (Wikipedia, doi.org, a .gov page) says nothing.
#pragma once

#include <string_view>
#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

// A site people cite rather than sell: Wikipedia and its sister projects, doi.org, arXiv,
// the Internet Archive, GitHub, Stack Overflow, standards bodies, and government, military
// or academic domains (.gov, .edu, .mil, .int, gov.uk, ac.uk, ...). `host` is lower-case.
[[nodiscard]] bool IsReferenceHost(std::string_view host);

void CheckLinks(const CheckInput& input, std::vector<core::SignalHit>& hits);

}  // namespace hamlet::signals
