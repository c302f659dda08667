// Tests for moderators' verdicts as recorded actions (plans, apply, undo) and for the review
// session built on them, over a real in-memory SQLite store.
#include "engine/moderator_actions.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/review_session.h"
#include "store/sqlite_store.h"
#include "support/manual_clock.h"

namespace hamlet::engine {
namespace {

struct Fixture {
  Fixture() : store(store::OpenSqliteStore(":memory:").value()) {}
  testing::ManualClock clock;
  std::unique_ptr<store::Store> store;
  Moderation moderation{*store};
  ModeratorActions actions{*store, moderation, clock};

  // A decision with this id, verdict and score, `age_ms` before now.
  void Add(const std::string& id, core::Verdict verdict, double score,
           const std::string& content = "buy pills", const std::string& recheck_of = "") {
    store::DecisionRecord r;
    r.id = id;
    r.created_ms = clock.now;
    r.channel = "akismet";
    r.comment = core::CommentFromFields({{"comment_content", content}});
    r.decision.verdict = verdict;
    r.decision.score = score;
    r.recheck_of = recheck_of;
    if (!recheck_of.empty()) r.comment.recheck_reason = "edit";
    REQUIRE(store->AppendDecision(r).ok());
    clock.now += 1000;
  }
  // A site's report on `id`.
  void Report(const std::string& id, const std::string& label) {
    store::FeedbackRecord fb;
    fb.decision_id = id;
    fb.label = label;
    fb.source = "akismet";
    fb.created_ms = clock.now;
    REQUIRE(store->AppendFeedback(fb).has_value());
  }
  std::optional<std::string> LabelOf(const std::string& id) {
    return (*store->GetDecision(id))->feedback_label;
  }
};

std::vector<std::string> Ids(const std::vector<store::DecisionRecord>& records) {
  std::vector<std::string> ids;
  for (const auto& r : records) ids.push_back(r.id);
  return ids;
}

}  // namespace

TEST_SUITE("engine/moderator_actions") {
  TEST_CASE("a plan for ids judges each comment once at its first check and skips same labels") {
    Fixture f;
    f.Add("first", core::Verdict::kSpam, 0.9);
    f.Add("recheck", core::Verdict::kSpam, 0.9, "buy pills", "first");
    f.Add("other", core::Verdict::kHam, 0.2);
    f.Report("other", "spam");
    auto plan = f.actions.PlanForIds({"recheck", "first", "other"}, Label::kSpam);
    REQUIRE(plan.has_value());
    CHECK(Ids(plan->to_change) == std::vector<std::string>{"first"});
    CHECK(Ids(plan->unchanged) == std::vector<std::string>{"other"});
    CHECK(f.actions.PlanForIds({"first", "missing"}, Label::kSpam).error().code() ==
          core::StatusCode::kNotFound);
  }

  TEST_CASE("a plan for a query refuses to grow past its cap") {
    Fixture f;
    for (const char* id : {"d0", "d1", "d2", "d3", "d4"}) f.Add(id, core::Verdict::kSpam, 0.9);
    QueueQuery q;
    q.filter.flagged_only = true;
    CHECK(f.actions.PlanForQuery(q, Label::kHam, 5)->to_change.size() == 5);
    auto capped = f.actions.PlanForQuery(q, Label::kHam, 4);
    REQUIRE_FALSE(capped.has_value());
    CHECK(capped.error().code() == core::StatusCode::kInvalidArgument);
    q.domain = "pills.example";  // no links at all: nothing matches
    CHECK(f.actions.PlanForQuery(q, Label::kHam, 4)->to_change.empty());
  }

  TEST_CASE("apply records who and when undo takes back the moderator's own last action") {
    Fixture f;
    f.Add("a", core::Verdict::kSpam, 0.9);
    f.Add("b", core::Verdict::kSpam, 0.8);
    auto alice =
        f.actions.Apply(*f.actions.PlanForIds({"a", "b"}, Label::kHam), "alice", "mark", "a b");
    REQUIRE(alice.has_value());
    CHECK(alice->item_count == 2);
    CHECK(alice->created_ms == f.clock.now);
    f.clock.now += 1000;
    auto bob = f.actions.Apply(*f.actions.PlanForIds({"a"}, Label::kSpam), "bob", "mark", "a");
    REQUIRE(bob.has_value());
    CHECK(f.LabelOf("a") == "spam");

    // alice's undo leaves bob's verdict alone.
    auto undone = f.actions.UndoLast("alice", "alice");
    REQUIRE(undone.has_value());
    CHECK(undone->action.id == alice->id);
    CHECK(undone->revoked == 2);
    CHECK(undone->action.undone());
    CHECK(f.LabelOf("a") == "spam");
    CHECK_FALSE(f.LabelOf("b").has_value());
    CHECK(f.actions.UndoLast("alice", "alice").error().code() == core::StatusCode::kNotFound);
    CHECK(f.actions.Undo(alice->id, "alice").error().code() == core::StatusCode::kInvalidArgument);
    // Anyone's last: bob's.
    CHECK(f.actions.UndoLast("", "carol")->action.id == bob->id);
    CHECK_FALSE(f.LabelOf("a").has_value());
    CHECK(f.actions.Recent("", 10)->size() == 2);
  }

  TEST_CASE("a plan that changes nothing records nothing and a moderator needs a name") {
    Fixture f;
    f.Add("a", core::Verdict::kSpam, 0.9);
    REQUIRE(f.actions.Apply(*f.actions.PlanForIds({"a"}, Label::kSpam), "alice", "mark", "a"));
    auto again = f.actions.Apply(*f.actions.PlanForIds({"a"}, Label::kSpam), "alice", "mark", "a");
    REQUIRE(again.has_value());
    CHECK(again->id == 0);
    CHECK(f.actions.Recent("alice", 10)->size() == 1);
    CHECK(f.actions.Apply(*f.actions.PlanForIds({"a"}, Label::kHam), "", "mark", "a")
              .error()
              .code() == core::StatusCode::kInvalidArgument);
  }
}

TEST_SUITE("engine/review_session") {
  TEST_CASE("works through the queue riskiest first - judge skip undo") {
    Fixture f;
    f.Add("low", core::Verdict::kSpam, 0.7);
    f.Add("high", core::Verdict::kDiscard, 0.99);
    f.Add("mid", core::Verdict::kSpam, 0.8);
    f.Add("ham", core::Verdict::kHam, 0.1);  // not flagged: not in the queue
    auto session = ReviewSession::Start(f.moderation, f.actions, DefaultReviewQuery(100), "alice");
    REQUIRE(session.has_value());
    auto& s = **session;
    REQUIRE(s.size() == 3);
    CHECK(s.current().id == "high");
    REQUIRE(s.Judge(Label::kSpam).ok());
    CHECK(s.current().id == "mid");
    s.Skip();
    CHECK(s.current().id == "low");
    REQUIRE(s.Judge(Label::kHam).ok());
    CHECK(s.done());
    CHECK(s.counts().spam == 1);
    CHECK(s.counts().ham == 1);
    CHECK(s.counts().skipped == 1);
    CHECK(f.LabelOf("high") == "spam");
    CHECK(f.LabelOf("low") == "ham");
    // Each verdict is an action of its own, origin review.
    auto recent = f.actions.Recent("alice", 10);
    REQUIRE(recent->size() == 2);
    CHECK((*recent)[0].origin == "review");

    // Undo steps back: the ham verdict is revoked, then the skip, then the spam verdict.
    CHECK(s.Undo().value() == ReviewMark::kHam);
    CHECK(s.current().id == "low");
    CHECK_FALSE(f.LabelOf("low").has_value());
    CHECK(s.Undo().value() == ReviewMark::kSkipped);
    CHECK(s.current().id == "mid");
    CHECK(s.Undo().value() == ReviewMark::kSpam);
    CHECK(s.current().id == "high");
    CHECK_FALSE(f.LabelOf("high").has_value());
    CHECK(s.counts().spam + s.counts().ham + s.counts().skipped == 0);
    CHECK(s.Undo().error().code() == core::StatusCode::kNotFound);
    // Judged again after the undo.
    REQUIRE(s.Judge(Label::kHam).ok());
    CHECK(f.LabelOf("high") == "ham");
  }

  TEST_CASE("an undo after `hamlet undo` already took the verdict back still steps back") {
    Fixture f;
    f.Add("a", core::Verdict::kSpam, 0.9);
    auto session = ReviewSession::Start(f.moderation, f.actions, DefaultReviewQuery(10), "alice");
    REQUIRE(session.has_value());
    REQUIRE((*session)->Judge(Label::kSpam).ok());
    REQUIRE(f.actions.UndoLast("alice", "alice").has_value());
    CHECK((*session)->Undo().value() == ReviewMark::kSpam);
    CHECK((*session)->current().id == "a");
  }

  TEST_CASE("the default queue leaves out judged comments tests and linked rechecks") {
    Fixture f;
    f.Add("judged", core::Verdict::kSpam, 0.9);
    f.Report("judged", "spam");
    f.Add("first", core::Verdict::kSpam, 0.9);
    f.Add("recheck", core::Verdict::kSpam, 0.9, "buy pills", "first");
    auto session = ReviewSession::Start(f.moderation, f.actions, DefaultReviewQuery(10), "alice");
    REQUIRE(session.has_value());
    REQUIRE((*session)->size() == 1);
    CHECK((*session)->current().id == "first");
    CHECK(
        ReviewSession::Start(f.moderation, f.actions, DefaultReviewQuery(10), "").error().code() ==
        core::StatusCode::kInvalidArgument);
  }
}

}  // namespace hamlet::engine
