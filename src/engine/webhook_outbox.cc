// Webhook events: their payloads, and the operator's list and retry.
#include "engine/webhook_outbox.h"

#include "engine/crypto.h"
#include "engine/outcome_json.h"

namespace hamlet::engine {

WebhookOutbox::WebhookOutbox(store::Store& store, const SiteDirectory& sites,
                             const core::Clock& clock)
    : store_(store), sites_(sites), clock_(clock) {}

core::Result<store::WebhookEvent> WebhookOutbox::NewEvent(std::string_view type,
                                                          const std::string& site_url,
                                                          nlohmann::json payload) const {
  auto event_id = RandomHex(16);
  if (!event_id) return event_id.error();
  store::WebhookEvent event;
  event.event_id = *event_id;
  event.site_url = site_url;
  event.type = std::string(type);
  event.created_ms = clock_.NowMillis();
  event.next_attempt_ms = event.created_ms;
  // The envelope first, so a receiver reading the text sees what it is before the details.
  nlohmann::json body = {{"event", event.type},
                         {"event_id", event.event_id},
                         {"created", Rfc3339(event.created_ms)},
                         {"site", site_url}};
  body.update(payload);
  event.payload = DumpJson(body);
  return event;
}

namespace {

bool IsSpamLabel(const std::string& label) { return label == "spam" || label == "discard"; }

std::string VerdictLabel(const store::DecisionRecord& decision) {
  return std::string(core::VerdictName(decision.decision.verdict));
}

}  // namespace

core::Result<std::optional<store::WebhookEvent>> WebhookOutbox::OutcomeEvent(
    const store::DecisionRecord& decision, const std::string& before, const std::string& after,
    const store::FeedbackRecord* latest, int64_t feedback_id, bool undo) const {
  const std::shared_ptr<const SiteProfile> profile = sites_.For(decision.site_url);
  if (profile->webhook_url.empty()) return std::optional<store::WebhookEvent>();
  nlohmann::json payload = {
      {"before", before},
      {"after", after},
      {"changed", IsSpamLabel(before) != IsSpamLabel(after)},
      {"undo", undo},
      {"decision", DecisionOutcomeJson(decision, latest, profile->outcome_personal_data)},
  };
  auto event = NewEvent(kModeratedEvent, decision.site_url, std::move(payload));
  if (!event) return event.error();
  event->decision_id = decision.id;
  event->feedback_id = feedback_id;
  return std::optional<store::WebhookEvent>(std::move(event).value());
}

core::Result<std::optional<store::WebhookEvent>> WebhookOutbox::ModeratedEvent(
    const store::DecisionRecord& decision, const store::FeedbackRecord& feedback) const {
  return OutcomeEvent(decision, decision.feedback_label.value_or(VerdictLabel(decision)),
                      feedback.label, &feedback, 0, /*undo=*/false);
}

core::Result<std::optional<store::WebhookEvent>> WebhookOutbox::UndoneEvent(
    const store::DecisionRecord& decision, const store::FeedbackRecord& undone,
    const store::FeedbackRecord* restored) const {
  return OutcomeEvent(decision, undone.label,
                      restored != nullptr ? restored->label : VerdictLabel(decision), restored,
                      undone.id, /*undo=*/true);
}

core::Result<store::WebhookEvent> WebhookOutbox::EnqueuePing(const std::string& site_url) const {
  if (sites_.For(site_url)->webhook_url.empty()) {
    return core::Status::InvalidArgument(
        "'" + site_url + "' has no webhook_url (hamlet sites set SITE webhook_url=... " +
        "webhook_secret=...)");
  }
  auto event = NewEvent(kPingEvent, site_url, nlohmann::json::object());
  if (!event) return event.error();
  auto id = store_.AppendWebhookEvent(*event);
  if (!id) return id.error();
  event->id = *id;
  return event;
}

core::Result<std::vector<store::WebhookEvent>> WebhookOutbox::List(
    const store::WebhookEventFilter& filter) const {
  return store_.ListWebhookEvents(filter);
}

core::Result<store::WebhookEvent> WebhookOutbox::Get(int64_t id) const {
  auto event = store_.GetWebhookEvent(id);
  if (!event) return event.error();
  if (!event->has_value()) {
    return core::Status::NotFound("no webhook event with id " + std::to_string(id));
  }
  return std::move(**event);
}

core::Status WebhookOutbox::Retry(int64_t id) const {
  if (id <= 0) return core::Status::NotFound("no webhook event with id " + std::to_string(id));
  auto changed = store_.RequeueWebhookEvents(id, std::nullopt, clock_.NowMillis());
  if (!changed) return changed.error();
  if (*changed == 0) {
    return core::Status::NotFound("no webhook event with id " + std::to_string(id));
  }
  return core::Status::Ok();
}

core::Result<int> WebhookOutbox::RetryFailed(const std::optional<std::string>& site_url) const {
  return store_.RequeueWebhookEvents(0, site_url, clock_.NowMillis());
}

}  // namespace hamlet::engine
