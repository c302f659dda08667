// The engine's side of webhooks: the signature (a known answer, and what verification
// refuses), the retry schedule and when it gives up, webhook URLs, the outcome JSON and its
// privacy, and which verdicts become events (over a real SQLite store).
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "engine/crypto.h"
#include "engine/feedback.h"
#include "engine/filter.h"
#include "engine/key_service.h"
#include "engine/moderation.h"
#include "engine/moderator_actions.h"
#include "engine/outcome_json.h"
#include "engine/site_directory.h"
#include "engine/webhook_outbox.h"
#include "engine/webhook_policy.h"
#include "engine/webhook_sender.h"
#include "engine/webhook_signature.h"
#include "engine/webhook_url.h"
#include "store/sqlite_store.h"
#include "support/fake_classifier.h"
#include "support/fixed_clock.h"

namespace hamlet::engine {
namespace {

using nlohmann::json;

constexpr const char* kSecret = "whsec_0123456789abcdef";
constexpr const char* kBody = R"({"event":"ping","event_id":"00112233445566778899aabbccddeeff"})";

// The engine over a real in-memory store, with the outbox wired into feedback as in app.
struct Fixture {
  Fixture() : store(store::OpenSqliteStore(":memory:").value()) { REQUIRE(sites.Refresh().ok()); }
  testing::FixedClock clock{1'700'000'000'000};
  testing::FakeClassifier classifier;
  std::unique_ptr<store::Store> store;
  SiteDirectory sites{*store, clock};
  WebhookOutbox outbox{*store, sites, clock};
  KeyService keys{*store, clock};
  FeedbackService feedback{*store, clock};
  Moderation moderation{*store};
  ModeratorActions actions{*store, moderation, clock, &outbox};
  Filter filter{classifier, *store, decision::Policy{}, clock};

  // A moderator's verdict on one decision, as `hamlet mark-spam ID` records it.
  store::ModeratorAction Mark(const std::string& id, Label label, const std::string& moderator) {
    auto plan = actions.PlanForIds({id}, label);
    REQUIRE(plan);
    auto action = actions.Apply(*plan, moderator, "mark", id);
    REQUIRE(action);
    return *action;
  }

