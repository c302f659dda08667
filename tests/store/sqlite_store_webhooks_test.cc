// The webhook outbox, on both backends: an event is stored with the verdict it reports or not
// at all, finished events go with a purge, a claim is exclusive for its lease (also across two
// stores on one database, as two nodes would be), a stale worker cannot overwrite the next worker's
// outcome, and failed events are listed and requeued.
#include <doctest/doctest.h>

#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_store.h"
#include "support/sqlite_probe.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

constexpr const char* kSite = "https://blog.example/";

DecisionRecord Decision(const std::string& id, const std::string& site = kSite) {
  DecisionRecord r;
  r.id = id;
  r.site_url = site;
  r.created_ms = 1000;
  r.channel = "v1";
  r.comment.comment_content = "a comment";
  r.decision.score = 0.2;
  r.model_version = std::string("test-model");
  r.match_key = std::string("k-").append(id);
  return r;
}

FeedbackRecord Mark(const std::string& decision_id, const std::string& label = "spam") {
  FeedbackRecord f;
  f.decision_id = decision_id;
  f.label = label;
  f.source = "cli";
  f.moderator = "alice";
  f.created_ms = 2000;
  return f;
}

ModeratorAction Action() {
  ModeratorAction a;
  a.moderator = "alice";
  a.label = "spam";
  a.origin = "mark";
  a.created_ms = 2000;
  return a;
}

WebhookEvent Event(const std::string& event_id, const std::string& decision_id = "",
                   int64_t due_ms = 2000) {
  WebhookEvent e;
  e.event_id = event_id;
  e.site_url = kSite;
  e.type = decision_id.empty() ? "ping" : "decision.moderated";
  e.decision_id = decision_id;
  e.payload = R"({"event":"test"})";
  e.created_ms = 2000;
  e.next_attempt_ms = due_ms;
  return e;
}

WebhookAttemptResult Outcome(const WebhookEvent& e, const std::string& worker, WebhookState state,
                             int64_t now_ms, int64_t next_ms = 0) {
  WebhookAttemptResult r;
  r.event = e.id;
  r.worker = worker;
  r.state = state;
  r.next_attempt_ms = next_ms;
  r.last_status = state == WebhookState::kDelivered ? 200 : 500;
  r.last_error = state == WebhookState::kDelivered ? "" : "HTTP 500";
  r.now_ms = now_ms;
  return r;
}

}  // namespace

