// Tests for SqliteStore under concurrency and failure: group commit from many threads, a held
// write lock, read-only databases, bad files, and a constraint violation inside a batch; and,
// on both backends, visibility to another store and the destructor's drain of the queue.
//
// Read-only files: the tests run as root, and root ignores file permissions, so chmod 0444
// proves nothing there. The read-only cases use SqliteOptions{.read_only = true} (the file is
// opened with SQLITE_OPEN_READONLY); the chmod case runs only when not root.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite_store.h"
#include "support/sqlite_probe.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

using testing::TempDir;

std::unique_ptr<SqliteStore> OpenOrDie(const std::string& path, const SqliteOptions& options = {}) {
  return hamlet::testing::OpenSqliteStoreOrFail(path, options);
}

DecisionRecord MakeDecision(const std::string& id) {
  DecisionRecord r;
  r.id = id;
  r.site_url = "https://blog.example";
  r.created_ms = 1;
  r.channel = "v1";
  r.comment.comment_content = "hello " + id;
  r.comment.fields = {{"comment_content", r.comment.comment_content}};
  r.match_key = "m" + id;
  return r;
}

// Rows in `table`, counted through a connection of the test's own.
int64_t CountRows(const std::string& path, const std::string& table) {
  return hamlet::testing::QueryIntForTesting(path, "SELECT count(*) FROM " + table);
}

