// Webhooks through the real binaries: `hamlet mark-spam` on hamletd's database reaches a
// receiver started by the test, signed, after a 500 and a retry; events pending when hamletd
// stops are delivered exactly once after it restarts; `hamlet webhooks` shows and retries. On
// both store backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/webhook_signature.h"
#include "support/e2e_backends.h"
#include "support/hamletd_process.h"
#include "support/webhook_receiver.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr const char* kSite = "http://example.test/";  // HamletdProcess's key's site
constexpr const char* kSecret = "whsec_e2e_secret_0123456789";

// `options` (a backend's database) with `extra` flags for hamletd.
HamletdProcess::Options WithFlags(HamletdProcess::Options options, std::vector<std::string> extra) {
  options.extra_args = std::move(extra);
  return options;
}

// A comment-check through the Akismet API; returns the decision's guid.
std::string CheckComment(const HamletdProcess& d, const std::string& content) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(seconds(10));
  httplib::Params form = {{"api_key", d.key()},
                          {"blog", kSite},
                          {"user_ip", "198.51.100.23"},
                          {"comment_author", "Maria"},
                          {"comment_author_email", "maria@example.org"},
                          {"permalink", "http://example.test/post/1"},
                          {"comment_content", content}};
  auto r = c.Post("/1.1/comment-check", form);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const std::string guid = r->get_header_value("X-akismet-guid");
  REQUIRE(guid.size() == 32);
  return guid;
}

void ConfigureWebhook(const HamletdProcess& d, const std::string& url) {
  auto set = d.Hamlet(
      {"sites", "set", kSite, "webhook_url=" + url, std::string("webhook_secret=") + kSecret});
  REQUIRE_MESSAGE(set.exit_code == 0, set.err);
}

json WebhookList(const HamletdProcess& d) {
  auto list = d.Hamlet({"webhooks", "list", "--json"});
  REQUIRE_MESSAGE(list.exit_code == 0, list.err);
  return json::parse(list.out);
}

// `hamlet webhooks list --json` once every event is in `state` (the worker records an
// outcome just after the receiver answered), or as it is after 20 s.
json WebhookListWhenAll(const HamletdProcess& d, const std::string& state) {
  json list;
  for (int i = 0; i < 200; ++i) {
    list = WebhookList(d);
    bool all = !list.empty();
    for (const auto& e : list) all = all && e["state"] == state;
    if (all) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return list;
}

// How many requests per event id were answered 2xx.
std::map<std::string, int> DeliveredCounts(const std::vector<ReceivedWebhook>& got) {
  std::map<std::string, int> counts;
  for (const auto& r : got) {
    if (r.answered >= 200 && r.answered < 300) ++counts[r.event_id];
  }
  return counts;
}

int64_t NowSeconds() { return static_cast<int64_t>(std::time(nullptr)); }

}  // namespace

