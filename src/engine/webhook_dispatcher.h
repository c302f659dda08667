// WebhookDispatcher: one delivery attempt at a time from the outbox. It claims the oldest due
// event for a lease, POSTs it to the site's current webhook_url with a fresh signature,
// and records the outcome: delivered on 2xx, else retried with backoff (WebhookPolicy) until
// the attempts run out, then failed. A worker thread (app::WebhookWorker) calls it in a loop;
// it never runs on the check path.
//
// Thread-safety: DeliverOne and Prune may be called concurrently (each claim is exclusive).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "engine/site_directory.h"
#include "engine/webhook_policy.h"
#include "engine/webhook_sender.h"
#include "store/store.h"

namespace hamlet::engine {

// What one attempt came to, for the log.
struct WebhookAttemptReport {
  store::WebhookEvent event;  // as claimed: `attempts` counts this attempt
  store::WebhookState state = store::WebhookState::kPending;  // after the attempt
  int status = 0;                                             // the HTTP status; 0: no answer
  std::string error;            // why it did not count as delivered; empty when it did
  int64_t next_attempt_ms = 0;  // when pending: the retry's time
  // The claim had run out and another worker took the event, so this outcome was not
  // recorded (that worker's counts).
  bool lease_lost = false;
};

class WebhookDispatcher {
 public:
  // The collaborators must outlive the dispatcher. `worker_id` names this worker's claims
  // and must be unique among workers sharing the database (e.g. host, pid and a random part).
  // REQUIRES: policy.Validate() is ok.
  WebhookDispatcher(store::Store& store, const SiteDirectory& sites, WebhookSender& sender,
                    const core::Clock& clock, WebhookPolicy policy, std::string worker_id);

  // Claims the oldest due event and attempts it once, with the site's settings read afresh.
  // nullopt when none is due. An event
  // whose site no longer has a usable webhook_url or a webhook_secret is failed without a
  // POST (never sent unsigned); `hamlet webhooks retry` sends it once the settings are fixed.
  // Errors: the store's (the claim stays and runs out; the event is then tried again).
  core::Result<std::optional<WebhookAttemptReport>> DeliverOne();

  // Deletes delivered events older than policy.keep_delivered_ms. Returns how many.
  core::Result<int> Prune();

  const std::string& worker_id() const { return worker_id_; }
  const WebhookPolicy& policy() const { return policy_; }

 private:
  double UnitRandom();

  store::Store& store_;
  const SiteDirectory& sites_;
  WebhookSender& sender_;
  const core::Clock& clock_;
  const WebhookPolicy policy_;
  const std::string worker_id_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;  // guarded by rng_mu_; jitter only, so not cryptographic
};

}  // namespace hamlet::engine
