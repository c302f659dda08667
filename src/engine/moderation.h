// Moderation: the moderators' view of the decision log: the filtered queue, one decision with
// its history. Read-only; verdicts go through ModeratorActions.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace hamlet::engine {

// What a moderator asks the queue for: everything the store can select, plus a link domain,
// which the engine checks itself (the store only pre-filters on the text).
struct QueueQuery {
  store::DecisionFilter filter;
  // Only decisions with a link to this domain or a subdomain of it, in the content or as the
  // author URL. Lowercase; empty: any.
  std::string domain;
};

struct QueuePage {
  std::vector<store::DecisionRecord> items;  // filter.limit at most, from filter.offset
  int64_t total = 0;                         // what the query selects, every page together
};

struct DecisionDetail {
  store::DecisionRecord decision;
  std::vector<store::FeedbackRecord> feedback;  // oldest first, revoked rows included
  std::vector<store::ModeratorAction> actions;  // the actions named by `feedback`, oldest first
};

class Moderation {
 public:
  explicit Moderation(store::Store& store);

  // One page of what `query` selects, in query.filter.order, and the total.
  // InvalidArgument for a bad text query, a negative limit or offset.
  core::Result<QueuePage> List(const QueueQuery& query) const;
  // Calls `take` with every decision `query` selects (its limit and offset ignored), in its
  // order, read a page at a time, until `take` returns false.
  core::Status ForEach(const QueueQuery& query,
                       const std::function<bool(store::DecisionRecord)>& take) const;
  // Every decision `query` selects (its limit and offset ignored), in its order, up to
  // `max_items`; `truncated` is set when there were more.
  core::Result<std::vector<store::DecisionRecord>> All(const QueueQuery& query, int max_items,
                                                       bool* truncated = nullptr) const;
  // NotFound when there is no decision with this id.
  core::Result<DecisionDetail> Show(const std::string& id) const;

 private:
  store::Store& store_;
};

// True when `record` has a link to `domain` (or a subdomain) in its content or author URL.
bool LinksToDomain(const store::DecisionRecord& record, const std::string& domain);

}  // namespace hamlet::engine
