// SqliteStore's health and statistics: the write-path counters /metrics shows, database
// errors counted by kind, CheckWritable (/readyz) failing while the database refuses writes
// and recovering by itself, and the size cap (SqliteOptions::max_bytes).
//
// The faults are real: another SQLite connection holds the write lock, or the file reaches
// its size cap. A read-only file and a full disk need root and a file system of their own:
// the end-to-end tests (tests/e2e/db_trouble_e2e_test.cc) cover them.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "store/sqlite_store.h"
#include "support/fault_injection.h"
#include "support/sqlite_probe.h"
#include "support/store_health.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

using testing::TempDir;

DecisionRecord MakeDecision(const std::string& id, size_t content_bytes = 10) {
  DecisionRecord r;
  r.id = id;
  r.site_url = "https://blog.example";
  r.created_ms = 1;
  r.channel = "v1";
  r.comment.comment_content = std::string(content_bytes, 'x');
  r.comment.fields = {{"comment_content", r.comment.comment_content}};
  r.match_key = "m" + id;
  return r;
}

// A store that gives up on another's write lock after 50 ms, so the lock tests are quick.
std::unique_ptr<SqliteStore> OpenImpatient(const std::string& path) {
  SqliteOptions options;
  options.busy_timeout_ms = 50;
  return testing::OpenSqliteStoreOrFail(path, options);
}

uint64_t Faults(const StoreStats& s, FaultKind kind) { return s.faults[static_cast<size_t>(kind)]; }

}  // namespace

