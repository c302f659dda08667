// Tests for the store reads behind retrain and replay, against real SQLite and PostgreSQL:
// the labeled feedback to learn from (latest label per decision, tests left out, paging) and
// the time window and first-checks filter of ListDecisions.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "store/sqlite_store.h"
#include "support/sqlite_probe.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

DecisionRecord Decision(const std::string& id, int64_t created_ms, const std::string& content,
                        bool is_test = false) {
  DecisionRecord r;
  r.id = id;
  r.created_ms = created_ms;
  r.channel = "v1";
  r.comment.comment_content = content;
  r.comment.comment_author = "author of " + id;
  r.comment.is_test = is_test;
  r.comment.fields = {{"comment_content", content}};
  r.model_version = "m@1";
  r.match_key = "mk-" + id;
  return r;
}

FeedbackRecord Feedback(const std::string& decision_id, const std::string& label,
                        int64_t created_ms, bool is_test = false,
                        core::FieldList fields = {{"comment_content", "as reported"}}) {
  FeedbackRecord f;
  f.decision_id = decision_id;
  f.label = label;
  f.source = "v1";
  f.created_ms = created_ms;
  f.is_test = is_test;
  f.fields = std::move(fields);
  return f;
}

std::vector<LabeledFeedback> ReadAllPages(Store& store, int page_size) {
  std::vector<LabeledFeedback> all;
  int64_t after = 0;
  for (;;) {
    auto page = store.ListLabeledFeedback(after, page_size);
    REQUIRE(page.has_value());
    if (page->empty()) return all;
    CHECK(static_cast<int>(page->size()) <= page_size);
    after = page->back().feedback_id;
    all.insert(all.end(), page->begin(), page->end());
  }
}

}  // namespace

TEST_SUITE("store/sqlite_store_learning") {
  TEST_CASE_TEMPLATE(
      "labeled feedback: the latest non-test label per decision, with its stored comment", Backend,
      testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("d1", 1, "first comment")).ok());
    REQUIRE(store->AppendDecision(Decision("d2", 2, "second comment")).ok());
    REQUIRE(store->AppendDecision(Decision("dtest", 3, "a test comment", /*is_test=*/true)).ok());
    REQUIRE(store->AppendDecision(Decision("d3", 4, "never judged")).ok());
    REQUIRE(store->AppendFeedback(Feedback("d1", "spam", 10)).has_value());
    auto d1_latest = store->AppendFeedback(Feedback("d1", "ham", 11));
    REQUIRE(d1_latest.has_value());
    // A later test report does not override the moderator's verdict.
    REQUIRE(store->AppendFeedback(Feedback("d1", "spam", 12, /*is_test=*/true)).has_value());
    REQUIRE(store->AppendFeedback(Feedback("d2", "spam", 13)).has_value());
    REQUIRE(store->AppendFeedback(Feedback("dtest", "spam", 14)).has_value());
    auto orphan = store->AppendFeedback(
        Feedback("", "spam", 15, false,
                 {{"comment_content", "reported without a check"}, {"comment_author", "bob"}}));
    REQUIRE(orphan.has_value());
    REQUIRE(store->AppendFeedback(Feedback("", "ham", 16, /*is_test=*/true)).has_value());

    const auto all = ReadAllPages(*store, 100);
    REQUIRE(all.size() == 3);
    CHECK(all[0].feedback_id == *d1_latest);
    CHECK(all[0].decision_id == "d1");
    CHECK(all[0].label == "ham");
    CHECK(all[0].created_ms == 11);
    CHECK(all[0].comment.comment_content == "first comment");  // the decision's, not the report's
    CHECK(all[0].comment.comment_author == "author of d1");
    CHECK(all[1].decision_id == "d2");
    CHECK(all[1].label == "spam");
    CHECK(all[2].feedback_id == *orphan);
    CHECK(all[2].decision_id.empty());
    CHECK(all[2].comment.comment_content == "reported without a check");
    CHECK(all[2].comment.comment_author == "bob");
  }

  TEST_CASE_TEMPLATE("labeled feedback pages by feedback id and ends with an empty page", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    for (int i = 0; i < 7; ++i) {
      REQUIRE(store
                  ->AppendFeedback(Feedback("", i % 2 ? "spam" : "ham", i, false,
                                            {{"comment_content", "text " + std::to_string(i)}}))
                  .has_value());
    }
    const auto by_two = ReadAllPages(*store, 2);
    const auto at_once = ReadAllPages(*store, 50);
    REQUIRE(by_two.size() == 7);
    REQUIRE(at_once.size() == 7);
    for (size_t i = 0; i < by_two.size(); ++i) {
      CHECK(by_two[i].feedback_id == at_once[i].feedback_id);
      CHECK(by_two[i].comment.comment_content == "text " + std::to_string(i));
      if (i > 0) CHECK(by_two[i].feedback_id > by_two[i - 1].feedback_id);
    }
    auto past_end = store->ListLabeledFeedback(by_two.back().feedback_id, 10);
    REQUIRE(past_end.has_value());
    CHECK(past_end->empty());
  }

  TEST_CASE_TEMPLATE("labeled feedback refuses a negative limit, an empty store has none", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto none = store->ListLabeledFeedback(0, 10);
    REQUIRE(none.has_value());
    CHECK(none->empty());
    auto bad = store->ListLabeledFeedback(0, -1);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("list decisions within from since to until, first checks only, newest first",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("old", 100, "a")).ok());
    REQUIRE(store->AppendDecision(Decision("mid", 200, "b")).ok());
    DecisionRecord recheck = Decision("recheck", 250, "b");
    recheck.comment.recheck_reason = "edit";
    REQUIRE(store->AppendDecision(recheck).ok());
    REQUIRE(store->AppendDecision(Decision("new", 300, "c")).ok());

    auto ids = [&](const DecisionFilter& f) {
      auto rows = store->ListDecisions(f);
      REQUIRE(rows.has_value());
      std::vector<std::string> out;
      for (const auto& r : *rows) out.push_back(r.id);
      return out;
    };
    DecisionFilter since;
    since.since_ms = 200;
    CHECK(ids(since) == std::vector<std::string>{"new", "recheck", "mid"});
    since.first_checks_only = true;
    CHECK(ids(since) == std::vector<std::string>{"new", "mid"});
    since.until_ms = 300;
    CHECK(ids(since) == std::vector<std::string>{"mid"});
    DecisionFilter all;
    CHECK(ids(all).size() == 4);
    DecisionFilter future;
    future.since_ms = 301;
    CHECK(ids(future).empty());
  }
}

}  // namespace hamlet::store
