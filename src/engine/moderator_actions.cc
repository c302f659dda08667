// Recording, planning and undoing moderators' verdicts.
#include "engine/moderator_actions.h"

#include <utility>

namespace hamlet::engine {

ModeratorActions::ModeratorActions(store::Store& store, const Moderation& moderation,
                                   const core::Clock& clock, const WebhookOutbox* outbox)
    : store_(store), moderation_(moderation), clock_(clock), outbox_(outbox) {}

core::Status ModeratorActions::AddToPlan(store::DecisionRecord record, ActionPlan& plan,
                                         std::unordered_set<std::string>& seen) const {
  // A verdict on a recheck is a verdict on the comment: it goes to the first check, where the
  // statistics and the sites' reports put it too.
  if (!record.recheck_of.empty()) {
    auto original = store_.GetDecision(record.recheck_of);
    if (!original) return original.error();
    if (original->has_value()) record = std::move(**original);
  }
  if (!seen.insert(record.id).second) return core::Status::Ok();
  if (record.feedback_label == LabelName(plan.label)) {
    plan.unchanged.push_back(std::move(record));
  } else {
    plan.to_change.push_back(std::move(record));
  }
  return core::Status::Ok();
}

core::Result<ActionPlan> ModeratorActions::PlanForIds(const std::vector<std::string>& ids,
                                                      Label label) const {
  ActionPlan plan;
  plan.label = label;
  std::unordered_set<std::string> seen;
  for (const std::string& id : ids) {
    auto found = store_.GetDecision(id);
    if (!found) return found.error();
    if (!found->has_value()) return core::Status::NotFound("no decision with id '" + id + "'");
    if (core::Status s = AddToPlan(std::move(**found), plan, seen); !s.ok()) return s;
  }
  return plan;
}

core::Result<ActionPlan> ModeratorActions::PlanForQuery(const QueueQuery& query, Label label,
                                                        int max_items) const {
  bool truncated = false;
  auto selected = moderation_.All(query, max_items, &truncated);
  if (!selected) return selected.error();
  if (truncated) {
    return core::Status::InvalidArgument("the filter selects more than " +
                                         std::to_string(max_items) +
                                         " decisions; narrow it, or raise --max-items");
  }
  ActionPlan plan;
  plan.label = label;
  std::unordered_set<std::string> seen;
  for (store::DecisionRecord& r : *selected) {
    if (core::Status s = AddToPlan(std::move(r), plan, seen); !s.ok()) return s;
  }
  return plan;
}

core::Result<store::ModeratorAction> ModeratorActions::Apply(const ActionPlan& plan,
                                                             std::string_view moderator,
                                                             std::string_view origin,
                                                             std::string_view selection) const {
  if (moderator.empty()) {
    return core::Status::InvalidArgument("a moderator action needs the moderator's name");
  }
  store::ModeratorAction action;
  action.moderator = std::string(moderator);
  action.label = std::string(LabelName(plan.label));
  action.origin = std::string(origin);
  action.selection = std::string(selection);
  action.created_ms = clock_.NowMillis();
  if (plan.to_change.empty()) return action;
  std::vector<store::FeedbackRecord> rows;
  std::vector<store::WebhookEvent> events;
  rows.reserve(plan.to_change.size());
  for (const store::DecisionRecord& d : plan.to_change) {
    store::FeedbackRecord f;
    f.decision_id = d.id;
    f.key_id = d.key_id;
    f.label = action.label;
    f.source = "cli";
    f.moderator = action.moderator;
    f.created_ms = action.created_ms;
    f.is_test = d.comment.is_test;
    if (outbox_ != nullptr) {
      auto event = outbox_->ModeratedEvent(d, f);
      if (!event) return event.error();
      if (event->has_value()) events.push_back(std::move(**event));
    }
    rows.push_back(std::move(f));
  }
  return store_.AppendModeratorAction(action, rows, events);
}

core::Result<std::vector<store::ModeratorAction>> ModeratorActions::Recent(
    std::string_view moderator, int limit) const {
  return store_.ListModeratorActions(std::string(moderator), /*include_undone=*/true, limit);
}

core::Result<UndoOutcome> ModeratorActions::UndoLast(std::string_view moderator,
                                                     std::string_view by) const {
  auto latest = store_.ListModeratorActions(std::string(moderator), /*include_undone=*/false, 1);
  if (!latest) return latest.error();
  if (latest->empty()) {
    return core::Status::NotFound(
        moderator.empty() ? std::string("there is no moderator action to undo")
                          : "moderator '" + std::string(moderator) + "' has no action to undo");
  }
  return Undo(latest->front().id, by);
}

core::Result<std::vector<store::WebhookEvent>> ModeratorActions::UndoEvents(int64_t id) const {
  std::vector<store::WebhookEvent> events;
  if (outbox_ == nullptr) return events;
  auto rows = store_.ListActionFeedback(id);
  if (!rows) return rows.error();
  for (const store::FeedbackRecord& row : *rows) {
    if (row.revoked_ms) continue;
    auto history = store_.ListFeedback(row.decision_id);  // oldest first
    if (!history) return history.error();
    const store::FeedbackRecord* in_force = nullptr;
    const store::FeedbackRecord* restored = nullptr;
    for (const store::FeedbackRecord& f : *history) {
      if (f.revoked_ms) continue;
      in_force = &f;
      if (f.action_id != id) restored = &f;
    }
    // A later verdict on the decision stands either way: the site has nothing new to learn.
    if (in_force == nullptr || in_force->id != row.id) continue;
    auto decision = store_.GetDecision(row.decision_id);
    if (!decision) return decision.error();
    if (!decision->has_value()) continue;
    auto event = outbox_->UndoneEvent(**decision, row, restored);
    if (!event) return event.error();
    if (event->has_value()) events.push_back(std::move(**event));
  }
  return events;
}

core::Result<UndoOutcome> ModeratorActions::Undo(int64_t id, std::string_view by) const {
  auto events = UndoEvents(id);
  if (!events) return events.error();
  auto revoked = store_.UndoModeratorAction(id, std::string(by), clock_.NowMillis(), *events);
  if (!revoked) return revoked.error();
  auto action = store_.GetModeratorAction(id);
  if (!action) return action.error();
  if (!action->has_value()) return core::Status::Internal("undone action vanished");
  return UndoOutcome{std::move(**action), *revoked};
}

}  // namespace hamlet::engine
