// Author-field checks (family "author"): what the name, e-mail and URL fields say about the
// sender. A link or domain in the name belongs to the links family (links.author_name). Each is
// small evidence on its own (the model sees these fields too), tuned so that ordinary names and
// addresses ("Dr. Anna Smith", "John from Ohio", "gamer_123", "maria.2024@...") never trip them;
// contributions are in docs/checks.md.
#pragma once

#include <string_view>
#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

// Hits:
//   author.disposable_email  +1.5  the e-mail's domain (or a parent) is a throw-away provider
//   author.email_shape       +1.0  the e-mail cannot be delivered to (EmailShapeProblem)
//   author.email_digits      +0.75 the local part is digits-heavy or random (DigitHeavyLocalPart)
//   author.name_keywords     +1.5 / +2.5  the name is a keyword phrase (NameKeywordScore 2 / 3+)
//   author.name_email        +2    an e-mail address as (or in) the name
//   author.url_first_comment +1.0  an author URL on the sender's first comment on this site
//                                  (only with history; never for a URL on the site itself)
void CheckAuthor(const CheckInput& input, std::vector<core::SignalHit>& hits);

// Why the e-mail address `email` cannot be a real mailbox ("has no domain", "has no dot in
// its domain", ...), or "" when its shape is fine. Reserved example domains are fine.
std::string_view EmailShapeProblem(std::string_view email);

// Whether an e-mail's local part looks machine-made: 6+ digits and more digits than letters
// ("anna19871203", "9876543210"), or letters and digits alternating 5+ times ("k3j9x2m7q").
// "john1985", "maria.2024", "r2d2fan", "john12345" are not.
bool DigitHeavyLocalPart(std::string_view local);

// How much an author name reads like a commercial keyword phrase: each word from a list of
// shop, service and spam words counts 1 (seo, best, online ...), a word hardly any person is
// called (viagra, casino, essay ...) 2. "Buy Essay Online" 4, "Best SEO Services" 3, "Dr. Anna
// Smith" 0, "George Best" 1.
int NameKeywordScore(std::string_view name);

// Whether the name is or holds an e-mail address ("sales@bestseo.example"); "@maria" and
// "Ann @ home" are not. (A URL or domain in the name is links.author_name, links family.)
bool NameHoldsEmailAddress(std::string_view name);

}  // namespace hamlet::signals
