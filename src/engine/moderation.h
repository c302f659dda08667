// Moderation: the moderators' view of the decision log (queue, show).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace hamlet::engine {

struct DecisionDetail {
  store::DecisionRecord decision;
  std::vector<store::FeedbackRecord> feedback;
};

class Moderation {
 public:
  explicit Moderation(store::Store& store);
  // Flagged (spam, discard, uncertain) decisions, newest first.
  core::Result<std::vector<store::DecisionRecord>> Queue(int limit, int offset,
                                                         bool unreviewed_only) const;
  // NotFound when there is no decision with this id.
  core::Result<DecisionDetail> Show(const std::string& id) const;

 private:
  store::Store& store_;
};

}  // namespace hamlet::engine
