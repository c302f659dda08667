// DecisionFeed: for sites that poll instead of receiving webhooks (GET /v1/decisions): the
// site's decisions that were made, or got a moderator's (or the site's own) label, after a
// cursor, one page at a time. A key sees only the decisions of the site it is bound to.
#pragma once

#include <string>

#include "core/status.h"
#include "engine/site_directory.h"
#include "store/store.h"

namespace hamlet::engine {

struct DecisionFeedPage {
  store::DecisionChangesPage changes;
  bool personal_data = false;  // the site's outcome_personal_data
};

class DecisionFeed {
 public:
  static constexpr int kDefaultLimit = 100;
  static constexpr int kMaxLimit = 1000;

  // The collaborators must outlive the feed.
  DecisionFeed(store::Store& store, const SiteDirectory& sites);

  // The changes of `key`'s site after `cursor` ("" = from the first decision), at most
  // `limit`. InvalidArgument for a limit outside 1..kMaxLimit or a cursor this service did
  // not hand out; PermissionDenied for a key bound to no site.
  core::Result<DecisionFeedPage> Changes(const store::SiteKey& key, const std::string& cursor,
                                         int limit) const;

 private:
  store::Store& store_;
  const SiteDirectory& sites_;
};

}  // namespace hamlet::engine
