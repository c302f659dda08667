// A site's decision changes on both backends (GET /v1/decisions): new decisions, new labels
// and undos in one paged stream behind a cursor that never skips a change, each decision once per
// page as it is now, and nothing of other sites.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "store/sqlite_store.h"
#include "support/store_backends.h"

namespace hamlet::store {
namespace {

constexpr const char* kSite = "https://blog.example/";
constexpr const char* kOther = "https://other.example/";

DecisionRecord Decision(const std::string& id, int64_t created_ms,
                        const std::string& site = kSite) {
  DecisionRecord r;
  r.id = id;
  r.site_url = site;
  r.created_ms = created_ms;
  r.channel = "v1";
  r.comment.comment_content = std::string("comment ").append(id);
  r.decision.score = 0.5;
  r.model_version = std::string("test-model");
  r.match_key = std::string("k-").append(id);
  return r;
}

FeedbackRecord Label(const std::string& decision_id, const std::string& label, int64_t at_ms) {
  FeedbackRecord f;
  f.decision_id = decision_id;
  f.label = label;
  f.source = "cli";
  f.moderator = "alice";
  f.created_ms = at_ms;
  return f;
}

std::vector<std::string> Ids(const DecisionChangesPage& page) {
  std::vector<std::string> ids;
  for (const DecisionChange& c : page.changes) ids.push_back(c.decision.id);
  return ids;
}

}  // namespace

TEST_SUITE("store/decision_changes") {
  TEST_CASE_TEMPLATE("pages walk new decisions and new labels in time order without gaps", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("a", 100)).ok());
    REQUIRE(store->AppendDecision(Decision("x", 150, kOther)).ok());
    REQUIRE(store->AppendDecision(Decision("b", 200)).ok());
    REQUIRE(store->AppendFeedback(Label("a", "spam", 300)));
    REQUIRE(store->AppendDecision(Decision("c", 400)).ok());
    REQUIRE(store->AppendFeedback(Label("x", "ham", 450)));  // another site's

    auto p1 = store->ListDecisionChanges(kSite, "", 2).value();
    CHECK(Ids(p1) == std::vector<std::string>{"a", "b"});
    CHECK(p1.more);
    // "a" already has its label: a page shows a decision as it is now.
    REQUIRE(p1.changes[0].latest_feedback.has_value());
    CHECK(p1.changes[0].latest_feedback->label == "spam");
    CHECK_FALSE(p1.changes[1].latest_feedback.has_value());

    // The label on "a" (at 300) is a change of its own, after "b".
    auto p2 = store->ListDecisionChanges(kSite, p1.next_cursor, 2).value();
    CHECK(Ids(p2) == std::vector<std::string>{"a", "c"});
    CHECK_FALSE(p2.more);
    auto p3 = store->ListDecisionChanges(kSite, p2.next_cursor, 2).value();
    CHECK(p3.changes.empty());
    CHECK_FALSE(p3.more);
    CHECK(p3.next_cursor == p2.next_cursor);

