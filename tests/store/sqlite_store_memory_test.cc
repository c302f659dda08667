// Tests for the store reads behind the engine's memory, on both backends: the trace columns
// round-trip, decisions page in time order with a keyset cursor, rows without a trace carry
// their comment, feedback comes with its decision or submitted comment, decisions and feedback
// after a position come in commit order from every store (none missed while others write, a
// PostgreSQL row committed after a greater id was read is not passed over), undos come in
// commit order with the label they leave (a version 13 file's undos stay history), and a
// version 4 file gains the columns without losing rows.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store/schema.h"
#include "store/sqlite_store.h"
#include "support/pg_late_feedback.h"
#include "support/sqlite_probe.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

DecisionRecord Decision(const std::string& id, int64_t created_ms, const std::string& site,
                        std::optional<MemoryTrace> memory = std::nullopt) {
  DecisionRecord r;
  r.id = id;
  r.site_url = site;
  r.created_ms = created_ms;
  r.channel = "v1";
  r.comment.comment_content = "content of " + id;
  r.comment.user_ip = "203.0.113.1";
  r.comment.fields = {{"comment_content", "content of " + id}, {"user_ip", "203.0.113.1"}};
  r.decision.verdict = core::Verdict::kSpam;
  r.decision.score = 0.9;
  r.model_version = "m@1";
  r.match_key = "mk-" + id;
  r.memory = std::move(memory);
  return r;
}

// A moderator action of alice labelling `ids` with `label` at `at` (as `hamlet mark-spam`).
ModeratorAction Act(Store& store, const std::string& label, int64_t at,
                    const std::vector<std::string>& ids) {
  ModeratorAction a;
  a.moderator = "alice";
  a.label = label;
  a.origin = "mark";
  a.selection = "ids";
  a.created_ms = at;
  std::vector<FeedbackRecord> rows;
  for (const std::string& id : ids) {
    FeedbackRecord f;
    f.decision_id = id;
    f.label = label;
    f.source = "cli";
    f.moderator = "alice";
    f.created_ms = at;
    rows.push_back(f);
  }
  return store.AppendModeratorAction(a, rows, {}).value();
}

// Decision 'old' of site 's' as a version 4 file holds it (no memory columns), for the
// migration cases.
constexpr const char* kVersion4DecisionSql =
    "INSERT INTO decisions (id, key_id, site_url, created_ms, channel, verdict, uncertain,"
    " score, reasons, model_version, latency_ms, is_test, match_key, blog, user_ip,"
    " user_agent, referrer, permalink, comment_type, comment_author, comment_author_email,"
    " comment_author_url, comment_content, comment_date_gmt, blog_lang, blog_charset,"
    " user_role, recheck_reason, honeypot_value, fields) VALUES ('old', NULL, 's', 10, 'v1',"
    " 'ham', 0, 0.1, '[]', 'm', 1, 0, 'mk', '', '203.0.113.5', '', '', '', '', '', '', '',"
    " 'hello there', '', '', '', '', '', '',"
    " '[[\"comment_content\",\"hello there\"],[\"user_ip\",\"203.0.113.5\"]]');";

std::vector<std::string> Ids(const std::vector<MemoryDecision>& page) {
  std::vector<std::string> out;
  for (const auto& d : page) out.push_back(d.id);
  return out;
}

}  // namespace

