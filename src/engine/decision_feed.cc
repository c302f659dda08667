// The polled feed of a site's decision changes.
#include "engine/decision_feed.h"

namespace hamlet::engine {

DecisionFeed::DecisionFeed(store::Store& store, const SiteDirectory& sites)
    : store_(store), sites_(sites) {}

core::Result<DecisionFeedPage> DecisionFeed::Changes(const store::SiteKey& key,
                                                     const std::string& cursor, int limit) const {
  if (limit < 1 || limit > kMaxLimit) {
    return core::Status::InvalidArgument("limit must be between 1 and " +
                                         std::to_string(kMaxLimit));
  }
  if (key.site_url.empty()) {
    return core::Status::PermissionDenied("this key is bound to no site");
  }
  auto page = store_.ListDecisionChanges(key.site_url, cursor, limit);
  if (!page) return page.error();
  return DecisionFeedPage{std::move(page).value(), sites_.For(key.site_url)->outcome_personal_data};
}

}  // namespace hamlet::engine
