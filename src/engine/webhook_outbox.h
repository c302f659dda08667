// WebhookOutbox: what goes into the webhook outbox and the operator's view of it. A moderator's
// verdict in hamlet (mark-spam/mark-ham) on a decision of a site with a webhook_url becomes a
// "decision.moderated" event, stored with the feedback in one transaction (ModeratorActions);
// `hamlet webhooks test` adds a "ping". Delivery is WebhookDispatcher's.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "engine/site_directory.h"
#include "store/store.h"

namespace hamlet::engine {

inline constexpr std::string_view kModeratedEvent = "decision.moderated";
inline constexpr std::string_view kPingEvent = "ping";

class WebhookOutbox {
 public:
  // The collaborators must outlive the outbox.
  WebhookOutbox(store::Store& store, const SiteDirectory& sites, const core::Clock& clock);

  // The event reporting `feedback` (not stored yet) on `decision` (as read before it, so its
  // feedback_label is the label in force until now), when the decision's site has a
  // webhook_url; nullopt when it has none. Its payload:
  //   {"event": "decision.moderated", "event_id", "created", "site",
  //    "before": the previous label, else the verdict ("ham", "spam" or "discard"),
  //    "after": the new label ("spam" or "ham"),
  //    "changed": whether spam-or-not differs between the two,
  //    "decision": DecisionOutcomeJson with the new label}.
  //    "undo": false,
  core::Result<std::optional<store::WebhookEvent>> ModeratedEvent(
      const store::DecisionRecord& decision, const store::FeedbackRecord& feedback) const;

  // The event reporting that an undo revoked `undone` (the feedback in force on `decision`,
  // as read before the undo), when the site has a webhook_url. `restored` is the feedback in
  // force once it is revoked (null: none, hamlet's verdict stands again). The same payload
  // with "undo": true, "before": undone's label, "after": restored's label or the verdict.
  core::Result<std::optional<store::WebhookEvent>> UndoneEvent(
      const store::DecisionRecord& decision, const store::FeedbackRecord& undone,
      const store::FeedbackRecord* restored) const;

  // Stores a "ping" for `site_url` ({"event": "ping", "event_id", "created", "site"}), which
  // the running hamletd then delivers like any event. InvalidArgument when the site has no
  // webhook_url.
  core::Result<store::WebhookEvent> EnqueuePing(const std::string& site_url) const;

  // Newest first.
  core::Result<std::vector<store::WebhookEvent>> List(
      const store::WebhookEventFilter& filter) const;
  // NotFound when there is no such event.
  core::Result<store::WebhookEvent> Get(int64_t id) const;
  // Sends the event again from now, with a fresh attempt count (whatever its state).
  // NotFound when there is no such event.
  core::Status Retry(int64_t id) const;
  // Puts every failed event (of `site_url`, when given) back in the queue, due now. Returns
  // how many.
  core::Result<int> RetryFailed(const std::optional<std::string>& site_url) const;

 private:
  // A new event of `type` for `site_url` with `payload` (to which event_id, created and site
  // are added), due now.
  core::Result<store::WebhookEvent> NewEvent(std::string_view type, const std::string& site_url,
                                             nlohmann::json payload) const;

  // A "decision.moderated" event on `decision` whose label went from `before` to `after`
  // (`latest`: the feedback in force now, null for none), reporting feedback row
  // `feedback_id` (0: the store sets it); nullopt when the site has no webhook_url.
  core::Result<std::optional<store::WebhookEvent>> OutcomeEvent(
      const store::DecisionRecord& decision, const std::string& before, const std::string& after,
      const store::FeedbackRecord* latest, int64_t feedback_id, bool undo) const;

  store::Store& store_;
  const SiteDirectory& sites_;
  const core::Clock& clock_;
};

}  // namespace hamlet::engine