TEST_SUITE("store/sqlite_store_health") {
  TEST_CASE("Stats count commits and records and time each commit") {
    TempDir dir;
    auto store = testing::OpenSqliteStoreOrFail(dir.File("s.db"));
    const StoreStats before = store->Stats();
    CHECK(before.commits == 0);
    CHECK(before.records_committed == 0);
    CHECK(before.writes_waiting == 0);
    CHECK(before.commit_seconds.count == 0);
    for (int i = 0; i < 5; ++i) {
      std::string id = "d";
      id += std::to_string(i);
      REQUIRE(store->AppendDecision(MakeDecision(id)).ok());
    }
    FeedbackRecord f;
    f.decision_id = "d0";
    f.label = "ham";
    f.source = "cli";
    REQUIRE(store->AppendFeedback(f).has_value());
    // A refused record (duplicate id) is the caller's fault: not a failed write, not a fault.
    CHECK(store->AppendDecision(MakeDecision("d0")).code() == core::StatusCode::kInvalidArgument);

    const StoreStats after = store->Stats();
    CHECK(after.records_committed == 6);
    CHECK(after.commits == store->CommitCountForTesting());
    CHECK(after.commits >= 6);  // one caller at a time: a transaction each (the refused one too)
    CHECK(after.commit_seconds.count == after.commits);
    CHECK(after.commit_seconds.sum > 0);
    CHECK(after.failed_writes == 0);
    CHECK(after.writes_waiting == 0);
    for (uint64_t n : after.faults) CHECK(n == 0);
    CHECK(store->CheckWritable().ok());
  }

  TEST_CASE("a held write lock fails appends as locked until it is released") {
    TempDir dir;
    const std::string path = dir.File("l.db");
    auto store = OpenImpatient(path);
    REQUIRE(store->AppendDecision(MakeDecision("before")).ok());
    {
      testing::HeldWriteLock lock(path);
      REQUIRE(lock.held());
      const core::Status failed = store->AppendDecision(MakeDecision("during"));
      CHECK(failed.code() == core::StatusCode::kUnavailable);
      CHECK(failed.message().find("database is locked") != std::string::npos);
      const core::Status not_writable = store->CheckWritable();
      CHECK(not_writable.code() == core::StatusCode::kUnavailable);
      CHECK(not_writable.message().find("locked") != std::string::npos);
      const StoreStats stats = store->Stats();
      CHECK(stats.failed_writes == 1);
      CHECK(Faults(stats, FaultKind::kLocked) >= 1);
      CHECK(Faults(stats, FaultKind::kFull) == 0);
      CHECK(stats.records_committed == 1);
    }
    // The next write succeeds and makes the store writable again at once.
    REQUIRE(store->AppendDecision(MakeDecision("after")).ok());
    CHECK(store->CheckWritable().ok());
    auto during = store->GetDecision("during");
    REQUIRE(during.has_value());
    CHECK_FALSE(during->has_value());  // nothing of the failed write was stored
    CHECK(testing::QueryIntForTesting(path, "SELECT count(*) FROM decisions") == 2);
  }

  TEST_CASE("CheckWritable recovers by itself once the lock is gone, with no write coming") {
    TempDir dir;
    const std::string path = dir.File("r.db");
    auto store = OpenImpatient(path);
    {
      testing::HeldWriteLock lock(path);
      REQUIRE(lock.held());
      CHECK_FALSE(store->AppendDecision(MakeDecision("x")).ok());
      CHECK_FALSE(store->CheckWritable().ok());
      // Probes find the lock still held: still unwritable, each probe counted as locked.
      std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // past the probe interval
      CHECK_FALSE(store->CheckWritable().ok());
    }
    CHECK(testing::WaitUntilWritable(*store).ok());
    // The probe left no row behind.
    CHECK(testing::QueryIntForTesting(path,
                                      "SELECT count(*) FROM meta WHERE name = 'write_probe'") == 0);
    CHECK(Faults(store->Stats(), FaultKind::kLocked) >= 2);
  }

  TEST_CASE("a size cap fails appends as full and they work again once rows are deleted") {
    TempDir dir;
    const std::string path = dir.File("c.db");
    // The cap: the empty schema's size plus room for a handful of 8 KiB comments.
    testing::OpenSqliteStoreOrFail(path).reset();
    SqliteOptions options;
    options.max_bytes = static_cast<int64_t>(std::filesystem::file_size(path)) + 96 * 1024;
    auto store = testing::OpenSqliteStoreOrFail(path, options);
    int stored = 0;
    core::Status last;
    for (; stored < 100; ++stored) {
      std::string id = "big";
      id += std::to_string(stored);
      last = store->AppendDecision(MakeDecision(id, 8 * 1024));
      if (!last.ok()) break;
    }
    REQUIRE(stored > 0);
    REQUIRE(stored < 100);
    CHECK(last.code() == core::StatusCode::kUnavailable);
    CHECK(last.message().find("database or disk is full") != std::string::npos);
    CHECK(Faults(store->Stats(), FaultKind::kFull) >= 1);
    CHECK(store->CheckWritable().code() == core::StatusCode::kUnavailable);
    CHECK(testing::QueryIntForTesting(path, "SELECT count(*) FROM decisions") == stored);

    // Deleting rows (as a retention run would) frees pages the next append reuses.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "DELETE FROM decisions WHERE id IN ('big0', 'big1', 'big2')", nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    CHECK(store->AppendDecision(MakeDecision("after", 8 * 1024)).ok());
    CHECK(store->CheckWritable().ok());
  }

  TEST_CASE("a store opened read-only is never writable") {
    TempDir dir;
    const std::string path = dir.File("ro.db");
    testing::OpenSqliteStoreOrFail(path).reset();  // create it with its schema
    SqliteOptions options;
    options.read_only = true;
    auto store = testing::OpenSqliteStoreOrFail(path, options);
    const core::Status s = store->CheckWritable();
    CHECK(s.code() == core::StatusCode::kUnavailable);
    CHECK(s.message().find("read-only") != std::string::npos);
  }

  TEST_CASE("Open refuses a negative size cap") {
    SqliteOptions options;
    options.max_bytes = -1;
    auto store = SqliteStore::Open(":memory:", options);
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("FaultKindName names every kind") {
    CHECK(FaultKindName(FaultKind::kLocked) == "locked");
    CHECK(FaultKindName(FaultKind::kReadOnly) == "read_only");
    CHECK(FaultKindName(FaultKind::kFull) == "full");
    CHECK(FaultKindName(FaultKind::kIo) == "io");
    CHECK(FaultKindName(FaultKind::kOther) == "other");
  }
}

}  // namespace hamlet::store
