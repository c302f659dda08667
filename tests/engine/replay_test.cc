// Replay over a real in-memory SQLite store with a scripted classifier ("spammy" -> spam).
#include "engine/replay.h"

#include <doctest/doctest.h>

#include "store/sqlite_store.h"
#include "support/fake_classifier.h"

using namespace hamlet;

namespace {

struct FixedClock final : core::Clock {
  int64_t NowMillis() const override { return 1'000'000; }
};

store::DecisionRecord Stored(const std::string& id, int64_t created_ms, const std::string& content,
                             core::Verdict verdict) {
  store::DecisionRecord r;
  r.id = id;
  r.created_ms = created_ms;
  r.channel = "v1";
  r.comment.comment_content = content;
  r.comment.fields = {{"comment_content", content}};
  r.decision.verdict = verdict;
  r.decision.score = verdict == core::Verdict::kHam ? 0.1 : 0.9;
  r.model_version = "old@1";
  r.match_key = "mk-" + id;
  return r;
}

store::FeedbackRecord Label(const std::string& decision_id, const std::string& label) {
  store::FeedbackRecord f;
  f.decision_id = decision_id;
  f.label = label;
  f.source = "cli";
  return f;
}

}  // namespace

TEST_SUITE("engine/replay") {
  TEST_CASE("lists changed verdicts newest first, skips rechecks, marks tests, scores labels") {
    auto store = store::OpenSqliteStore(":memory:").value();
    using core::Verdict;
    REQUIRE(store->AppendDecision(Stored("too-old", 10, "spammy old", Verdict::kHam)).ok());
    REQUIRE(store->AppendDecision(Stored("missed", 100, "spammy pills", Verdict::kHam)).ok());
    REQUIRE(store->AppendDecision(Stored("wrongly", 200, "a kind word", Verdict::kDiscard)).ok());
    REQUIRE(store->AppendDecision(Stored("same", 300, "a kind word too", Verdict::kHam)).ok());
    auto recheck = Stored("recheck", 400, "spammy pills", Verdict::kHam);
    recheck.comment.recheck_reason = "edit";
    REQUIRE(store->AppendDecision(recheck).ok());
    auto test = Stored("test", 500, "spammy test", Verdict::kHam);
    test.comment.is_test = true;
    REQUIRE(store->AppendDecision(test).ok());
    REQUIRE(store->AppendFeedback(Label("missed", "spam")).has_value());
    REQUIRE(store->AppendFeedback(Label("wrongly", "spam")).has_value());  // moderator agreed

    FixedClock clock;
    testing::FakeClassifier classifier;
    engine::Filter candidate(classifier, *store, decision::Policy{}, clock);
    engine::ReplayOptions options;
    options.since_ms = 50;
    options.until_ms = 1000;
    options.page_size = 2;  // several pages
    auto report = engine::Replay(*store, candidate, options);
    REQUIRE(report.has_value());
    const auto& s = report->summary;
    CHECK(s.scanned == 4);  // missed, wrongly, same, test
    CHECK(s.tests == 1);
    CHECK(s.changed == 3);
    CHECK(s.ham_to_spam == 2);
    CHECK(s.spam_to_ham == 1);
    CHECK(s.labeled_changed == 2);
    CHECK(s.replayed_right == 1);  // missed: now spam, labeled spam
    CHECK(s.stored_right == 1);    // wrongly: stored discard, labeled spam
    REQUIRE(report->changes.size() == 3);
    CHECK(report->changes[0].stored.id == "test");
    CHECK(report->changes[0].stored.comment.is_test);
    CHECK(report->changes[1].stored.id == "wrongly");
    CHECK(report->changes[1].replayed.verdict == core::Verdict::kHam);
    CHECK(report->changes[2].stored.id == "missed");
    CHECK(report->changes[2].stored.feedback_label == "spam");

    options.limit = 1;
    auto limited = engine::Replay(*store, candidate, options);
    REQUIRE(limited.has_value());
    CHECK(limited->summary.scanned == 1);
    options.limit = -1;
    CHECK_FALSE(engine::Replay(*store, candidate, options).has_value());
  }

  TEST_CASE("a failing classifier fails the replay") {
    auto store = store::OpenSqliteStore(":memory:").value();
    REQUIRE(store->AppendDecision(Stored("a", 100, "text", core::Verdict::kHam)).ok());
    FixedClock clock;
    testing::FakeClassifier classifier;
    classifier.fail = true;
    engine::Filter candidate(classifier, *store, decision::Policy{}, clock);
    engine::ReplayOptions options;
    options.until_ms = 1000;
    CHECK_FALSE(engine::Replay(*store, candidate, options).has_value());
  }
}