TEST_SUITE("store/sqlite_store") {
  TEST_CASE("group-commits concurrent appends from 8 threads in fewer transactions") {
    TempDir dir;
    const std::string path = dir.File("g.db");
    auto store = OpenOrDie(path);
    constexpr int kThreads = 8;
    constexpr int kPerThread = 200;
    std::vector<std::thread> threads;
    std::vector<int> failures(kThreads, 0);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          std::string id = std::to_string(t) + "-" + std::to_string(i);
          if (!store->AppendDecision(MakeDecision(id)).ok()) ++failures[t];
          if (i % 50 == 0) {
            FeedbackRecord f;
            f.decision_id = id;
            f.label = "spam";
            f.source = "cli";
            if (!store->AppendFeedback(f).has_value()) ++failures[t];
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
    for (int t = 0; t < kThreads; ++t) CHECK(failures[t] == 0);

    DecisionFilter everything;
    everything.limit = kThreads * kPerThread + 10;
    auto all = store->ListDecisions(everything);
    REQUIRE(all.has_value());
    CHECK(all->size() == kThreads * kPerThread);
    CHECK(CountRows(path, "decisions") == kThreads * kPerThread);
    CHECK(CountRows(path, "feedback") == kThreads * (kPerThread / 50));
    const uint64_t commits = store->CommitCountForTesting();
    MESSAGE("transactions for ", kThreads * kPerThread + kThreads * (kPerThread / 50),
            " appends: ", commits);
    CHECK(commits > 0);
    CHECK(commits < kThreads * kPerThread);
  }

  TEST_CASE_TEMPLATE("makes an appended decision visible to another store once it returns", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AppendDecision(MakeDecision("durable")).ok());
    // The store stays open: the row must be committed (SQLite: in the WAL), not held in some
    // buffer or open transaction of ours.
    auto another = store.OpenAnother();
    auto seen = another->GetDecision("durable");
    REQUIRE(seen);
    CHECK(seen->has_value());
  }

  TEST_CASE("returns Unavailable while another connection holds the write lock") {
    TempDir dir;
    const std::string path = dir.File("l.db");
    auto store = OpenOrDie(path, {.busy_timeout_ms = 100});
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);

    auto start = std::chrono::steady_clock::now();
    core::Status locked = store->AppendDecision(MakeDecision("blocked"));
    auto waited = std::chrono::steady_clock::now() - start;
    CHECK(locked.code() == core::StatusCode::kUnavailable);
    CHECK(locked.message().find("database is locked") != std::string::npos);
    CHECK(waited < std::chrono::seconds(2));
    auto key = store->AddKey(KeyRole::kSite, "https://a.example", "h", "x", 1);
    REQUIRE_FALSE(key.has_value());
    CHECK(key.error().code() == core::StatusCode::kUnavailable);
    // Reads still work: WAL readers do not wait for writers.
    CHECK(store->ListDecisions({}).has_value());

    REQUIRE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    CHECK(store->AppendDecision(MakeDecision("blocked")).ok());  // nothing was half-written
    CHECK(CountRows(path, "decisions") == 1);
  }

  TEST_CASE("fails appends with Unavailable on a database opened read-only") {
    TempDir dir;
    const std::string path = dir.File("ro.db");
    {
      auto store = OpenOrDie(path);
      REQUIRE(store->AppendDecision(MakeDecision("before")).ok());
    }
    auto store = OpenOrDie(path, {.read_only = true});
    core::Status s = store->AppendDecision(MakeDecision("after"));
    CHECK(s.code() == core::StatusCode::kUnavailable);
    CHECK(s.message().find("database is read-only") != std::string::npos);
    FeedbackRecord spam;
    spam.label = "spam";
    auto feedback = store->AppendFeedback(spam);
    REQUIRE_FALSE(feedback.has_value());
    CHECK(feedback.error().code() == core::StatusCode::kUnavailable);
    auto key = store->AddKey(KeyRole::kSite, "https://a.example", "h", "x", 1);
    REQUIRE_FALSE(key.has_value());
    CHECK(key.error().code() == core::StatusCode::kUnavailable);
    auto got = store->GetDecision("before");
    REQUIRE(got.has_value());
    CHECK(got->has_value());
    CHECK(store->Ping().ok());
  }

  TEST_CASE("refuses a write-protected file unless asked to open it read-only") {
    if (geteuid() == 0) {
      MESSAGE("skipped: root ignores file permissions");
      return;
    }
    TempDir dir;
    const std::string path = dir.File("p.db");
    { OpenOrDie(path); }
    REQUIRE(chmod(path.c_str(), 0444) == 0);
    auto store = SqliteStore::Open(path);
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code() == core::StatusCode::kUnavailable);
    CHECK(store.error().message().find(path) != std::string::npos);
  }

  TEST_CASE("names the path when a database cannot be opened") {
    auto missing_dir = SqliteStore::Open("/nonexistent-dir/x.db");
    REQUIRE_FALSE(missing_dir.has_value());
    CHECK(missing_dir.error().code() == core::StatusCode::kUnavailable);
    CHECK(missing_dir.error().message().find("/nonexistent-dir/x.db") != std::string::npos);

    TempDir dir;
    auto missing_ro = SqliteStore::Open(dir.File("none.db"), {.read_only = true});
    REQUIRE_FALSE(missing_ro.has_value());
    CHECK(missing_ro.error().message().find("none.db") != std::string::npos);
  }

  TEST_CASE("says clearly that a file is not a hamlet database") {
    TempDir dir;
    SUBCASE("a text file") {
      const std::string path = dir.File("x.db");
      std::ofstream(path) << std::string(4096, 'x');
      auto store = SqliteStore::Open(path);
      REQUIRE_FALSE(store.has_value());
      CHECK(store.error().code() == core::StatusCode::kInvalidArgument);
      CHECK(store.error().message() ==
            "'" + path + "' is not a hamlet database: file is not a database");
    }
    SUBCASE("another program's SQLite database") {
      const std::string path = dir.File("other.db");
      sqlite3* db = nullptr;
      REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
      REQUIRE(sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(db);
      auto store = SqliteStore::Open(path);
      REQUIRE_FALSE(store.has_value());
      CHECK(store.error().code() == core::StatusCode::kInvalidArgument);
      CHECK(store.error().message().find("is not a hamlet database") != std::string::npos);
    }
    SUBCASE("a schema newer than this build") {
      const std::string path = dir.File("new.db");
      { OpenOrDie(path); }
      sqlite3* db = nullptr;
      REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
      REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(db);
      auto store = SqliteStore::Open(path);
      REQUIRE_FALSE(store.has_value());
      CHECK(store.error().code() == core::StatusCode::kInvalidArgument);
      CHECK(store.error().message().find("99") != std::string::npos);
    }
  }

  TEST_CASE("fails only the duplicate records of a batch") {
    TempDir dir;
    const std::string path = dir.File("dup.db");
    auto store = OpenOrDie(path, {.busy_timeout_ms = 20000});
    REQUIRE(store->AppendDecision(MakeDecision("taken")).ok());
    const uint64_t commits_before = store->CommitCountForTesting();

    // Hold the write lock so that the appends below pile up in the queue, then let them go:
    // all but (at most) the first form one batch.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
    const std::vector<std::string> ids = {"a", "taken", "b", "twin", "c", "twin", "d", "taken"};
    std::vector<core::Status> results(ids.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < ids.size(); ++i) {
      threads.emplace_back([&, i] { results[i] = store->AppendDecision(MakeDecision(ids[i])); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    REQUIRE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(other);
    for (std::thread& t : threads) t.join();

    int twins_ok = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      CAPTURE(ids[i]);
      if (ids[i] == "taken") {
        CHECK(results[i].code() == core::StatusCode::kInvalidArgument);
        CHECK(results[i].message().find("taken") != std::string::npos);
      } else if (ids[i] == "twin") {
        // One of the two wins, whichever was queued first.
        if (results[i].ok())
          ++twins_ok;
        else
          CHECK(results[i].code() == core::StatusCode::kInvalidArgument);
      } else {
        CHECK(results[i].ok());
      }
    }
    CHECK(twins_ok == 1);
    CHECK(CountRows(path, "decisions") == 6);  // taken, a, b, c, d, twin
    CHECK(store->CommitCountForTesting() - commits_before <= 2);
  }

  TEST_CASE_TEMPLATE("commits queued appends before the destructor returns", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 25; ++i) {
          CHECK(store->AppendDecision(MakeDecision(std::to_string(t * 100 + i))).ok());
        }
      });
    }
    for (std::thread& t : threads) t.join();
    store.Close();
    auto reopened = store.OpenAnother();
    auto count = reopened->CountMatchingDecisions(DecisionFilter{});
    REQUIRE(count);
    CHECK(*count == 100);
  }
}

}  // namespace
}  // namespace hamlet::store
