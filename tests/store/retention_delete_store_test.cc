// Tests for retention's row deletion on both backends (Store::DeleteOldDecisions,
// CountDeletable, ListDeletedCounts): old decisions go with their feedback, webhook events,
// text-index entries and emptied moderator actions, in batches, their counts kept per day;
// what must stay (the newest rows, a decision a young recheck refers to) stays, and cursors
// and positions handed out before keep working.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/store_backends.h"

namespace hamlet::store {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kT0 = 1'699'920'000'000;  // 2023-11-14T00:00:00Z, a UTC day's start
const std::string kSite = "http://blog.example/";

DecisionRecord Decision(const std::string& id, int64_t created_ms,
                        core::Verdict verdict = core::Verdict::kSpam) {
  DecisionRecord r;
  r.id = id;
  r.created_ms = created_ms;
  r.channel = "akismet";
  r.site_url = kSite;
  r.comment = core::CommentFromFields({{"blog", kSite},
                                       {"comment_content", "cheap pills from " + id},
                                       {"comment_author", "Author " + id},
                                       {"user_ip", "203.0.113.7"}});
  r.decision.verdict = verdict;
  r.decision.score = verdict == core::Verdict::kHam ? 0.1 : 0.9;
  r.decision.reasons = {{"model", 2.5, "text model"}};
  r.model_version = "m@1";
  r.match_key = "mk-" + id;
  return r;
}

FeedbackRecord Label(const std::string& decision_id, const std::string& label, int64_t at) {
  FeedbackRecord f;
  f.decision_id = decision_id;
  f.label = label;
  f.source = "cli";
  f.moderator = "alice";
  f.created_ms = at;
  return f;
}

WebhookEvent Event(const std::string& event_id, const std::string& decision_id, int64_t at) {
  WebhookEvent e;
  e.event_id = event_id;
  e.site_url = kSite;
  e.type = "decision.moderated";
  e.decision_id = decision_id;
  e.payload = R"({"event":"test"})";
  e.created_ms = at;
  e.next_attempt_ms = at;
  return e;
}

bool Exists(Store& store, const std::string& id) {
  auto found = store.GetDecision(id);
  REQUIRE_MESSAGE(found.has_value(), found.error().ToString());
  return found->has_value();
}

// Deletes in batches of `batch` until a batch deletes nothing; the sum.
DeleteCounts DeleteAll(Store& store, int64_t before_ms, int batch) {
  DeleteCounts total;
  for (int i = 0; i < 100; ++i) {
    auto counts = store.DeleteOldDecisions(before_ms, batch);
    REQUIRE_MESSAGE(counts.has_value(), counts.error().ToString());
    total.decisions += counts->decisions;
    total.feedback += counts->feedback;
    total.actions += counts->actions;
    total.webhook_events += counts->webhook_events;
    if (counts->decisions + counts->feedback + counts->actions + counts->webhook_events == 0) {
      break;
    }
  }
  return total;
}

}  // namespace