  std::string CheckOne(const store::SiteKey& key, const std::string& text) {
    core::Comment c = core::CommentFromFields({{"comment_content", text},
                                               {"comment_author", "Maria Lopez"},
                                               {"comment_author_email", "maria@example.org"},
                                               {"user_ip", "198.51.100.23"},
                                               {"permalink", "https://blog.example/post/7"}});
    return filter.Check(c, key, "akismet").value().id;
  }
};

}  // namespace

TEST_SUITE("engine/webhook_signature") {
  TEST_CASE("HMAC-SHA256 matches the published example") {
    // RFC 2104 HMAC with SHA-256, the widely quoted "quick brown fox" example.
    CHECK(HmacSha256Hex("key", "The quick brown fox jumps over the lazy dog") ==
          "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  }

  TEST_CASE("the signature header is a known answer for a fixed secret time and body") {
    // Computed independently: printf '1700000000.%s' "$BODY" | openssl dgst -sha256 -hmac SECRET
    CHECK(SignWebhook(kSecret, 1'700'000'000, kBody) ==
          "t=1700000000,v1=21f85ae113418c70a7e592912891377f54ba596b7db21531afa327a5ad8e8250");
  }

  TEST_CASE("verification accepts the signed body and refuses tampering and replays") {
    const std::string header = SignWebhook(kSecret, 1'700'000'000, kBody);
    CHECK(VerifyWebhookSignature(kSecret, header, kBody, 1'700'000'100).ok());
    std::string tampered = kBody;
    tampered[10] = 'P';
    CHECK(VerifyWebhookSignature(kSecret, header, tampered, 1'700'000'100).code() ==
          core::StatusCode::kUnauthenticated);
    CHECK(VerifyWebhookSignature("whsec_another_secret_0", header, kBody, 1'700'000'100).code() ==
          core::StatusCode::kUnauthenticated);
    // A signature older (or newer) than the tolerance is a replay.
    CHECK(VerifyWebhookSignature(kSecret, header, kBody, 1'700'000'301).code() ==
          core::StatusCode::kUnauthenticated);
    CHECK(VerifyWebhookSignature(kSecret, header, kBody, 1'699'999'699).code() ==
          core::StatusCode::kUnauthenticated);
    // Moving t= to a fresh time breaks the signature, which covers it.
    const std::string moved = "t=1700000200," + header.substr(header.find("v1="));
    CHECK_FALSE(VerifyWebhookSignature(kSecret, moved, kBody, 1'700'000'200).ok());
    for (const char* bad : {"", "t=1700000000", "v1=abc", "t=x,v1=abc", "garbage"}) {
      CHECK(VerifyWebhookSignature(kSecret, bad, kBody, 1'700'000'000).code() ==
            core::StatusCode::kUnauthenticated);
    }
    // During a secret rotation the header may carry several v1= entries; one match suffices.
    const std::string rotated =
        "t=1700000000,v1=" + std::string(64, '0') + "," + header.substr(header.find("v1="));
    CHECK(VerifyWebhookSignature(kSecret, rotated, kBody, 1'700'000'000).ok());
  }
}

TEST_SUITE("engine/webhook_policy") {
  TEST_CASE("retries back off exponentially with jitter up to the cap and then give up") {
    WebhookPolicy p;
    p.retry_base_ms = 1000;
    p.retry_max_delay_ms = 10'000;
    p.max_attempts = 6;
    REQUIRE(p.Validate().ok());
    // Without jitter (unit random just under 1) the steps are 1, 2, 4, 8, then the cap.
    const double top = 0.999999;
    CHECK(RetryDelayMs(p, 1, top).value() == doctest::Approx(1000).epsilon(0.001));
    CHECK(RetryDelayMs(p, 2, top).value() == doctest::Approx(2000).epsilon(0.001));
    CHECK(RetryDelayMs(p, 3, top).value() == doctest::Approx(4000).epsilon(0.001));
    CHECK(RetryDelayMs(p, 4, top).value() == doctest::Approx(8000).epsilon(0.001));
    CHECK(RetryDelayMs(p, 5, top).value() == doctest::Approx(10'000).epsilon(0.001));
    // The jitter takes off at most half a step.
    CHECK(RetryDelayMs(p, 3, 0.0).value() == 2000);
    CHECK(RetryDelayMs(p, 3, 0.5).value() == 3000);
    // After max_attempts attempts: give up.
    CHECK_FALSE(RetryDelayMs(p, 6, 0.5).has_value());
    CHECK_FALSE(RetryDelayMs(p, 60, 0.5).has_value());
    // A huge attempt count does not overflow into a negative or tiny delay.
    p.max_attempts = 1000;
    CHECK(RetryDelayMs(p, 900, 0.0).value() == 5000);
  }

  TEST_CASE("the default schedule gives up after about a day and invalid policies are refused") {
    WebhookPolicy p;
    int64_t total_min = 0, total_max = 0;
    int attempts = 1;
    for (; RetryDelayMs(p, attempts, 0.0); ++attempts) {
      total_min += *RetryDelayMs(p, attempts, 0.0);
      total_max += *RetryDelayMs(p, attempts, 1.0);
    }
    CHECK(attempts == p.max_attempts);
    CHECK(total_min > 12 * 3'600'000LL);
    CHECK(total_max < 26 * 3'600'000LL);
    CHECK(IsDeliveredStatus(200));
    CHECK(IsDeliveredStatus(204));
    CHECK_FALSE(IsDeliveredStatus(301));
    CHECK_FALSE(IsDeliveredStatus(500));
    CHECK_FALSE(IsDeliveredStatus(0));
    WebhookPolicy bad;
    bad.retry_base_ms = 0;
    CHECK_FALSE(bad.Validate().ok());
    bad = WebhookPolicy{};
    bad.retry_base_ms = bad.retry_max_delay_ms + 1;
    CHECK_FALSE(bad.Validate().ok());
  }
}

TEST_SUITE("engine/webhook_url") {
  TEST_CASE("webhook URLs are taken apart and malformed ones refused") {
    auto u = ParseWebhookUrl("https://hooks.example.org/hamlet?site=1").value();
    CHECK(u.https);
    CHECK(u.host == "hooks.example.org");
    CHECK(u.port == 443);
    CHECK(u.target == "/hamlet?site=1");
    CHECK(u.Origin() == "https://hooks.example.org:443");
    u = ParseWebhookUrl("http://127.0.0.1:8099").value();
    CHECK(u.port == 8099);
    CHECK(u.target == "/");
    u = ParseWebhookUrl("http://[::1]:8080/hook").value();
    CHECK(u.host == "::1");
    CHECK(u.Origin() == "http://[::1]:8080");
    CHECK(ParseWebhookUrl("http://h.example?x=1").value().target == "/?x=1");
    for (const char* bad :
         {"", "ftp://h.example/", "http://", "http://:80/", "http://h:0/", "http://h:65536/",
          "http://h:x/", "http://user:pw@h.example/", "http://h.example/a b",
          "http://h.example/#frag", "http://[::1/", "http://h\x01.example/", "http://bad_host!/"}) {
      CAPTURE(bad);
      CHECK(ParseWebhookUrl(bad).error().code() == core::StatusCode::kInvalidArgument);
    }
  }
}

TEST_SUITE("engine/outcome_json") {
  TEST_CASE("an outcome carries no personal data unless the site opts in") {
    store::DecisionRecord d;
    d.id = "0123456789abcdef0123456789abcdef";
    d.created_ms = 1'700'000'000'123;
    d.decision.verdict = core::Verdict::kSpam;
    d.decision.uncertain = true;
    d.decision.score = 0.97;
    d.comment.comment_content = "Hello   there,\n\nnice post";
    d.comment.comment_author = "Maria";
    d.comment.comment_author_email = "maria@example.org";
    d.comment.user_ip = "198.51.100.23";
    d.comment.permalink = "https://blog.example/p/1";
    store::FeedbackRecord f;
    f.label = "ham";
    f.source = "cli";
    f.moderator = "alice";
    f.created_ms = 1'700'000'060'000;

    const json plain = DecisionOutcomeJson(d, &f, /*personal_data=*/false);
    CHECK(plain["id"] == d.id);
    CHECK(plain["created"] == "2023-11-14T22:13:20.123Z");
    CHECK(plain["verdict"] == "spam");
    CHECK(plain["uncertain"] == true);
    CHECK(plain["excerpt"] == "Hello there, nice post");
    CHECK(plain["permalink"] == "https://blog.example/p/1");
    CHECK(plain["comment_date_gmt"].is_null());
    CHECK(plain["label"] == "ham");
    CHECK(plain["labeled"] == "2023-11-14T22:14:20.000Z");
    CHECK(plain["labeled_by"] == "hamlet");
    CHECK(plain["moderator"] == "alice");
    const std::string text = plain.dump();
    for (const char* personal : {"maria@example.org", "198.51.100.23", "Maria"}) {
      CHECK(text.find(personal) == std::string::npos);
    }

    f.source = "akismet";
    const json personal = DecisionOutcomeJson(d, &f, /*personal_data=*/true);
    CHECK(personal["labeled_by"] == "site");
    CHECK(personal["comment_author_email"] == "maria@example.org");
    CHECK(personal["user_ip"] == "198.51.100.23");

    const json unlabeled = DecisionOutcomeJson(d, nullptr, false);
    CHECK(unlabeled["label"].is_null());
    CHECK(unlabeled["labeled"].is_null());
  }

  TEST_CASE("excerpts stop at a code point and say when they were cut") {
    CHECK(Excerpt("short") == "short");
    CHECK(Excerpt("  a \t b  ") == "a b");
    CHECK(Excerpt("abcdef", 3) == "abc\xE2\x80\xA6");
    CHECK(Excerpt("\xC3\xA9\xC3\xA9\xC3\xA9", 2) == "\xC3\xA9\xC3\xA9\xE2\x80\xA6");
    CHECK(Excerpt("ab cd", 3) == "ab\xE2\x80\xA6");
    CHECK(Excerpt(std::string(500, 'x')).size() == kExcerptChars + 3);
  }
}

TEST_SUITE("engine/webhook_outbox") {
  TEST_CASE("a moderator's mark on a site with a webhook becomes one signed-ready event") {
    Fixture f;
    const store::SiteKey key = f.keys.Create("https://blog.example/")->record;
    const std::string id = f.CheckOne(key, "spammy pills at a discount");
    // No webhook yet: the mark is stored, no event.
    f.Mark(id, Label::kHam, "alice");
    CHECK(f.store->ListWebhookEvents({})->empty());

    REQUIRE(f.sites.Set("https://blog.example/", "webhook_url", "https://hooks.example/h").ok());
    REQUIRE(f.sites.Set("https://blog.example/", "webhook_secret", kSecret).ok());
    f.clock.Advance(1000);
    f.Mark(id, Label::kSpam, "bob");
    auto events = f.store->ListWebhookEvents({}).value();
    REQUIRE(events.size() == 1);
    const store::WebhookEvent& e = events.front();
    CHECK(e.type == "decision.moderated");
    CHECK(e.decision_id == id);
    CHECK(e.feedback_id == f.store->ListFeedback(id)->back().id);
    CHECK(e.site_url == "https://blog.example/");
    CHECK(e.event_id.size() == 32);
    CHECK(e.next_attempt_ms == f.clock.NowMillis());

    const json body = json::parse(e.payload);
    CHECK(body["event"] == "decision.moderated");
    CHECK(body["event_id"] == e.event_id);
    CHECK(body["site"] == "https://blog.example/");
    CHECK(body["before"] == "ham");  // alice's earlier label, not the verdict
    CHECK(body["after"] == "spam");
    CHECK(body["changed"] == true);
    CHECK(body["undo"] == false);
    CHECK(body["decision"]["id"] == id);
    CHECK(body["decision"]["verdict"] == "spam");
    CHECK(body["decision"]["label"] == "spam");
    CHECK(body["decision"]["moderator"] == "bob");
    CHECK(body["decision"]["permalink"] == "https://blog.example/post/7");
    CHECK(body["decision"]["excerpt"] == "spammy pills at a discount");
    CHECK(e.payload.find("maria@example.org") == std::string::npos);
    CHECK(e.payload.find("198.51.100.23") == std::string::npos);

    // The request a worker would send: the body as stored, signed, with the event id.
    const WebhookRequest request = BuildWebhookRequest(
        e, ParseWebhookUrl("https://hooks.example/h").value(), kSecret, 1'700'000'001);
    CHECK(request.body == e.payload);
    std::map<std::string, std::string> headers(request.headers.begin(), request.headers.end());
    CHECK(headers["X-Hamlet-Event-Id"] == e.event_id);
    CHECK(headers["X-Hamlet-Event"] == "decision.moderated");
    CHECK(headers["Content-Type"] == "application/json");
    CHECK(
        VerifyWebhookSignature(kSecret, headers["X-Hamlet-Signature"], request.body, 1'700'000'001)
            .ok());
  }

  TEST_CASE("a verdict that agrees with hamlet's and personal data on opt-in") {
    Fixture f;
    const store::SiteKey key = f.keys.Create("https://blog.example/")->record;
    REQUIRE(f.sites.Set("", "webhook_url", "http://127.0.0.1:9/h").ok());
    REQUIRE(f.sites.Set("https://blog.example/", "outcome_personal_data", "true").ok());
    const std::string id = f.CheckOne(key, "a friendly ordinary comment");
    f.Mark(id, Label::kHam, "alice");
    auto events = f.store->ListWebhookEvents({}).value();
    REQUIRE(events.size() == 1);
    const json body = json::parse(events.front().payload);
    CHECK(body["before"] == "ham");
    CHECK(body["after"] == "ham");
    CHECK(body["changed"] == false);
    CHECK(body["decision"]["comment_author_email"] == "maria@example.org");
    CHECK(body["decision"]["user_ip"] == "198.51.100.23");
  }

  TEST_CASE("an undo tells the site which label is in force again") {
    Fixture f;
    const store::SiteKey key = f.keys.Create("https://blog.example/")->record;
    REQUIRE(f.sites.Set("", "webhook_url", "https://hooks.example/h").ok());
    const std::string first = f.CheckOne(key, "spammy pills here");
    const std::string second = f.CheckOne(key, "spammy pills there");
    const std::string third = f.CheckOne(key, "spammy pills everywhere");
    f.Mark(first, Label::kHam, "alice");
    const store::ModeratorAction both = [&] {
      auto plan = f.actions.PlanForIds({first, second, third}, Label::kSpam);
      REQUIRE(plan);
      return f.actions.Apply(*plan, "bob", "mark", "three").value();
    }();
    // A later verdict on the third stands whatever happens to bob's action.
    f.Mark(third, Label::kHam, "carol");
    REQUIRE(f.store->ListWebhookEvents({})->size() == 5);

    f.clock.Advance(1000);
    auto undone = f.actions.Undo(both.id, "bob");
    REQUIRE(undone);
    CHECK(undone->revoked == 3);
    auto events = f.store->ListWebhookEvents({}).value();  // newest first
    REQUIRE(events.size() == 7);
    std::map<std::string, json> by_decision;
    for (size_t i = 0; i < 2; ++i) {
      by_decision[events[i].decision_id] = json::parse(events[i].payload);
    }
    REQUIRE(by_decision.count(first) == 1);
    REQUIRE(by_decision.count(second) == 1);
    // alice's ham is in force again on the first; hamlet's own verdict on the second.
    CHECK(by_decision[first]["undo"] == true);
    CHECK(by_decision[first]["before"] == "spam");
    CHECK(by_decision[first]["after"] == "ham");
    CHECK(by_decision[first]["changed"] == true);
    CHECK(by_decision[first]["decision"]["label"] == "ham");
    CHECK(by_decision[second]["before"] == "spam");
    CHECK(by_decision[second]["after"] == "spam");  // the verdict: the fake scores it spam
    CHECK(by_decision[second]["changed"] == false);
    CHECK(by_decision[second]["decision"]["label"].is_null());
  }

  TEST_CASE("the site's own reports make no event and a ping needs a webhook") {
    Fixture f;
    const store::SiteKey key = f.keys.Create("https://blog.example/")->record;
    CHECK(f.outbox.EnqueuePing("https://blog.example/").error().code() ==
          core::StatusCode::kInvalidArgument);
    REQUIRE(f.sites.Set("https://blog.example/", "webhook_url", "https://hooks.example/h").ok());
    const std::string id = f.CheckOne(key, "spammy offer");
    core::Comment report = core::CommentFromFields({{"comment_content", "spammy offer"}});
    REQUIRE(f.feedback.Submit(report, key, Label::kHam, id, "akismet"));
    CHECK(f.store->ListWebhookEvents({})->empty());

    auto ping = f.outbox.EnqueuePing("https://blog.example/");
    REQUIRE(ping);
    CHECK(ping->type == "ping");
    CHECK(ping->decision_id.empty());
    CHECK(json::parse(ping->payload)["event"] == "ping");
    CHECK(f.outbox.Get(ping->id).value().event_id == ping->event_id);
    CHECK(f.outbox.Get(999).error().code() == core::StatusCode::kNotFound);
    CHECK(f.outbox.Retry(999).code() == core::StatusCode::kNotFound);
    CHECK(f.outbox.Retry(ping->id).ok());
  }
}

}  // namespace hamlet::engine