TEST_SUITE("store/webhooks") {
  TEST_CASE_TEMPLATE(
      "an event is stored with the moderator action it reports and names its feedback", Backend,
      testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("d1")).ok());
    REQUIRE(store->AppendDecision(Decision("d2")).ok());
    auto action =
        store->AppendModeratorAction(Action(), {Mark("d1"), Mark("d2")}, {Event("e2", "d2")});
    REQUIRE(action);
    auto events = store->ListWebhookEvents({});
    REQUIRE(events);
    REQUIRE(events->size() == 1);
    const WebhookEvent& e = events->front();
    CHECK(e.event_id == "e2");
    CHECK(e.feedback_id == store->ListFeedback("d2")->front().id);
    CHECK(e.decision_id == "d2");
    CHECK(e.state == WebhookState::kPending);
    CHECK(e.attempts == 0);
    CHECK(e.payload == R"({"event":"test"})");
    CHECK(e.claimed_by.empty());

    // The undo stores the events reporting it with the revocation.
    WebhookEvent undo = Event("e3", "d2");
    undo.feedback_id = e.feedback_id;
    REQUIRE(store->UndoModeratorAction(action->id, "alice", 5, {undo}));
    CHECK(store->ListWebhookEvents({})->size() == 2);
  }

  TEST_CASE_TEMPLATE("neither the verdict nor the event is stored when either is refused", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("d1")).ok());
    REQUIRE(store->AppendModeratorAction(Action(), {Mark("d1")}, {Event("e1", "d1")}));
    // The event id exists already: the verdict goes too.
    auto dup = store->AppendModeratorAction(Action(), {Mark("d1", "ham")}, {Event("e1", "d1")});
    REQUIRE_FALSE(dup);
    CHECK(dup.error().code() == core::StatusCode::kInvalidArgument);
    // The event is on a decision the action does not judge.
    auto stray = store->AppendModeratorAction(Action(), {Mark("d1", "ham")}, {Event("e2", "d9")});
    REQUIRE_FALSE(stray);
    CHECK(stray.error().code() == core::StatusCode::kInvalidArgument);
    // The feedback names no decision: the event goes too.
    auto orphan = store->AppendModeratorAction(Action(), {Mark("nope")}, {Event("e3", "nope")});
    REQUIRE_FALSE(orphan);
    CHECK(orphan.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(store->ListFeedback("d1")->size() == 1);
    CHECK(store->ListWebhookEvents({})->size() == 1);
    CHECK(store->ListModeratorActions("", true, 10)->size() == 1);
  }

  TEST_CASE_TEMPLATE("a purge deletes finished events before the cutoff and keeps pending ones",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendWebhookEvent(Event("e1")));
    REQUIRE(store->AppendWebhookEvent(Event("e2")));
    auto claimed = store->ClaimWebhookEvent("w", 3000, 60'000);
    REQUIRE(claimed);
    REQUIRE(claimed->has_value());
    REQUIRE(
        store->FinishWebhookAttempt(Outcome(**claimed, "w", WebhookState::kDelivered, 3000)).ok());
    CHECK(store->CountPurgeable(1'000'000)->webhook_events == 1);
    auto purged = store->PurgePersonalData(1'000'000, 1'000'000, 100);
    REQUIRE(purged);
    CHECK(purged->webhook_events == 1);
    auto left = store->ListWebhookEvents({}).value();
    REQUIRE(left.size() == 1);
    CHECK(left.front().state == WebhookState::kPending);
  }

  TEST_CASE_TEMPLATE("a claim is exclusive until its lease ends and counts the attempt", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendWebhookEvent(Event("e1")));
    // Not due yet.
    CHECK_FALSE(store->ClaimWebhookEvent("w1", 1999, 1000).value().has_value());
    auto first = store->ClaimWebhookEvent("w1", 2000, 1000).value();
    REQUIRE(first.has_value());
    CHECK(first->attempts == 1);
    CHECK(first->claimed_by == "w1");
    CHECK(first->claimed_until_ms == 3000);
    // Another worker finds nothing while the lease runs.
    CHECK_FALSE(store->ClaimWebhookEvent("w2", 2999, 1000).value().has_value());
    // w1 vanished: at the lease's end w2 takes it over, as a second attempt.
    auto second = store->ClaimWebhookEvent("w2", 3000, 1000).value();
    REQUIRE(second.has_value());
    CHECK(second->attempts == 2);
    CHECK(second->claimed_by == "w2");
    // w1's late outcome is refused and changes nothing; w2's counts.
    CHECK(
        store->FinishWebhookAttempt(Outcome(*first, "w1", WebhookState::kDelivered, 3100)).code() ==
        core::StatusCode::kNotFound);
    CHECK(store->GetWebhookEvent(first->id).value()->claimed_by == "w2");
    REQUIRE(
        store->FinishWebhookAttempt(Outcome(*second, "w2", WebhookState::kDelivered, 3200)).ok());
    auto done = store->GetWebhookEvent(first->id).value();
    REQUIRE(done.has_value());
    CHECK(done->state == WebhookState::kDelivered);
    CHECK(done->finished_ms == 3200);
    CHECK(done->last_status == 200);
    CHECK(done->claimed_by.empty());
    CHECK(done->claimed_until_ms == 0);
    // Delivered events are never claimed again.
    CHECK_FALSE(store->ClaimWebhookEvent("w3", 99'999, 1000).value().has_value());
  }

  TEST_CASE_TEMPLATE("a retry waits for its time and the oldest due event goes first", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendWebhookEvent(Event("late", "", 5000)));
    REQUIRE(store->AppendWebhookEvent(Event("early", "", 2000)));
    auto claimed = store->ClaimWebhookEvent("w", 6000, 1000).value();
    REQUIRE(claimed.has_value());
    CHECK(claimed->event_id == "early");
    REQUIRE(store
                ->FinishWebhookAttempt(
                    Outcome(*claimed, "w", WebhookState::kPending, 6001, /*next_ms=*/9000))
                .ok());
    auto retried = store->GetWebhookEvent(claimed->id).value();
    CHECK(retried->state == WebhookState::kPending);
    CHECK(retried->last_error == "HTTP 500");
    CHECK(retried->finished_ms == 0);
    CHECK(retried->next_attempt_ms == 9000);
    auto next = store->ClaimWebhookEvent("w", 6002, 1000).value();
    REQUIRE(next.has_value());
    CHECK(next->event_id == "late");
    REQUIRE(store->FinishWebhookAttempt(Outcome(*next, "w", WebhookState::kDelivered, 6003)).ok());
    CHECK_FALSE(store->ClaimWebhookEvent("w", 8999, 1000).value().has_value());
    auto again = store->ClaimWebhookEvent("w", 9000, 1000).value();
    REQUIRE(again.has_value());
    CHECK(again->event_id == "early");
    CHECK(again->attempts == 2);
  }

  TEST_CASE_TEMPLATE("failed events are listed by state and site and can be requeued", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    const int64_t a = store->AppendWebhookEvent(Event("a")).value();
    WebhookEvent other = Event("b");
    other.site_url = "https://other.example/";
    REQUIRE(store->AppendWebhookEvent(other));
    for (const char* worker : {"w1", "w2"}) {
      auto e = store->ClaimWebhookEvent(worker, 3000, 1000).value();
      REQUIRE(e.has_value());
      REQUIRE(store->FinishWebhookAttempt(Outcome(*e, worker, WebhookState::kFailed, 3001)).ok());
    }
    WebhookEventFilter failed;
    failed.state = WebhookState::kFailed;
    CHECK(store->ListWebhookEvents(failed)->size() == 2);
    failed.site_url = kSite;
    auto mine = store->ListWebhookEvents(failed).value();
    REQUIRE(mine.size() == 1);
    CHECK(mine.front().id == a);
    CHECK(mine.front().finished_ms == 3001);

    // Requeue this site's failed events: due now, attempts from zero.
    CHECK(store->RequeueWebhookEvents(0, std::string(kSite), 4000).value() == 1);
    auto back = store->GetWebhookEvent(a).value();
    CHECK(back->state == WebhookState::kPending);
    CHECK(back->attempts == 0);
    CHECK(back->next_attempt_ms == 4000);
    CHECK(back->finished_ms == 0);
    // Every failed event; then by id, whatever the state; an unknown id changes nothing.
    CHECK(store->RequeueWebhookEvents(0, std::nullopt, 4000).value() == 1);
    CHECK(store->RequeueWebhookEvents(a, std::nullopt, 4000).value() == 1);
    CHECK(store->RequeueWebhookEvents(999, std::nullopt, 4000).value() == 0);
    WebhookEventFilter still_failed;
    still_failed.state = WebhookState::kFailed;
    CHECK(store->ListWebhookEvents(still_failed)->empty());
    WebhookEventFilter negative;
    negative.limit = -1;
    CHECK(store->ListWebhookEvents(negative).error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("delivered events are pruned after their time and the others kept", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendWebhookEvent(Event("old")));
    REQUIRE(store->AppendWebhookEvent(Event("pending")));
    auto e = store->ClaimWebhookEvent("w", 2000, 1000).value();
    REQUIRE(store->FinishWebhookAttempt(Outcome(*e, "w", WebhookState::kDelivered, 2500)).ok());
    CHECK(store->PruneWebhookEvents(2500).value() == 0);
    CHECK(store->PruneWebhookEvents(2501).value() == 1);
    auto left = store->ListWebhookEvents({}).value();
    REQUIRE(left.size() == 1);
    CHECK(left.front().event_id == "pending");
  }

  TEST_CASE_TEMPLATE("two stores on one database claiming at once never take the same event",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(one, Backend);
    auto two = one.OpenAnother();
    constexpr int kEvents = 40;
    for (int i = 0; i < kEvents; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "e%d", i);
      REQUIRE(one->AppendWebhookEvent(Event(id)));
    }
    // Two workers, each with its own connection to the file (as two hamletd nodes would),
    // claim until nothing is left.
    std::vector<int64_t> got[2];
    bool errors[2] = {false, false};
    auto drain = [&](Store* s, int w) {
      for (;;) {
        auto e = s->ClaimWebhookEvent(w == 0 ? "worker0" : "worker1", 2000, 60'000);
        if (!e) {
          errors[w] = true;
          return;
        }
        if (!e->has_value()) return;
        got[w].push_back((*e)->id);
      }
    };
    std::thread t0(drain, one.get(), 0), t1(drain, two.get(), 1);
    t0.join();
    t1.join();
    CHECK_FALSE(errors[0]);
    CHECK_FALSE(errors[1]);
    std::set<int64_t> all(got[0].begin(), got[0].end());
    for (int64_t id : got[1]) CHECK(all.insert(id).second);
    CHECK(all.size() == kEvents);
    WebhookEventFilter everything;
    everything.limit = 1000;
    auto events = one->ListWebhookEvents(everything);
    REQUIRE(events);
    REQUIRE(events->size() == kEvents);
    for (const WebhookEvent& e : *events) {
      CHECK(e.attempts == 1);
      CHECK_FALSE(e.claimed_by.empty());
    }
  }

  TEST_CASE_TEMPLATE("claims refuse an empty worker id and a lease that is not positive", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    CHECK(store->ClaimWebhookEvent("", 1, 1).error().code() == core::StatusCode::kInvalidArgument);
    CHECK(store->ClaimWebhookEvent("w", 1, 0).error().code() == core::StatusCode::kInvalidArgument);
  }
}

}  // namespace hamlet::store
