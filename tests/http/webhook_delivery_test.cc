// Webhook delivery end to end inside one process: the dispatcher over a real SQLite outbox
// POSTs through the real cpp-httplib sender to a real HTTP receiver started by the test,
// which answers as scripted (500 then 200, always 503, slow, redirects, long bodies).
#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "engine/site_directory.h"
#include "engine/webhook_dispatcher.h"
#include "engine/webhook_outbox.h"
#include "engine/webhook_signature.h"
#include "http/webhook_sender.h"
#include "store/sqlite_store.h"
#include "support/fixed_clock.h"
#include "support/webhook_receiver.h"

namespace hamlet::http {
namespace {

using testing::ReceivedWebhook;
using Receiver = testing::WebhookReceiver;

constexpr const char* kSite = "https://blog.example/";
constexpr const char* kSecret = "whsec_delivery_test_secret";

// Outbox, dispatcher and sender over an in-memory store, on a clock the test moves.
struct Delivery {
  explicit Delivery(int max_attempts = 5, WebhookSenderOptions sender_options = {})
      : store(store::OpenSqliteStore(":memory:").value()),
        sender(sender_options),
        dispatcher(*store, sites, sender, clock, Policy(max_attempts), "test-worker") {
    REQUIRE(sites.Refresh().ok());
  }
  static engine::WebhookPolicy Policy(int max_attempts) {
    engine::WebhookPolicy p;
    p.retry_base_ms = 1000;
    p.retry_max_delay_ms = 60'000;
    p.max_attempts = max_attempts;
    return p;
  }
  void Configure(const std::string& url, const std::string& secret = kSecret) {
    REQUIRE(sites.Set(kSite, "webhook_url", url).ok());
    if (!secret.empty()) REQUIRE(sites.Set(kSite, "webhook_secret", secret).ok());
  }
  store::WebhookEvent Ping() { return outbox.EnqueuePing(kSite).value(); }
  engine::WebhookAttemptReport Attempt() {
    auto report = dispatcher.DeliverOne();
    REQUIRE(report);
    REQUIRE(report->has_value());
    return std::move(**report);
  }
  bool NothingDue() {
    auto report = dispatcher.DeliverOne();
    REQUIRE(report);
    return !report->has_value();
  }
  store::WebhookEvent Stored(int64_t id) { return store->GetWebhookEvent(id).value().value(); }

