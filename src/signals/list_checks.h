// The list checks (family "lists"): the operator's block list settles a comment as spam, the
// allow list and a logged-in role lean to ham. Entries come from data/lists/ and
// `hamlet lists`; contributions and the reasons for them are in docs/checks.md.
#pragma once

#include <vector>

#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

// Hits, at most one per list and kind (the most specific entry is named):
//   lists.block_<kind>  forces spam (never discard, so the comment stays recoverable)
//   lists.allow_<kind>  negative: ip, email -5; email_domain -3; url_domain -3 when every
//                       linked host and the author URL are allowed; word, regex -2
//   lists.role          user_role of a logged-in user: -3 for roles a site owner grants
//                       (editor, author, contributor, shop manager, moderator), -1 for others
//                       (subscriber, customer: open registration lets anyone have them)
void CheckLists(const CheckInput& input, std::vector<core::SignalHit>& hits);

// The ham-leaning contribution of `user_role` (WordPress sends a comma-separated list), 0
// for none, "guest" or administrator (Akismet's test hook already settles that).
double RoleContribution(std::string_view user_role);

}  // namespace hamlet::signals
