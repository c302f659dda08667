// The moderators' view of the decision log.
#include "engine/moderation.h"

namespace hamlet::engine {

Moderation::Moderation(store::Store& store) : store_(store) {}

core::Result<std::vector<store::DecisionRecord>> Moderation::Queue(int limit, int offset,
                                                                   bool unreviewed_only) const {
  store::DecisionFilter filter;
  filter.flagged_only = true;
  filter.unreviewed_only = unreviewed_only;
  filter.limit = limit;
  filter.offset = offset;
  return store_.ListDecisions(filter);
}

core::Result<DecisionDetail> Moderation::Show(const std::string& id) const {
  auto found = store_.GetDecision(id);
  if (!found) return found.error();
  if (!found->has_value()) return core::Status::NotFound("no decision with id '" + id + "'");
  auto feedback = store_.ListFeedback(id);
  if (!feedback) return feedback.error();
  return DecisionDetail{std::move(**found), std::move(*feedback)};
}

}  // namespace hamlet::engine