TEST_SUITE("store/retention_delete") {
  TEST_CASE_TEMPLATE("deletes old decisions with their feedback and events and keeps their counts",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    // Day 0: five spam decisions, one labeled ham by a moderator action with a webhook event,
    // one a test; day 1: a ham decision whose recheck comes on day 20; day 20: young ones.
    for (int i = 0; i < 5; ++i) {
      std::string id = "old";  // appended: GCC 12 warns falsely on "old" + std::to_string(i)
      id += std::to_string(i);
      REQUIRE(store->AppendDecision(Decision(id, kT0 + i)).ok());
    }
    auto test_call = Decision("oldtest", kT0 + 10);
    test_call.comment.is_test = true;
    REQUIRE(store->AppendDecision(test_call).ok());
    ModeratorAction action;
    action.moderator = "alice";
    action.label = "ham";
    action.origin = "mark";
    action.selection = "old0";
    action.created_ms = kT0 + 100;
    auto marked = store->AppendModeratorAction(action, {Label("old0", "ham", kT0 + 100)},
                                               {Event(std::string(32, 'e'), "old0", kT0 + 100)});
    REQUIRE(marked.has_value());
    REQUIRE(store->AppendFeedback(Label("old1", "spam", kT0 + 200)).has_value());
    FeedbackRecord orphan = Label("", "spam", kT0 + 300);
    REQUIRE(store->AppendFeedback(orphan).has_value());
    REQUIRE(store->AppendDecision(Decision("first", kT0 + kDay, core::Verdict::kHam)).ok());
    auto recheck = Decision("recheck", kT0 + 20 * kDay, core::Verdict::kHam);
    recheck.comment.recheck_reason = "edit";
    recheck.recheck_of = "first";
    REQUIRE(store->AppendDecision(recheck).ok());
    REQUIRE(store->AppendDecision(Decision("young", kT0 + 20 * kDay + 5)).ok());
    REQUIRE(store->AppendFeedback(Label("young", "spam", kT0 + 20 * kDay + 6)).has_value());
    // A second action on a young decision: it keeps its feedback and so stays.
    action.created_ms = kT0 + 20 * kDay + 7;
    auto young_action =
        store->AppendModeratorAction(action, {Label("recheck", "ham", kT0 + 20 * kDay + 7)}, {});
    REQUIRE(young_action.has_value());

    const int64_t cut = kT0 + 10 * kDay;
    auto preview = store->CountDeletable(cut);
    REQUIRE(preview.has_value());
    CHECK(preview->decisions == 6);       // old0..old4 and oldtest; "first" has a young recheck
    CHECK(preview->feedback == 3);        // old0's, old1's and the orphan
    CHECK(preview->actions == 1);         // the day-0 action, emptied by the deletion
    CHECK(preview->webhook_events == 1);  // the event on old0
    const auto deleted = DeleteAll(*store, cut, 2);
    CHECK(deleted.decisions == 6);
    CHECK(deleted.feedback == 3);
    CHECK(deleted.actions == 1);
    CHECK(deleted.webhook_events == 1);
    for (const char* gone : {"old0", "old1", "old2", "old3", "old4", "oldtest"}) {
      CAPTURE(gone);
      CHECK_FALSE(Exists(*store, gone));
    }
    for (const char* kept : {"first", "recheck", "young"}) {
      CAPTURE(kept);
      CHECK(Exists(*store, kept));
    }
    CHECK(store->ListFeedback("old0")->empty());
    CHECK(store->ListWebhookEvents({})->empty());
    CHECK_FALSE(store->GetModeratorAction(marked->id)->has_value());
    CHECK(store->GetModeratorAction(young_action->id)->has_value());
    CHECK(store->CountDeletable(cut)->decisions == 0);
    // The text index forgot them: a search finds only what is left.
    DecisionFilter text;
    text.text = "pills";
    text.limit = 100;
    auto found = store->ListDecisions(text);
    REQUIRE(found.has_value());
    CHECK(found->size() == 3);

    // Their counts, per day and everything statistics group by.
    auto kept = store->ListDeletedCounts(0, kT0 + 30 * kDay);
    REQUIRE(kept.has_value());
    int64_t total = 0, ham_labeled = 0, spam_labeled = 0, tests = 0;
    for (const DeletedCount& c : *kept) {
      CHECK(c.day_ms == kT0);
      CHECK(c.site_url == kSite);
      CHECK(c.blog == kSite);
      CHECK(c.verdict == core::Verdict::kSpam);
      total += c.decisions;
      if (c.label == "ham") ham_labeled += c.decisions;
      if (c.label == "spam") spam_labeled += c.decisions;
      if (c.is_test) tests += c.decisions;
    }
    CHECK(total == 6);
    CHECK(ham_labeled == 1);
    CHECK(spam_labeled == 1);
    CHECK(tests == 1);
    CHECK(store->ListDeletedCounts(kT0 + 1, kT0 + 30 * kDay)->empty());
    // Deleting again adds nothing. A later cut takes "first" with its recheck, once the
    // recheck is old too and no longer holds the newest feedback row.
    CHECK(DeleteAll(*store, cut, 2).decisions == 0);
    CHECK(DeleteAll(*store, kT0 + 21 * kDay, 500).decisions == 0);  // "recheck" holds it
    REQUIRE(store->AppendDecision(Decision("newest", kT0 + 25 * kDay)).ok());
    REQUIRE(store->AppendFeedback(Label("newest", "spam", kT0 + 25 * kDay)).has_value());
    const auto later = DeleteAll(*store, kT0 + 21 * kDay, 500);
    CHECK(later.decisions == 3);
    CHECK(later.feedback == 2);
    CHECK(later.actions == 0);  // the newest action stays
    CHECK_FALSE(Exists(*store, "first"));
    CHECK(Exists(*store, "newest"));
    int64_t all_kept = 0;
    auto all_counts = store->ListDeletedCounts(0, kT0 + 30 * kDay);
    REQUIRE(all_counts.has_value());
    for (const DeletedCount& c : *all_counts) all_kept += c.decisions;
    CHECK(all_kept == 9);
    CHECK(store->DeleteOldDecisions(cut, 0).error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("the newest rows stay so cursors and positions never see an id twice", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    for (int i = 0; i < 4; ++i) {
      std::string id = "d";
      id += std::to_string(i);
      REQUIRE(store->AppendDecision(Decision(id, kT0 + i)).ok());
      REQUIRE(store->AppendFeedback(Label(id, "spam", kT0 + i)).has_value());
    }
    auto page = store->ListDecisionChanges(kSite, "", 100);
    REQUIRE(page.has_value());
    CHECK(page->changes.size() == 4);
    const auto position = store->LastDecisionPosition().value();
    // Everything is old: all but the newest decision (and its feedback, the newest) go.
    const auto deleted = DeleteAll(*store, kT0 + 10 * kDay, 500);
    CHECK(deleted.decisions == 3);
    CHECK(deleted.feedback == 3);
    CHECK(Exists(*store, "d3"));
    CHECK(store->LastDecisionPosition().value() == position);

    // What comes next is seen after the old cursor and position, exactly once.
    REQUIRE(store->AppendDecision(Decision("next", kT0 + 20 * kDay)).ok());
    REQUIRE(store->AppendFeedback(Label("d3", "ham", kT0 + 20 * kDay)).has_value());
    auto after = store->ListDecisionChanges(kSite, page->next_cursor, 100);
    REQUIRE(after.has_value());
    std::vector<std::string> ids;
    for (const auto& c : after->changes) ids.push_back(c.decision.id);
    CHECK(ids == std::vector<std::string>{"next", "d3"});
    auto memory = store->ListMemoryDecisionsAfter(position, 100);
    REQUIRE(memory.has_value());
    REQUIRE(memory->size() == 1);
    CHECK(memory->front().id == "next");
    // Memory's rebuild reads what is left.
    auto rebuilt = store->ListMemoryDecisions(0, {}, 100);
    REQUIRE(rebuilt.has_value());
    CHECK(rebuilt->size() == 2);
  }
}

}  // namespace hamlet::store
