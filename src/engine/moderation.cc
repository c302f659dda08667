// The moderators' view of the decision log.
#include "engine/moderation.h"

#include <algorithm>
#include <utility>

#include "engine/contacts.h"

namespace hamlet::engine {
namespace {

// Decisions read per store call when a listing walks the whole selection.
constexpr int kScanPage = 500;

}  // namespace

bool LinksToDomain(const store::DecisionRecord& record, const std::string& domain) {
  const auto hosts = LinkDomains(record.comment);
  return std::any_of(hosts.begin(), hosts.end(),
                     [&](const std::string& host) { return DomainMatches(host, domain); });
}

Moderation::Moderation(store::Store& store) : store_(store) {}

core::Status Moderation::ForEach(const QueueQuery& query,
                                 const std::function<bool(store::DecisionRecord)>& take) const {
  store::DecisionFilter filter = query.filter;
  // The store pre-filters on the text; the links are checked here.
  if (!query.domain.empty()) filter.mentions = query.domain;
  filter.limit = kScanPage;
  filter.offset = 0;
  for (;;) {
    auto page = store_.ListDecisions(filter);
    if (!page) return page.error();
    for (store::DecisionRecord& r : *page) {
      if (!query.domain.empty() && !LinksToDomain(r, query.domain)) continue;
      if (!take(std::move(r))) return core::Status::Ok();
    }
    if (static_cast<int>(page->size()) < kScanPage) return core::Status::Ok();
    filter.offset += kScanPage;
  }
}

core::Result<QueuePage> Moderation::List(const QueueQuery& query) const {
  const store::DecisionFilter& filter = query.filter;
  if (filter.limit < 0 || filter.offset < 0) {
    return core::Status::InvalidArgument("list decisions: limit and offset must not be negative");
  }
  QueuePage page;
  if (query.domain.empty()) {
    auto items = store_.ListDecisions(filter);
    if (!items) return items.error();
    auto total = store_.CountMatchingDecisions(filter);
    if (!total) return total.error();
    page.items = std::move(*items);
    page.total = *total;
    return page;
  }
  core::Status s = ForEach(query, [&](store::DecisionRecord r) {
    if (page.total >= filter.offset && page.total < int64_t{filter.offset} + filter.limit) {
      page.items.push_back(std::move(r));
    }
    ++page.total;
    return true;
  });
  if (!s.ok()) return s;
  return page;
}

core::Result<std::vector<store::DecisionRecord>> Moderation::All(const QueueQuery& query,
                                                                 int max_items,
                                                                 bool* truncated) const {
  std::vector<store::DecisionRecord> out;
  bool more = false;
  core::Status s = ForEach(query, [&](store::DecisionRecord r) {
    if (static_cast<int>(out.size()) >= max_items) {
      more = true;
      return false;
    }
    out.push_back(std::move(r));
    return true;
  });
  if (!s.ok()) return s;
  if (truncated != nullptr) *truncated = more;
  return out;
}

core::Result<DecisionDetail> Moderation::Show(const std::string& id) const {
  auto found = store_.GetDecision(id);
  if (!found) return found.error();
  if (!found->has_value()) {
    return core::Status::NotFound("no decision with id '" + id +
                                  "' (never stored, or deleted by retention when old)");
  }
  auto feedback = store_.ListFeedback(id);
  if (!feedback) return feedback.error();
  DecisionDetail detail{std::move(**found), std::move(*feedback), {}};
  for (const store::FeedbackRecord& f : detail.feedback) {
    if (f.action_id == 0) continue;
    const bool seen =
        std::any_of(detail.actions.begin(), detail.actions.end(),
                    [&](const store::ModeratorAction& a) { return a.id == f.action_id; });
    if (seen) continue;
    auto action = store_.GetModeratorAction(f.action_id);
    if (!action) return action.error();
    if (action->has_value()) detail.actions.push_back(std::move(**action));
  }
  return detail;
}

}  // namespace hamlet::engine
