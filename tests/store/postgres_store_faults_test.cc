// PostgresStore's faults, the counterparts of the SQLite durability and health cases: another
// session holding the change clock fails writes as locked after the lock timeout (counted, nothing
// half-written, writable again once it lets go, CheckWritable following by itself), and a
// database that is read-only by default (as a standby is) fails writes as read-only. Stats()
// counts each fault under its kind. Each case uses a private database of the test process's
// cluster (support/pg_cluster.h) and skips when PostgreSQL is not installed. A full disk (a
// tablespace on a small file system) needs root and a mount: not covered here.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "store/postgres_store.h"
#include "store/postgres_store_internal.h"
#include "support/pg_cluster.h"
#include "support/pg_query.h"
#include "support/skip.h"
#include "support/store_health.h"

namespace hamlet::store {
namespace {

using testing::PgCluster;

DecisionRecord MakeDecision(const std::string& id) {
  DecisionRecord r;
  r.id = id;
  r.site_url = "https://blog.example/";
  r.created_ms = 1;
  r.channel = "v1";
  r.comment.comment_content = "a comment";
  r.comment.fields = {{"comment_content", r.comment.comment_content}};
  r.match_key = "m" + id;
  return r;
}

FeedbackRecord MakeFeedback(const std::string& decision_id) {
  FeedbackRecord f;
  f.decision_id = decision_id;
  f.label = "ham";
  f.source = "cli";
  f.created_ms = 2;
  return f;
}

std::unique_ptr<PostgresStore> OpenOrFail(const std::string& url,
                                          const PostgresOptions& options = {}) {
  auto store = PostgresStore::Open(url, options);
  REQUIRE_MESSAGE(store.has_value(), (store ? "" : store.error().ToString()));
  return std::move(store).value();
}

// A session of the test's own: another node, or an operator at psql.
std::unique_ptr<internal::PgConnection> Session(const std::string& url) {
  auto conn = internal::PgConnection::Open(url, nullptr);
  REQUIRE_MESSAGE(conn.has_value(), (conn ? "" : conn.error().ToString()));
  return std::move(conn).value();
}

void ExecOrFail(internal::PgConnection& conn, const std::string& sql) {
  core::Status s = conn.Exec(sql);
  REQUIRE_MESSAGE(s.ok(), s.ToString());
}

int64_t Count(const std::string& url, const std::string& table) {
  return std::stoll(testing::PgQuery(url, "SELECT count(*) FROM " + table).at(0).at(0));
}

uint64_t Faults(const StoreStats& s, FaultKind kind) { return s.faults[static_cast<size_t>(kind)]; }

// Every kind but `kind` counted nothing.
void CheckOnlyFaultsOf(const StoreStats& s, FaultKind kind) {
  for (size_t k = 0; k < kFaultKindCount; ++k) {
    if (k == static_cast<size_t>(kind)) continue;
    CHECK_MESSAGE(s.faults[k] == 0, FaultKindName(static_cast<FaultKind>(k)));
  }
}

#define HAMLET_REQUIRE_CLUSTER(cluster)     \
  PgCluster& cluster = PgCluster::Shared(); \
  if (!cluster.ok()) HAMLET_SKIP(::hamlet::testing::PgUnavailableMessage(cluster))

}  // namespace

TEST_SUITE("store/postgres_store_faults") {
  TEST_CASE("a held change clock fails appends as locked until it is released") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    const std::string url = cluster.CreateDatabase();
    PostgresOptions options;
    options.lock_timeout_ms = 100;  // quick to give up, so the case is quick
    auto store = OpenOrFail(url, options);
    REQUIRE(store->AppendDecision(MakeDecision("before")).ok());
    // A refused record (duplicate id) is the caller's fault: not a failed write, not a fault.
    CHECK(store->AppendDecision(MakeDecision("before")).code() ==
          core::StatusCode::kInvalidArgument);
    CHECK(store->Stats().failed_writes == 0);
    {
      // An operator's LOCK TABLE (or a stuck transaction of another node holding the clock).
      auto other = Session(url);
      ExecOrFail(*other, "BEGIN; LOCK TABLE change_clock IN ACCESS EXCLUSIVE MODE");
      const core::Status decision = store->AppendDecision(MakeDecision("during"));
      CHECK(decision.code() == core::StatusCode::kUnavailable);
      CHECK(decision.message().find("database is locked") != std::string::npos);
      auto feedback = store->AppendFeedback(MakeFeedback("before"));
      REQUIRE_FALSE(feedback.has_value());
      CHECK(feedback.error().code() == core::StatusCode::kUnavailable);
      const core::Status not_writable = store->CheckWritable();
      CHECK(not_writable.code() == core::StatusCode::kUnavailable);
      CHECK(not_writable.message().find("locked") != std::string::npos);
      // Reads go on: they take no lock the LOCK TABLE of another table conflicts with.
      auto before = store->GetDecision("before");
      REQUIRE(before.has_value());
      CHECK(before->has_value());
      const StoreStats stats = store->Stats();
      CHECK(stats.failed_writes == 2);
      CHECK(stats.records_committed == 1);
      CHECK(stats.writes_waiting == 0);
      CHECK(Faults(stats, FaultKind::kLocked) >= 2);
      CheckOnlyFaultsOf(stats, FaultKind::kLocked);
      ExecOrFail(*other, "ROLLBACK");
    }
    // Nothing of the failed writes was stored; the next ones succeed and the store is
    // writable again at once.
    auto during = store->GetDecision("during");
    REQUIRE(during.has_value());
    CHECK_FALSE(during->has_value());
    CHECK(Count(url, "feedback") == 0);
    REQUIRE(store->AppendDecision(MakeDecision("after")).ok());
    REQUIRE(store->AppendFeedback(MakeFeedback("after")).has_value());
    CHECK(store->CheckWritable().ok());
    CHECK(Count(url, "decisions") == 2);
    CHECK(Count(url, "feedback") == 1);
    CHECK(store->Stats().records_committed == 3);
  }