    // Later changes show up after the last cursor, and only those.
    REQUIRE(store->AppendFeedback(Label("b", "ham", 500)));
    REQUIRE(store->AppendDecision(Decision("d", 600)).ok());
    auto p4 = store->ListDecisionChanges(kSite, p2.next_cursor, 10).value();
    CHECK(Ids(p4) == std::vector<std::string>{"b", "d"});
    CHECK(p4.changes[0].latest_feedback->label == "ham");
    CHECK(p4.changes[0].latest_feedback->moderator == "alice");
    CHECK(p4.changes[0].latest_feedback->created_ms == 500);
  }

  TEST_CASE_TEMPLATE(
      "a decision made and relabeled within one page appears once with its last label", Backend,
      testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("a", 100)).ok());
    REQUIRE(store->AppendDecision(Decision("b", 150)).ok());
    REQUIRE(store->AppendFeedback(Label("a", "spam", 200)));
    REQUIRE(store->AppendFeedback(Label("a", "ham", 250)));
    auto page = store->ListDecisionChanges(kSite, "", 10).value();
    CHECK(Ids(page) == std::vector<std::string>{"b", "a"});
    CHECK(page.changes[1].latest_feedback->label == "ham");
    CHECK_FALSE(page.more);
  }

  TEST_CASE_TEMPLATE("an undo is a change: the decision appears again with the label left",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("a", 100)).ok());
    REQUIRE(store->AppendDecision(Decision("b", 110)).ok());
    REQUIRE(store->AppendDecision(Decision("x", 120, kOther)).ok());
    REQUIRE(store->AppendFeedback(Label("a", "ham", 200)));  // the site's own label
    ModeratorAction action;
    action.moderator = "alice";
    action.label = "spam";
    action.origin = "mark";
    action.selection = "text=pills";
    action.created_ms = 300;
    auto marked = store->AppendModeratorAction(
        action, {Label("a", "spam", 300), Label("b", "spam", 300), Label("x", "spam", 300)}, {});
    REQUIRE(marked);
    auto before = store->ListDecisionChanges(kSite, "", 10).value();
    CHECK(Ids(before) == std::vector<std::string>{"a", "b"});
    CHECK(before.changes[0].latest_feedback->label == "spam");

    REQUIRE(store->UndoModeratorAction(marked->id, "bob", 400, {}));
    auto after = store->ListDecisionChanges(kSite, before.next_cursor, 10).value();
    CHECK(Ids(after) == std::vector<std::string>{"a", "b"});
    // "a" has the site's label again; "b" has none: hamlet's verdict stands.
    REQUIRE(after.changes[0].latest_feedback.has_value());
    CHECK(after.changes[0].latest_feedback->label == "ham");
    CHECK_FALSE(after.changes[1].latest_feedback.has_value());
    CHECK_FALSE(after.more);
    auto again = store->ListDecisionChanges(kSite, after.next_cursor, 10).value();
    CHECK(again.changes.empty());
    CHECK(again.next_cursor == after.next_cursor);
    // The other site's undo is its own.
    auto other = store->ListDecisionChanges(kOther, "", 10).value();
    CHECK(Ids(other) == std::vector<std::string>{"x"});
    CHECK_FALSE(other.changes[0].latest_feedback.has_value());

    // Paged one at a time, the undo's two rows are two changes and none is skipped.
    std::vector<std::string> one_by_one;
    std::string cursor = before.next_cursor;
    for (int k = 0; k < 5; ++k) {
      auto page = store->ListDecisionChanges(kSite, cursor, 1).value();
      for (const std::string& id : Ids(page)) one_by_one.push_back(id);
      cursor = page.next_cursor;
      if (!page.more) break;
    }
    CHECK(one_by_one == std::vector<std::string>{"a", "b"});
  }

  TEST_CASE_TEMPLATE("a cursor handed out before undos were a stream still reads on", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("a", 100)).ok());
    REQUIRE(store->AppendDecision(Decision("b", 200)).ok());
    auto first = store->ListDecisionChanges(kSite, "", 1).value();
    // The cursor as schema version 13 wrote it: without the undo stream's position, the last
    // two numbers of today's.
    std::string old = first.next_cursor;
    for (int k = 0; k < 2; ++k) old = old.substr(0, old.rfind('.'));
    auto rest = store->ListDecisionChanges(kSite, old, 10);
    REQUIRE(rest);
    CHECK(Ids(*rest) == std::vector<std::string>{"b"});
  }

  TEST_CASE_TEMPLATE("another site sees none of this site's decisions or labels", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("a", 100)).ok());
    REQUIRE(store->AppendFeedback(Label("a", "spam", 200)));
    auto page = store->ListDecisionChanges(kOther, "", 10).value();
    CHECK(page.changes.empty());
    CHECK_FALSE(page.more);
  }

  TEST_CASE_TEMPLATE("a cursor that was not handed out and a limit below 1 are refused", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    // Trailing text after whole numbers too ("1.2.x"): not a cursor either backend wrote.
    for (const std::string bad :
         {"abc", "1", "1.", ".1", "-1.0", "1.2.3", "1.2.3.4.5", "99999999999999999999.0", "1.2.x",
          "1.2.", "1.2.3.4.x", "p", "p1.2", "p1.2.3.x", "p-1.0.0.0", "p1.2.3.4.5", "p1.2.3.4.x",
          "p1.2.3.4.5.6."}) {
      auto page = store->ListDecisionChanges(kSite, bad, 10);
      REQUIRE_FALSE(page);
      CHECK(page.error().code() == core::StatusCode::kInvalidArgument);
    }
    CHECK(store->ListDecisionChanges(kSite, "", 0).error().code() ==
          core::StatusCode::kInvalidArgument);
    // A cursor the store handed out is accepted (its text is the backend's own).
    auto first = store->ListDecisionChanges(kSite, "", 1);
    REQUIRE(first);
    CHECK(store->ListDecisionChanges(kSite, first->next_cursor, 1));
  }
}

}  // namespace hamlet::store