TEST_SUITE("e2e/webhooks") {
  TEST_CASE_TEMPLATE("a moderator's mark reaches the site signed and is retried after a 500",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    WebhookReceiver receiver({500, 200});
    HamletdProcess d(WithFlags(options, {"--webhook-retry-base-ms", "300"}));
    ConfigureWebhook(d, receiver.Url());
    const std::string guid = CheckComment(d, "Thanks, the second recipe worked well for me.");

    auto marked = d.Hamlet({"mark-spam", guid, "--moderator", "alice"});
    REQUIRE_MESSAGE(marked.exit_code == 0, marked.err);
    REQUIRE_MESSAGE(receiver.WaitFor([](const auto& got) { return got.size() >= 2; }, seconds(20)),
                    "the receiver got " << receiver.Got().size() << " requests\n"
                                        << d.Log());

    const auto got = receiver.Got();
    CHECK(got.size() == 2);
    CHECK(got[0].answered == 500);
    CHECK(got[1].answered == 200);
    CHECK(got[0].event_id == got[1].event_id);
    CHECK(got[0].attempt == "1");
    CHECK(got[1].attempt == "2");
    for (const auto& r : got) {
      CHECK(r.event_type == "decision.moderated");
      CHECK(engine::VerifyWebhookSignature(kSecret, r.signature, r.body, NowSeconds()).ok());
    }
    const json body = json::parse(got[1].body);
    CHECK(body["event"] == "decision.moderated");
    CHECK(body["event_id"] == got[1].event_id);
    CHECK(body["site"] == kSite);
    CHECK(body["after"] == "spam");
    CHECK(body["decision"]["id"] == guid);
    CHECK(body["decision"]["label"] == "spam");
    CHECK(body["decision"]["moderator"] == "alice");
    CHECK(body["decision"]["labeled_by"] == "hamlet");
    CHECK(body["decision"]["permalink"] == "http://example.test/post/1");
    // Privacy: no e-mail address or IP address unless the operator opts in.
    CHECK(got[1].body.find("maria@example.org") == std::string::npos);
    CHECK(got[1].body.find("198.51.100.23") == std::string::npos);

    // The CLI shows it delivered after two attempts.
    const json list = WebhookListWhenAll(d, "delivered");
    REQUIRE(list.size() == 1);
    CHECK(list[0]["state"] == "delivered");
    CHECK(list[0]["attempts"] == 2);
    CHECK(list[0]["event_id"] == got[1].event_id);
    CHECK(list[0]["decision_id"] == guid);
    CHECK(d.Log().find("delivered, HTTP 200 (attempt 2)") != std::string::npos);

    // The site's own report (Akismet submit-ham) makes no event: the site knows already.
    httplib::Client c(d.host(), d.port());
    auto submitted = c.Post(
        "/1.1/submit-ham",
        httplib::Params{
            {"api_key", d.key()}, {"blog", kSite}, {"guid", guid}, {"comment_content", "x"}});
    REQUIRE(submitted);
    CHECK(submitted->status == 200);
    CHECK(WebhookList(d).size() == 1);
  }

  TEST_CASE_TEMPLATE("events pending when hamletd stops are delivered exactly once after a restart",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    // The site is down (503) at first.
    WebhookReceiver receiver({503});
    HamletdProcess d(WithFlags(options, {"--webhook-retry-base-ms", "300"}));
    ConfigureWebhook(d, receiver.Url());
    const std::string first = CheckComment(d, "I tried this with brown rice and it was fine.");
    const std::string second = CheckComment(d, "Does anyone know if this freezes well?");

    // One event is attempted (and refused) before the stop ...
    REQUIRE(d.Hamlet({"mark-spam", first, "--moderator", "alice"}).exit_code == 0);
    REQUIRE_MESSAGE(receiver.WaitFor([](const auto& got) { return !got.empty(); }, seconds(20)),
                    d.Log());
    CHECK(d.Stop() == 0);
    const size_t refused = receiver.Got().size();
    // ... the other is made while hamletd is down.
    REQUIRE(d.Hamlet({"mark-ham", second, "--moderator", "bob"}).exit_code == 0);
    json pending = WebhookList(d);
    REQUIRE(pending.size() == 2);
    for (const auto& e : pending) CHECK(e["state"] == "pending");

    // The site is back, and so is hamletd.
    receiver.SetStatuses({200});
    d.Restart();
    auto both_delivered = [](const std::vector<ReceivedWebhook>& got) {
      return DeliveredCounts(got).size() == 2;
    };
    REQUIRE_MESSAGE(receiver.WaitFor(both_delivered, seconds(30)), d.Log());
    // Several poll intervals more: nothing is sent again.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    const auto got = receiver.Got();
    const std::map<std::string, int> counts = DeliveredCounts(got);
    REQUIRE(counts.size() == 2);
    for (const auto& [event_id, n] : counts) {
      CAPTURE(event_id);
      CHECK(n == 1);
    }
    // After the restart only those two requests arrived: one per event.
    CHECK(got.size() == refused + 2);
    for (const auto& e : WebhookListWhenAll(d, "delivered")) {
      CHECK(e["state"] == "delivered");
      CHECK(counts.count(e["event_id"].get<std::string>()) == 1);
    }
  }

  TEST_CASE_TEMPLATE("a site that does not answer does not hold up comment checks", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    WebhookReceiver receiver({200});
    receiver.SetDelay(std::chrono::milliseconds(3000));
    HamletdProcess d(options);
    ConfigureWebhook(d, receiver.Url());
    const std::string guid = CheckComment(d, "Nice write-up, thanks for sharing it.");
    REQUIRE(d.Hamlet({"mark-spam", guid}).exit_code == 0);
    // The delivery is in flight, waiting for the slow site ...
    REQUIRE_MESSAGE(receiver.WaitFor([](const auto& got) { return !got.empty(); }, seconds(20)),
                    d.Log());
    // ... and checks are answered meanwhile (a client timeout well below the site's delay).
    for (int i = 0; i < 3; ++i) {
      httplib::Client c(d.host(), d.port());
      c.set_read_timeout(std::chrono::milliseconds(1500));
      auto r = c.Post("/1.1/comment-check",
                      httplib::Params{{"api_key", d.key()},
                                      {"blog", kSite},
                                      {"comment_content", "Another comment " + std::to_string(i)}});
      REQUIRE_MESSAGE(r, "comment-check waited for the webhook: " << httplib::to_string(r.error()));
      CHECK(r->status == 200);
    }
    CHECK(WebhookListWhenAll(d, "delivered").size() == 1);
  }

  TEST_CASE_TEMPLATE("hamlet webhooks test pings the site and retry resends a failed event",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    WebhookReceiver receiver({200});
    HamletdProcess d(
        WithFlags(options, {"--webhook-retry-base-ms", "100", "--webhook-max-attempts", "2"}));
    // No webhook: the ping is refused with the reason.
    auto refused = d.Hamlet({"webhooks", "test", kSite});
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("webhook_url") != std::string::npos);

    ConfigureWebhook(d, receiver.Url());
    auto ping = d.Hamlet({"webhooks", "test", kSite, "--wait", "20"});
    CHECK_MESSAGE(ping.exit_code == 0, ping.err << d.Log());
    CHECK(ping.out.find("delivered: HTTP 200") != std::string::npos);
    REQUIRE(receiver.Got().size() == 1);
    CHECK(receiver.Got()[0].event_type == "ping");

    // The site refuses twice: the event is failed, listed, and sent again by retry.
    receiver.SetStatuses({500});
    const std::string guid = CheckComment(d, "Lovely photos from the trip.");
    REQUIRE(d.Hamlet({"mark-ham", guid}).exit_code == 0);
    json failed;
    for (int i = 0; i < 200; ++i) {
      failed = json::parse(d.Hamlet({"webhooks", "list", "--state", "failed", "--json"}).out);
      if (!failed.empty()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_MESSAGE(failed.size() == 1, d.Log());
    CHECK(failed[0]["attempts"] == 2);
    CHECK(failed[0]["last_status"] == 500);
    auto table = d.Hamlet({"webhooks", "list"});
    CHECK(table.out.find("failed") != std::string::npos);
    CHECK(table.out.find("HTTP 500") != std::string::npos);

    receiver.SetStatuses({200});
    auto retry = d.Hamlet({"webhooks", "retry", "--failed"});
    CHECK(retry.exit_code == 0);
    CHECK(retry.out.find("1 failed event(s) queued again") != std::string::npos);
    REQUIRE_MESSAGE(receiver.WaitFor(
                        [](const auto& got) {
                          return !got.empty() && got.back().answered == 200 &&
                                 got.back().event_type == "decision.moderated";
                        },
                        seconds(20)),
                    d.Log());
    const json all = WebhookListWhenAll(d, "delivered");
    CHECK(all.size() == 2);
    auto shown = d.Hamlet({"webhooks", "show", std::to_string(failed[0]["id"].get<int64_t>())});
    CHECK(shown.exit_code == 0);
    CHECK(shown.out.find("\"state\": \"delivered\"") != std::string::npos);
    CHECK(shown.out.find("\"payload\"") != std::string::npos);
    CHECK(d.Hamlet({"webhooks", "show", "999"}).exit_code == 3);
    CHECK(d.Hamlet({"webhooks", "retry", "999"}).exit_code == 3);
    CHECK(d.Hamlet({"webhooks", "retry"}).exit_code == 2);
  }
}

}  // namespace hamlet::testing
