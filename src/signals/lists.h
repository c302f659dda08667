// Lists: the reference data and the operator's allow/block lists the checks consult, as one
// immutable snapshot. The engine builds it (shipped files under data/lists/ plus the entries
// operators add with `hamlet lists`) and swaps in a new one when they change; checks only read.
#pragma once

#include <string>
#include <unordered_set>

namespace hamlet::signals {

struct Lists {
  // Throw-away e-mail providers (data/lists/disposable-email-domains.txt), lower-case domains.
  std::unordered_set<std::string> disposable_email_domains;
};

}  // namespace hamlet::signals