TEST_SUITE("store/memory") {
  TEST_CASE_TEMPLATE("the memory trace round-trips through a decision, and none reads as none",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    const MemoryTrace trace{"spam", -42, "ip:0123456789abcdef wd:9"};
    REQUIRE(store->AppendDecision(Decision("traced", 10, "s", trace)).ok());
    REQUIRE(store->AppendDecision(Decision("nothing", 11, "s", MemoryTrace{"", std::nullopt, ""}))
                .ok());
    REQUIRE(store->AppendDecision(Decision("untraced", 12, "s")).ok());
    auto traced = store->GetDecision("traced").value();
    REQUIRE(traced->memory.has_value());
    CHECK(traced->memory->lesson == "spam");
    CHECK(traced->memory->fingerprint == std::optional<int64_t>(-42));
    CHECK(traced->memory->traits == trace.traits);
    auto nothing = store->GetDecision("nothing").value();
    REQUIRE(nothing->memory.has_value());
    CHECK(nothing->memory->lesson.empty());
    CHECK_FALSE(nothing->memory->fingerprint.has_value());
    CHECK_FALSE(store->GetDecision("untraced").value()->memory.has_value());

    DecisionRecord bad = Decision("bad", 13, "s", MemoryTrace{"maybe", std::nullopt, ""});
    CHECK(store->AppendDecision(bad).code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("decisions page oldest first from the cursor, within the time window", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    // Three in one millisecond: the id breaks the tie.
    for (const auto& [id, t] : std::vector<std::pair<std::string, int64_t>>{
             {"e", 50}, {"b", 20}, {"d", 20}, {"a", 20}, {"old", 5}, {"c", 30}}) {
      REQUIRE(store->AppendDecision(Decision(id, t, "s", MemoryTrace{"", 1, "wd:1"})).ok());
    }
    std::vector<std::string> seen;
    MemoryCursor cursor;
    for (;;) {
      auto page = store->ListMemoryDecisions(10, cursor, 2);
      REQUIRE(page);
      for (const auto& id : Ids(*page)) seen.push_back(id);
      if (page->size() < 2) break;
      cursor = {page->back().created_ms, page->back().id};
    }
    CHECK(seen == std::vector<std::string>{"a", "b", "d", "c", "e"});
    CHECK(store->ListMemoryDecisions(0, {}, -1).error().code() ==
          core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("a decision without a trace comes with its comment and its flags", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    DecisionRecord legacy = Decision("legacy", 10, "https://blog.example/");
    legacy.decision.uncertain = true;
    legacy.comment.is_test = true;
    legacy.comment.recheck_reason = "edit";
    REQUIRE(store->AppendDecision(legacy).ok());
    REQUIRE(store->AppendDecision(Decision("traced", 11, "s", MemoryTrace{"ham", 7, "wd:3"})).ok());
    auto page = store->ListMemoryDecisions(0, {}, 10).value();
    REQUIRE(page.size() == 2);
    const MemoryDecision& d = page[0];
    CHECK(d.site_url == "https://blog.example/");
    CHECK(d.verdict == core::Verdict::kSpam);
    CHECK(d.uncertain);
    CHECK(d.is_test);
    CHECK(d.recheck);
    CHECK_FALSE(d.memory.has_value());
    REQUIRE(d.comment.has_value());
    CHECK(d.comment->comment_content == "content of legacy");
    CHECK(d.comment->user_ip == "203.0.113.1");
    CHECK(page[1].memory->lesson == "ham");
    CHECK_FALSE(page[1].comment.has_value());  // its fields are not read
  }

  TEST_CASE_TEMPLATE("feedback comes in commit order with its decision or its submitted comment",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto key = store->AddKey(KeyRole::kSite, "https://keyed.example/", "h", "ab", 1).value();
    REQUIRE(store
                ->AppendDecision(Decision("d1", 100, "https://d.example/",
                                          MemoryTrace{"spam", 3, "ip:0000000000000001"}))
                .ok());
    FeedbackRecord on_decision;
    on_decision.decision_id = "d1";
    on_decision.label = "ham";
    on_decision.source = "cli";
    on_decision.created_ms = 200;
    FeedbackRecord loose;
    loose.key_id = key.id;
    loose.label = "spam";
    loose.source = "akismet";
    loose.created_ms = 300;
    loose.is_test = true;
    loose.fields = {{"comment_content", "reported"}, {"user_ip", "198.51.100.9"}};
    FeedbackRecord old = on_decision;
    old.created_ms = 50;
    const int64_t first = store->AppendFeedback(on_decision).value();
    const int64_t second = store->AppendFeedback(loose).value();
    store->AppendFeedback(old).value();

    auto all = store->ListMemoryFeedback({}, 0, 10).value();
    REQUIRE(all.size() == 3);
    CHECK(all[0].feedback_id == first);
    CHECK(all[0].label == "ham");
    CHECK(all[0].site_url == "https://d.example/");
    REQUIRE(all[0].decision.has_value());
    CHECK(all[0].decision->id == "d1");
    CHECK(all[0].decision->created_ms == 100);
    CHECK(all[0].decision->memory->traits == "ip:0000000000000001");
    CHECK_FALSE(all[0].comment.has_value());
    CHECK(all[1].feedback_id == second);
    CHECK(all[1].is_test);
    CHECK(all[1].site_url == "https://keyed.example/");
    CHECK_FALSE(all[1].decision.has_value());
    REQUIRE(all[1].comment.has_value());
    CHECK(all[1].comment->user_ip == "198.51.100.9");

    CHECK(all[0].position > FeedbackPosition{});
    CHECK(all[1].position > all[0].position);
    CHECK(all[2].position > all[1].position);

    auto after = store->ListMemoryFeedback(all[0].position, 0, 10).value();
    REQUIRE(after.size() == 2);
    CHECK(after[0].feedback_id == second);
    auto recent = store->ListMemoryFeedback({}, 150, 10).value();  // the old row is left out
    CHECK(recent.size() == 2);
    CHECK(store->ListMemoryFeedback({}, 0, 1).value().size() == 1);
    // Another store's later commit comes after every position read so far.
    std::unique_ptr<Store> other = store.OpenAnother();
    const int64_t fourth = other->AppendFeedback(on_decision).value();
    auto later = store->ListMemoryFeedback(all[2].position, 0, 10).value();
    REQUIRE(later.size() == 1);
    CHECK(later[0].feedback_id == fourth);
    CHECK(store->ListMemoryFeedback({}, 0, -1).error().code() ==
          core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("undos come in commit order with the revoked row and the label left",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    const MemoryTrace trace{"spam", 3, "ip:0000000000000001"};
    REQUIRE(store->AppendDecision(Decision("d1", 100, "https://d.example/", trace)).ok());
    REQUIRE(store->AppendDecision(Decision("d2", 110, "https://d.example/", trace)).ok());
    FeedbackRecord site_label;
    site_label.decision_id = "d1";
    site_label.label = "ham";
    site_label.source = "akismet";
    site_label.created_ms = 200;
    const int64_t site_row = store->AppendFeedback(site_label).value();
    const ModeratorAction spam = Act(*store, "spam", 300, {"d1", "d2"});
    CHECK(store->ListMemoryRevocations({}, 0, 10).value().empty());  // nothing undone yet

    REQUIRE(store->UndoModeratorAction(spam.id, "bob", 400, {}));
    auto undone = store->ListMemoryRevocations({}, 0, 10).value();
    REQUIRE(undone.size() == 2);
    CHECK(undone[0].decision.id == "d1");
    CHECK(undone[0].label == "spam");
    CHECK(undone[0].feedback_id > site_row);
    CHECK(undone[0].created_ms == 300);
    CHECK(undone[0].decision.memory->traits == "ip:0000000000000001");
    // d1 has the site's label again; d2 none.
    CHECK(undone[0].restored_feedback_id == site_row);
    CHECK(undone[0].restored_label == "ham");
    CHECK(undone[1].decision.id == "d2");
    CHECK_FALSE(undone[1].restored_feedback_id.has_value());
    CHECK(undone[0].position > RevocationPosition{});
    CHECK(undone[1].position > undone[0].position);
    CHECK(store->ListMemoryRevocations(undone[0].position, 0, 10).value().size() == 1);
    CHECK(store->ListMemoryRevocations({}, 0, 1).value().size() == 1);
    CHECK(store->ListMemoryRevocations({}, 350, 10).value().empty());  // rows written at 300

    // A later undo, by another store, comes after every position read so far.
    const ModeratorAction ham = Act(*store, "ham", 500, {"d2"});
    std::unique_ptr<Store> other = store.OpenAnother();
    REQUIRE(other->UndoModeratorAction(ham.id, "bob", 600, {}));
    auto later = store->ListMemoryRevocations(undone[1].position, 0, 10).value();
    REQUIRE(later.size() == 1);
    CHECK(later[0].decision.id == "d2");
    CHECK(later[0].label == "ham");
    CHECK_FALSE(later[0].restored_feedback_id.has_value());
    CHECK(store->ListMemoryRevocations({}, 0, -1).error().code() ==
          core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("an undo after retention deleted the latest undone rows still comes later",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(Decision("old", 100, "https://d.example/")).ok());
    REQUIRE(store->AppendDecision(Decision("new", 1000, "https://d.example/")).ok());
    REQUIRE(store->AppendDecision(Decision("newest", 1001, "https://d.example/")).ok());
    // The row on "new" has a smaller id than the row on "old", which is undone first.
    const ModeratorAction on_new = Act(*store, "spam", 1100, {"new"});
    const ModeratorAction on_old = Act(*store, "spam", 1200, {"old"});
    REQUIRE(store->UndoModeratorAction(on_old.id, "bob", 1300, {}));
    auto first = store->ListMemoryRevocations({}, 0, 10).value();
    REQUIRE(first.size() == 1);
    FeedbackRecord later;
    later.decision_id = "newest";
    later.label = "ham";
    later.source = "akismet";
    later.created_ms = 1400;
    REQUIRE(store->AppendFeedback(later));
    // Retention deletes "old" with its undone row, which held the greatest stamp.
    auto deleted = store->DeleteOldDecisions(500, 100);
    REQUIRE(deleted);
    REQUIRE(deleted->decisions == 1);
    REQUIRE(store->UndoModeratorAction(on_new.id, "bob", 1500, {}));
    auto next = store->ListMemoryRevocations(first[0].position, 0, 10).value();
    REQUIRE(next.size() == 1);
    CHECK(next[0].decision.id == "new");
  }

  TEST_CASE("feedback committed after a greater id was read still comes after that position") {
    HAMLET_OPEN_TEST_STORE(store, testing::PostgresBackend);
    REQUIRE(store->AppendDecision(Decision("d1", 100, "s", MemoryTrace{"spam", 3, "wd:1"})).ok());
    FeedbackRecord late;
    late.decision_id = "d1";
    late.label = "ham";
    late.source = "cli";
    late.created_ms = 200;
    // Two nodes: `store` reads, `writer` stores the late row.
    std::unique_ptr<Store> writer = store.OpenAnother();
    FeedbackPosition read_to;
    const testing::LateFeedback ids =
        testing::CommitFeedbackLate(store.location(), *writer, late, [&] {
          auto read = store->ListMemoryFeedback({}, 0, 10);
          REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error().ToString()));
          auto page = std::move(read).value();
          REQUIRE(page.size() == 1);  // the greater id only: the smaller is not committed
          read_to = page[0].position;
        });
    auto page = store->ListMemoryFeedback(read_to, 0, 10).value();
    REQUIRE(page.size() == 1);
    CHECK(page[0].feedback_id == ids.late_id);
    CHECK(page[0].feedback_id < ids.earlier_id);
    CHECK(page[0].label == "ham");
    REQUIRE(page[0].decision.has_value());
    CHECK(page[0].decision->id == "d1");
  }

  TEST_CASE("a version 4 database gains the memory columns and keeps its decisions") {
    testing::TempDir dir;
    const std::string path = dir.File("v4.db");
    testing::CreateDatabaseAtVersionForTesting(path, 4, kVersion4DecisionSql);
    auto store = testing::OpenSqliteStoreOrFail(path);
    CHECK(testing::QueryIntForTesting(path, "PRAGMA user_version") == schema::LatestVersion());
    auto old = store->GetDecision("old").value();
    REQUIRE(old.has_value());
    CHECK_FALSE(old->memory.has_value());
    auto page = store->ListMemoryDecisions(0, {}, 10).value();
    REQUIRE(page.size() == 1);
    REQUIRE(page[0].comment.has_value());
    CHECK(page[0].comment->comment_content == "hello there");
  }
  TEST_CASE("a version 13 database keeps its undos out of the streams and stamps new ones") {
    testing::TempDir dir;
    const std::string path = dir.File("v13.db");
    testing::CreateDatabaseAtVersionForTesting(
        path, 13,
        std::string(kVersion4DecisionSql) +
        "INSERT INTO moderator_actions (id, moderator, label, origin, selection, created_ms,"
        " item_count, undone_ms, undone_by) VALUES (1, 'alice', 'spam', 'mark', 'old', 20, 1, 30,"
        " 'bob'), (2, 'alice', 'ham', 'mark', 'old', 40, 1, NULL, NULL);"
        "INSERT INTO feedback (id, decision_id, key_id, label, source, moderator, created_ms,"
        " is_test, fields, action_id, revoked_ms) VALUES (1, 'old', NULL, 'spam', 'cli', 'alice',"
        " 20, 0, '[]', 1, 30), (2, 'old', NULL, 'ham', 'cli', 'alice', 40, 0, '[]', 2, NULL);");
    auto store = testing::OpenSqliteStoreOrFail(path);
    CHECK(testing::QueryIntForTesting(path, "PRAGMA user_version") == schema::LatestVersion());
    // The undo made before the upgrade is history: in no stream.
    CHECK(store->ListMemoryRevocations({}, 0, 10).value().empty());
    auto feed = store->ListDecisionChanges("s", "", 10).value();
    REQUIRE(feed.changes.size() == 1);  // the decision, once, with its label in force
    CHECK(feed.changes[0].latest_feedback->label == "ham");
    // A cursor of the old form reads on; an undo after the upgrade is a change.
    const std::string old_cursor = "1.2";
    REQUIRE(store->UndoModeratorAction(2, "bob", 50, {}));
    auto undone = store->ListMemoryRevocations({}, 0, 10).value();
    REQUIRE(undone.size() == 1);
    CHECK(undone[0].feedback_id == 2);
    CHECK(undone[0].position.stamp == 1);
    CHECK_FALSE(undone[0].restored_feedback_id.has_value());
    auto later = store->ListDecisionChanges("s", old_cursor, 10).value();
    REQUIRE(later.changes.size() == 1);
    CHECK_FALSE(later.changes[0].latest_feedback.has_value());
  }

  TEST_CASE_TEMPLATE("decisions after a position come in commit order from every store", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    CHECK(store->LastDecisionPosition().value() == DecisionPosition{});
    CHECK(store->ListMemoryDecisionsAfter({}, 10).value().empty());
    REQUIRE(store->AppendDecision(Decision("first", 50, "s", MemoryTrace{"spam", 1, "wd:1"})).ok());
    REQUIRE(store->AppendDecision(Decision("second", 60, "s")).ok());
    const DecisionPosition head = store->LastDecisionPosition().value();
    // Another node commits later a decision judged earlier (its clock, its queue).
    std::unique_ptr<Store> other = store.OpenAnother();
    REQUIRE(other->AppendDecision(Decision("late", 10, "t", MemoryTrace{"ham", 2, "wd:2"})).ok());

    auto after = store->ListMemoryDecisionsAfter(head, 10).value();
    REQUIRE(Ids(after) == std::vector<std::string>{"late"});
    CHECK(after[0].site_url == "t");
    CHECK(after[0].created_ms == 10);
    REQUIRE(after[0].memory.has_value());
    CHECK(after[0].memory->lesson == "ham");
    CHECK(after[0].position > head);
    CHECK(store->LastDecisionPosition().value() == after[0].position);
    CHECK(other->ListMemoryDecisionsAfter(after[0].position, 10).value().empty());

    // Paging one at a time from the start: commit order, each once, positions growing, and the
    // same positions the time-ordered read gives.
    std::vector<std::string> seen;
    DecisionPosition at;
    for (;;) {
      auto page = other->ListMemoryDecisionsAfter(at, 1).value();
      if (page.empty()) break;
      REQUIRE(page.size() == 1);
      CHECK(page[0].position > at);
      at = page[0].position;
      seen.push_back(page[0].id);
    }
    CHECK(seen == std::vector<std::string>{"first", "second", "late"});
    auto by_time = store->ListMemoryDecisions(0, {}, 10).value();
    REQUIRE(Ids(by_time) == std::vector<std::string>{"late", "first", "second"});
    CHECK(by_time[0].position == after[0].position);
    CHECK(by_time[2].position == head);
    CHECK(store->ListMemoryDecisionsAfter({}, -1).error().code() ==
          core::StatusCode::kInvalidArgument);
  }

  TEST_CASE_TEMPLATE("a reader paging after positions while two stores write misses none", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    constexpr int kPerWriter = 150;
    std::vector<std::unique_ptr<Store>> writers;
    writers.push_back(store.OpenAnother());
    writers.push_back(store.OpenAnother());
    std::atomic<int> running{2};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < 2; ++w) {
      threads.emplace_back([&, w] {
        for (int i = 0; i < kPerWriter; ++i) {
          // Times run backwards: only the commit order can be the cursor.
          // Built piecewise: GCC 12 warns (-Wrestrict, a false positive) on "w" + to_string.
          std::string id = std::to_string(w);
          id.append(1, '-').append(std::to_string(i));
          if (!writers[w]->AppendDecision(Decision(id, 100'000 - i, "s")).ok()) ++failed;
        }
        --running;
      });
    }
    std::map<std::string, int> seen;
    DecisionPosition at;
    auto read = [&] {
      auto page = store->ListMemoryDecisionsAfter(at, 7);
      REQUIRE(page);
      for (const MemoryDecision& d : *page) {
        CHECK(d.position > at);
        at = d.position;
        ++seen[d.id];
      }
      return page->size();
    };
    while (running > 0) {
      read();
      std::this_thread::yield();
    }
    for (auto& t : threads) t.join();
    REQUIRE(failed == 0);
    while (read() > 0) {
    }
    CHECK(seen.size() == 2 * kPerWriter);
    for (const auto& [id, times] : seen) CHECK_MESSAGE(times == 1, id);
  }
}

}  // namespace hamlet::store