  TEST_CASE("CheckWritable sees another session holding the change clock and recovers by itself") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    const std::string url = cluster.CreateDatabase();
    auto store = OpenOrFail(url);
    CHECK(store->CheckWritable().ok());
    {
      // Another node's write transaction that does not end.
      auto other = Session(url);
      ExecOrFail(*other, "BEGIN; SELECT value FROM change_clock FOR UPDATE");
      std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // past the probe interval
      const core::Status first = store->CheckWritable();
      CHECK(first.code() == core::StatusCode::kUnavailable);
      CHECK(first.message().find("locked") != std::string::npos);
      std::this_thread::sleep_for(std::chrono::milliseconds(1100));
      CHECK_FALSE(store->CheckWritable().ok());  // probed again: still held
      ExecOrFail(*other, "ROLLBACK");
    }
    CHECK(testing::WaitUntilWritable(*store).ok());
    // The probes left no row behind.
    CHECK(
        testing::PgQuery(url, "SELECT count(*) FROM meta WHERE name = 'write_probe'").at(0).at(0) ==
        "0");
    const StoreStats stats = store->Stats();
    CHECK(Faults(stats, FaultKind::kLocked) >= 2);
    CheckOnlyFaultsOf(stats, FaultKind::kLocked);
  }

  TEST_CASE("a read-only database fails writes as read-only and stores nothing") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    const std::string url = cluster.CreateDatabase();
    const std::string name = testing::PgQuery(url, "SELECT current_database()").at(0).at(0);
    REQUIRE(OpenOrFail(url)->AppendDecision(MakeDecision("before")).ok());
    // What a hot standby answers; new sessions (a node starting, a fresh pool) get it. Run
    // from the cluster's `postgres` database: a read-only session could not undo it.
    const std::string admin = cluster.Url("postgres");
    testing::PgQuery(admin,
                     "ALTER DATABASE \"" + name + "\" SET default_transaction_read_only = on");
    {
      // Opening works: the schema is current, so the migration step only reads.
      auto store = OpenOrFail(url);
      const core::Status decision = store->AppendDecision(MakeDecision("during"));
      CHECK(decision.code() == core::StatusCode::kUnavailable);
      CHECK(decision.message().find("read-only") != std::string::npos);
      auto feedback = store->AppendFeedback(MakeFeedback("before"));
      REQUIRE_FALSE(feedback.has_value());
      CHECK(feedback.error().code() == core::StatusCode::kUnavailable);
      auto meta = store->PutMetaIfAbsent("while_read_only", "x");
      REQUIRE_FALSE(meta.has_value());
      CHECK(meta.error().code() == core::StatusCode::kUnavailable);
      const core::Status not_writable = store->CheckWritable();
      CHECK(not_writable.code() == core::StatusCode::kUnavailable);
      CHECK(not_writable.message().find("read-only") != std::string::npos);
      // Reads still work.
      auto before = store->GetDecision("before");
      REQUIRE(before.has_value());
      CHECK(before->has_value());
      CHECK(store->Ping().ok());
      const StoreStats stats = store->Stats();
      CHECK(stats.failed_writes == 2);
      CHECK(stats.records_committed == 0);
      CHECK(Faults(stats, FaultKind::kReadOnly) >= 4);  // two appends, the setting, the probe
      CheckOnlyFaultsOf(stats, FaultKind::kReadOnly);
    }
    testing::PgQuery(admin, "ALTER DATABASE \"" + name + "\" RESET default_transaction_read_only");
    auto store = OpenOrFail(url);
    CHECK(store->CheckWritable().ok());
    REQUIRE(store->AppendDecision(MakeDecision("after")).ok());
    CHECK(Count(url, "decisions") == 2);  // before and after
    CHECK(Count(url, "feedback") == 0);
    CHECK(testing::PgQuery(url, "SELECT count(*) FROM meta WHERE name = 'while_read_only'")
              .at(0)
              .at(0) == "0");
  }

  TEST_CASE("Open refuses a negative lock timeout") {
    PostgresOptions options;
    options.lock_timeout_ms = -1;
    auto store = PostgresStore::Open("postgresql:///nowhere", options);
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(store.error().message().find("lock_timeout_ms") != std::string::npos);
  }
}

}  // namespace hamlet::store