  testing::FixedClock clock{1'700'000'000'000};
  std::unique_ptr<store::Store> store;
  engine::SiteDirectory sites{*store, clock};
  engine::WebhookOutbox outbox{*store, sites, clock};
  HttplibWebhookSender sender;
  engine::WebhookDispatcher dispatcher;
};

}  // namespace

TEST_SUITE("http/webhook_delivery") {
  TEST_CASE("a 500 is retried after the backoff and the 200 that follows delivers it once") {
    Receiver receiver({500, 200});
    Delivery d;
    d.Configure(receiver.Url());
    const store::WebhookEvent ping = d.Ping();

    const engine::WebhookAttemptReport first = d.Attempt();
    CHECK(first.state == store::WebhookState::kPending);
    CHECK(first.status == 500);
    CHECK(first.error == "HTTP 500");
    // Base 1 s with jitter: between 0.5 and 1 s from now.
    CHECK(first.next_attempt_ms >= d.clock.NowMillis() + 500);
    CHECK(first.next_attempt_ms <= d.clock.NowMillis() + 1000);
    CHECK(d.Stored(ping.id).last_status == 500);
    CHECK(d.NothingDue());  // not before its time

    d.clock.Set(first.next_attempt_ms);
    const engine::WebhookAttemptReport second = d.Attempt();
    CHECK(second.state == store::WebhookState::kDelivered);
    CHECK(second.status == 200);
    CHECK(second.error.empty());
    const store::WebhookEvent done = d.Stored(ping.id);
    CHECK(done.state == store::WebhookState::kDelivered);
    CHECK(done.attempts == 2);
    CHECK(done.finished_ms == d.clock.NowMillis());
    const int64_t delivered_at_s = d.clock.NowMillis() / 1000;
    d.clock.Advance(3'600'000);
    CHECK(d.NothingDue());

    // Both requests: the same event id and body, numbered attempts, valid signatures.
    const std::vector<ReceivedWebhook> got = receiver.Got();
    REQUIRE(got.size() == 2);
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].event_id == ping.event_id);
      CHECK(got[i].attempt == std::to_string(i + 1));
      CHECK(got[i].content_type == "application/json");
      CHECK(got[i].body == ping.payload);
      CHECK(engine::VerifyWebhookSignature(kSecret, got[i].signature, got[i].body, delivered_at_s)
                .ok());
    }
    CHECK(nlohmann::json::parse(got[0].body)["event"] == "ping");
  }

  TEST_CASE("an event is failed after its last attempt and sent again on retry") {
    Receiver receiver({503, 503, 503, 200});
    Delivery d(/*max_attempts=*/3);
    d.Configure(receiver.Url());
    const store::WebhookEvent ping = d.Ping();
    for (int attempt = 1; attempt <= 3; ++attempt) {
      const engine::WebhookAttemptReport r = d.Attempt();
      CHECK(r.event.attempts == attempt);
      CHECK(r.state ==
            (attempt < 3 ? store::WebhookState::kPending : store::WebhookState::kFailed));
      if (attempt < 3) d.clock.Set(r.next_attempt_ms);
    }
    d.clock.Advance(86'400'000);
    CHECK(d.NothingDue());
    store::WebhookEventFilter failed;
    failed.state = store::WebhookState::kFailed;
    auto listed = d.outbox.List(failed).value();
    REQUIRE(listed.size() == 1);
    CHECK(listed.front().last_error == "HTTP 503");
    CHECK(listed.front().attempts == 3);

    CHECK(d.outbox.RetryFailed(std::nullopt).value() == 1);
    const engine::WebhookAttemptReport again = d.Attempt();
    CHECK(again.state == store::WebhookState::kDelivered);
    CHECK(again.event.attempts == 1);
    CHECK(receiver.Got().size() == 4);
  }

  TEST_CASE("no answer is retried and a bad setting fails the event without a request") {
    Receiver receiver({200});
    Delivery d;
    // A port nobody listens on: the receiver's own port once it is gone is not reliable, so
    // port 9 (discard), which is closed on test machines.
    d.Configure("http://127.0.0.1:9/hook");
    const store::WebhookEvent ping = d.Ping();
    const engine::WebhookAttemptReport refused = d.Attempt();
    CHECK(refused.state == store::WebhookState::kPending);
    CHECK(refused.status == 0);
    CHECK(refused.error.find("connect") != std::string::npos);

    // The secret is gone: nothing is sent unsigned, and no retry can help until it is set.
    d.Configure(receiver.Url(), /*secret=*/"");
    REQUIRE(d.sites.Unset(kSite, "webhook_secret").ok());
    d.clock.Set(refused.next_attempt_ms);
    const engine::WebhookAttemptReport unsigned_ = d.Attempt();
    CHECK(unsigned_.state == store::WebhookState::kFailed);
    CHECK(unsigned_.error.find("webhook_secret") != std::string::npos);
    CHECK(receiver.Got().empty());

    // Fixed, and retried by the operator: delivered.
    REQUIRE(d.sites.Set(kSite, "webhook_secret", kSecret).ok());
    REQUIRE(d.outbox.Retry(ping.id).ok());
    CHECK(d.Attempt().state == store::WebhookState::kDelivered);
    CHECK(receiver.Got().size() == 1);

    // The webhook was removed: the event fails with the reason.
    REQUIRE(d.sites.Unset(kSite, "webhook_url").ok());
    REQUIRE(d.outbox.Retry(ping.id).ok());
    const engine::WebhookAttemptReport removed = d.Attempt();
    CHECK(removed.state == store::WebhookState::kFailed);
    CHECK(removed.error.find("webhook_url") != std::string::npos);
  }

  TEST_CASE("a slow receiver times out and redirects are not followed") {
    Receiver receiver({200});
    WebhookSenderOptions quick;
    quick.read_timeout = std::chrono::milliseconds(200);
    Delivery d(5, quick);
    d.Configure(receiver.Url());
    receiver.SetDelay(std::chrono::milliseconds(1500));
    (void)d.Ping();
    const engine::WebhookAttemptReport slow = d.Attempt();
    CHECK(slow.state == store::WebhookState::kPending);
    CHECK(slow.status == 0);
    CHECK(slow.error.find("no answer") != std::string::npos);
    receiver.SetDelay(std::chrono::milliseconds(0));

    Receiver redirect({302});
    d.Configure(redirect.Url());
    d.clock.Set(slow.next_attempt_ms);
    const engine::WebhookAttemptReport moved = d.Attempt();
    CHECK(moved.state == store::WebhookState::kPending);
    CHECK(moved.status == 302);
    CHECK(moved.error == "HTTP 302");
  }

  TEST_CASE("a long answer is not read whole and its 2xx still counts") {
    Receiver receiver({200});
    receiver.SetLongBody();
    WebhookSenderOptions small;
    small.max_response_bytes = 1024;
    Delivery d(5, small);
    d.Configure(receiver.Url());
    (void)d.Ping();
    const engine::WebhookAttemptReport r = d.Attempt();
    CHECK(r.status == 200);
    CHECK(r.state == store::WebhookState::kDelivered);
  }
}

}  // namespace hamlet::http
