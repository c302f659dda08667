// ModeratorActions: moderators' verdicts (mark-spam, mark-ham, review keys) as recorded,
// undoable actions. Each action is kept with who and when, and writes one feedback row per
// decision it judges, so verdicts reach the same labels as the sites' reports (retraining,
// statistics, `hamlet show`). Undo revokes those rows: the label before the action is back in
// force, and the revoked rows count nowhere.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "engine/feedback.h"
#include "engine/moderation.h"
#include "engine/webhook_outbox.h"
#include "store/store.h"

namespace hamlet::engine {

// What a verdict would change, before it is applied (a dry run shows this).
struct ActionPlan {
  Label label = Label::kSpam;
  // The decisions whose label the verdict sets (rechecks replaced by the decision they
  // rechecked, each once), in selection order.
  std::vector<store::DecisionRecord> to_change;
  // Selected decisions that already carry this label; the verdict leaves them alone.
  std::vector<store::DecisionRecord> unchanged;
};

struct UndoOutcome {
  store::ModeratorAction action;  // as it is now: undone
  int64_t revoked = 0;            // feedback rows revoked
};

class ModeratorActions {
 public:
  // With an `outbox`, each verdict and each undo that changes the label in force on a
  // decision of a site with a webhook_url also stores a webhook event, in the same
  // transaction. The collaborators must outlive this.
  ModeratorActions(store::Store& store, const Moderation& moderation, const core::Clock& clock,
                   const WebhookOutbox* outbox = nullptr);

  // The plan for `label` on these decision ids. NotFound naming the first unknown id.
  core::Result<ActionPlan> PlanForIds(const std::vector<std::string>& ids, Label label) const;
  // The plan for `label` on every decision `query` selects. InvalidArgument when more than
  // `max_items` match (narrow the filter or raise the cap), or for a bad query.
  core::Result<ActionPlan> PlanForQuery(const QueueQuery& query, Label label, int max_items) const;

  // Records `plan` as one action of `moderator` (origin "mark" or "review"; `selection`
  // says, for humans, how the decisions were chosen). Returns the action; item_count 0 and id
  // 0 when the plan changes nothing (nothing is recorded then). InvalidArgument when the
  // moderator is empty.
  core::Result<store::ModeratorAction> Apply(const ActionPlan& plan, std::string_view moderator,
                                             std::string_view origin,
                                             std::string_view selection) const;

  // The latest `limit` actions of `moderator` (everyone's when empty), undone ones included,
  // newest first.
  core::Result<std::vector<store::ModeratorAction>> Recent(std::string_view moderator,
                                                           int limit) const;

  // Undoes the latest action still in force of `moderator` (anyone's when empty), as `by`.
  // NotFound when there is none.
  core::Result<UndoOutcome> UndoLast(std::string_view moderator, std::string_view by) const;
  // Undoes action `id` as `by`. NotFound for an unknown id, InvalidArgument when it was undone
  // already.
  core::Result<UndoOutcome> Undo(int64_t id, std::string_view by) const;

 private:
  // Adds `record` (or the decision it rechecked) to the plan unless its id is in `seen`.
  core::Status AddToPlan(store::DecisionRecord record, ActionPlan& plan,
                         std::unordered_set<std::string>& seen) const;

  // The webhook events reporting that undoing action `id` revokes its feedback rows.
  core::Result<std::vector<store::WebhookEvent>> UndoEvents(int64_t id) const;

  store::Store& store_;
  const Moderation& moderation_;
  const core::Clock& clock_;
  const WebhookOutbox* outbox_;  // may be null: no webhook events
};

}  // namespace hamlet::engine
