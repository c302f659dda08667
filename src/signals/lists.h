// Lists: the reference data and the operator's allow/block lists the checks consult, as one
// immutable snapshot. The engine builds it (shipped files under data/lists/ plus the entries
// operators add with `hamlet lists`) and swaps in a new one when they change; checks only read.
// A snapshot is what applies to the comment being judged: the entries for every site and
// those of the comment's own site.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "signals/match_list.h"

namespace hamlet::signals {

struct Lists {
  // Throw-away e-mail providers (data/lists/disposable-email-domains.txt), lower-case domains.
  std::unordered_set<std::string> disposable_email_domains;
  // The allow and block lists that apply: for every site (files and store), then the site's
  // own. Never null pointers.
  std::vector<std::shared_ptr<const MatchList>> allow;
  std::vector<std::shared_ptr<const MatchList>> block;

  // Whether `domain` or a parent domain of it is a disposable e-mail provider.
  bool IsDisposableEmailDomain(std::string_view domain) const;
};

}  // namespace hamlet::signals
