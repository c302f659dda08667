// Delivery attempts from the webhook outbox.
#include "engine/webhook_dispatcher.h"

#include <utility>

namespace hamlet::engine {

WebhookDispatcher::WebhookDispatcher(store::Store& store, const SiteDirectory& sites,
                                     WebhookSender& sender, const core::Clock& clock,
                                     WebhookPolicy policy, std::string worker_id)
    : store_(store),
      sites_(sites),
      sender_(sender),
      clock_(clock),
      policy_(policy),
      worker_id_(std::move(worker_id)),
      rng_(std::random_device{}()) {}

double WebhookDispatcher::UnitRandom() {
  std::lock_guard lock(rng_mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

core::Result<std::optional<WebhookAttemptReport>> WebhookDispatcher::DeliverOne() {
  auto claimed = store_.ClaimWebhookEvent(worker_id_, clock_.NowMillis(), policy_.lease_ms);
  if (!claimed) return claimed.error();
  if (!claimed->has_value()) return std::optional<WebhookAttemptReport>();

  WebhookAttemptReport report;
  report.event = std::move(**claimed);
  const store::WebhookEvent& event = report.event;
  // The settings as they are now, not as cached up to 2 s ago: a webhook set just before the
  // verdict must not fail its first event. (On a read error the cached copy stays.)
  (void)sites_.Refresh();
  const std::shared_ptr<const SiteProfile> profile = sites_.For(event.site_url);
  bool permanent = false;  // no retry can help until the operator changes the settings
  if (profile->webhook_url.empty()) {
    report.error = "the site has no webhook_url now";
    permanent = true;
  } else if (profile->webhook_secret.empty()) {
    report.error = "the site has no webhook_secret: events are never sent unsigned";
    permanent = true;
  } else if (auto url = ParseWebhookUrl(profile->webhook_url); !url) {
    report.error = url.error().message();
    permanent = true;
  } else {
    const WebhookRequest request =
        BuildWebhookRequest(event, *url, profile->webhook_secret, clock_.NowMillis() / 1000);
    const WebhookResponse response = sender_.Post(request);
    report.status = response.status;
    if (response.status == 0) {
      report.error = response.error.empty() ? "no answer" : response.error;
    } else if (!IsDeliveredStatus(response.status)) {
      report.error = "HTTP " + std::to_string(response.status);
    }
  }

  const int64_t now = clock_.NowMillis();
  if (report.error.empty()) {
    report.state = store::WebhookState::kDelivered;
  } else if (auto delay =
                 permanent ? std::nullopt : RetryDelayMs(policy_, event.attempts, UnitRandom());
             delay) {
    report.state = store::WebhookState::kPending;
    report.next_attempt_ms = now + *delay;
  } else {
    report.state = store::WebhookState::kFailed;
  }

  store::WebhookAttemptResult result;
  result.event = event.id;
  result.worker = worker_id_;
  result.state = report.state;
  result.next_attempt_ms = report.state == store::WebhookState::kPending ? report.next_attempt_ms
                                                                         : event.next_attempt_ms;
  result.last_status = report.status;
  result.last_error = report.error;
  result.now_ms = now;
  if (core::Status s = store_.FinishWebhookAttempt(result); !s.ok()) {
    if (s.code() != core::StatusCode::kNotFound) return s;
    report.lease_lost = true;
  }
  return std::optional<WebhookAttemptReport>(std::move(report));
}

core::Result<int> WebhookDispatcher::Prune() {
  return store_.PruneWebhookEvents(clock_.NowMillis() - policy_.keep_delivered_ms);
}

}  // namespace hamlet::engine
