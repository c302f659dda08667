// What only the PostgreSQL backend has: URLs, a database that is not hamlet's, migrations by
// nodes starting together, text PostgreSQL cannot hold, group commit with a refused record in a
// batch, and a server that goes away and comes back. Each case runs on the test process's
// throw-away cluster (support/pg_cluster.h) and skips when PostgreSQL is not installed.
#include "store/postgres_store.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres_store_internal.h"
#include "store/schema.h"
#include "support/pg_cluster.h"
#include "support/skip.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

using testing::PgCluster;

#define HAMLET_REQUIRE_CLUSTER(cluster)     \
  PgCluster& cluster = PgCluster::Shared(); \
  if (!cluster.ok()) HAMLET_SKIP(::hamlet::testing::PgUnavailableMessage(cluster))

std::unique_ptr<PostgresStore> OpenOrFail(const std::string& url,
                                          const PostgresOptions& options = {}) {
  auto store = PostgresStore::Open(url, options);
  REQUIRE_MESSAGE(store.has_value(), (store ? "" : store.error().ToString()));
  return std::move(store).value();
}

DecisionRecord Decision(const std::string& id, int64_t key_id = 0) {
  DecisionRecord r;
  r.id = id;
  r.key_id = key_id;
  r.site_url = "https://blog.example/";
  r.created_ms = 1000;
  r.channel = "v1";
  r.comment.comment_content = "a comment";
  r.decision.score = 0.25;
  r.model_version = std::string("test-model");
  r.match_key = std::string("k").append(id);
  return r;
}

// Runs constant SQL on `url` through a connection of the test's own.
void ExecOrFail(const std::string& url, const std::string& sql) {
  auto conn = internal::PgConnection::Open(url, nullptr);
  REQUIRE_MESSAGE(conn.has_value(), (conn ? "" : conn.error().ToString()));
  core::Status s = (*conn)->Exec(sql);
  REQUIRE_MESSAGE(s.ok(), s.ToString());
}

int64_t QueryInt(const std::string& url, const std::string& sql) {
  auto conn = internal::PgConnection::Open(url, nullptr);
  REQUIRE(conn.has_value());
  auto r = (*conn)->Query(sql);
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().ToString()));
  REQUIRE(r->rows() == 1);
  return r->row(0).ColumnInt(0);
}

TEST_SUITE("store/postgres_store") {
  TEST_CASE("refuses a URL that is not postgresql:// and options out of range") {
    auto file = PostgresStore::Open("/tmp/hamlet.db");
    REQUIRE_FALSE(file);
    CHECK(file.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(file.error().message().find("not a PostgreSQL URL") != std::string::npos);
    PostgresOptions one_connection;
    one_connection.max_connections = 1;
    CHECK(PostgresStore::Open("postgresql:///x", one_connection).error().code() ==
          core::StatusCode::kInvalidArgument);
    CHECK(IsPostgresUrl("postgres://u@h/db"));
    CHECK_FALSE(IsPostgresUrl("hamlet.db"));
  }

  TEST_CASE("names an unreachable server without its password") {
    testing::TempDir nowhere;
    auto store = PostgresStore::Open("postgresql://hamlet:secret@/db?host=" + nowhere.path());
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == core::StatusCode::kUnavailable);
    CHECK(store.error().message().find("secret") == std::string::npos);
    CHECK(store.error().message().find("hamlet@") != std::string::npos);
    auto in_query =
        PostgresStore::Open("postgresql:///db?host=" + nowhere.path() + "&password=secret");
    REQUIRE_FALSE(in_query);
    CHECK(in_query.error().message().find("secret") == std::string::npos);
    CHECK(in_query.error().message().find("password=***") != std::string::npos);
  }

  TEST_CASE("creates the schema once and refuses a database of another program") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    const std::string url = cluster.CreateDatabase();
    { OpenOrFail(url); }
    CHECK(QueryInt(url, "SELECT version FROM schema_version") == schema::LatestVersion());
    { OpenOrFail(url); }  // nothing left to migrate
    CHECK(QueryInt(url, "SELECT version FROM schema_version") == schema::LatestVersion());

    const std::string other = cluster.CreateDatabase();
    ExecOrFail(other, "CREATE TABLE invoices (id INTEGER)");
    auto refused = PostgresStore::Open(other);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(refused.error().message().find("not a hamlet database") != std::string::npos);
  }

  TEST_CASE("refuses a schema newer than this build") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    const std::string url = cluster.CreateDatabase();
    { OpenOrFail(url); }
    ExecOrFail(url, "UPDATE schema_version SET version = version + 1");
    auto newer = PostgresStore::Open(url);
    REQUIRE_FALSE(newer);
    CHECK(newer.error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("nodes opening a new database at once take turns migrating") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    const std::string url = cluster.CreateDatabase();
    constexpr int kNodes = 4;
    std::vector<std::string> errors(kNodes);
    std::vector<std::thread> nodes;
    for (int i = 0; i < kNodes; ++i) {
      nodes.emplace_back([&, i] {
        auto store = PostgresStore::Open(url);
        if (!store) errors[i] = store.error().ToString();
      });
    }
    for (std::thread& t : nodes) t.join();
    for (const std::string& e : errors) CHECK(e.empty());
    CHECK(QueryInt(url, "SELECT version FROM schema_version") == schema::LatestVersion());
  }

  TEST_CASE("text escapes round-trip any bytes and leave valid UTF-8 as it is") {
    const std::string plain = "Zoë \"quotes\" ✓ 日本";
    CHECK(internal::PgEscapeText(plain) == plain);
    std::string all_bytes;
    for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
    const std::string escaped = internal::PgEscapeText(all_bytes);
    CHECK(escaped.find('\0') == std::string::npos);
    CHECK(internal::PgUnescapeText(escaped) == all_bytes);
    const std::string overlong = "\xC0\xAF";  // an overlong '/', not valid UTF-8
    CHECK(internal::PgEscapeText(overlong) != overlong);
    CHECK(internal::PgUnescapeText(internal::PgEscapeText(overlong)) == overlong);
  }

  TEST_CASE("stores comments with NUL bytes and invalid UTF-8 and finds them by their bytes") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    auto store = OpenOrFail(cluster.CreateDatabase());
    DecisionRecord d = Decision("bytes");
    d.comment.comment_author = std::string("nul\0in\x01the\xFFname", 15);
    d.match_key = std::string("\xFE\x00", 2);
    REQUIRE(store->AppendDecision(d).ok());
    auto got = store->GetDecision("bytes");
    REQUIRE(got);
    REQUIRE(got->has_value());
    CHECK((*got)->comment.comment_author == d.comment.comment_author);
    auto found = store->FindDecisionByMatchKey(0, d.match_key);
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->id == "bytes");
  }

  TEST_CASE("group commit writes a batch in one transaction and fails a refused record alone") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    auto store = OpenOrFail(cluster.CreateDatabase());
    constexpr int kThreads = 8;
    constexpr int kPerThread = 60;
    std::vector<int> failures(kThreads, 0);
    std::vector<int> refused(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          // Every tenth record names a key that does not exist: refused on its own.
          const bool bad = i % 10 == 5;
          core::Status s = store->AppendDecision(
              Decision(std::to_string(t) + "-" + std::to_string(i), bad ? 999 : 0));
          if (bad) {
            refused[t] += s.code() == core::StatusCode::kInvalidArgument ? 1 : 0;
          } else if (!s.ok()) {
            ++failures[t];
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
    for (int t = 0; t < kThreads; ++t) {
      CHECK(failures[t] == 0);
      CHECK(refused[t] == kPerThread / 10);
    }
    DecisionFilter everything;
    everything.limit = kThreads * kPerThread;
    auto count = store->CountMatchingDecisions(everything);
    REQUIRE(count);
    CHECK(*count == kThreads * kPerThread * 9 / 10);
    const uint64_t commits = store->CommitCountForTesting();
    MESSAGE("transactions for ", kThreads * kPerThread * 9 / 10, " appends: ", commits);
    CHECK(commits > 0);
    CHECK(commits < static_cast<uint64_t>(kThreads * kPerThread * 9 / 10));
    CHECK(store->Stats().records_committed == static_cast<uint64_t>(*count));
  }

  TEST_CASE("fails only the duplicate records of a batch") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    const std::string url = cluster.CreateDatabase();
    auto store = OpenOrFail(url);
    REQUIRE(store->AppendDecision(Decision("taken")).ok());
    const uint64_t commits_before = store->CommitCountForTesting();
    // Another session holds the change clock, so the appends below pile up in the queue
    // (the writer's first insert waits for it); then it lets go: they form one or two batches.
    auto other = internal::PgConnection::Open(url, nullptr);
    REQUIRE(other.has_value());
    REQUIRE((*other)->Exec("BEGIN; SELECT value FROM change_clock FOR UPDATE").ok());
    const std::vector<std::string> ids = {"a", "taken", "b", "twin", "c", "twin", "d", "taken"};
    std::vector<core::Status> results(ids.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < ids.size(); ++i) {
      threads.emplace_back([&, i] { results[i] = store->AppendDecision(Decision(ids[i])); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    REQUIRE((*other)->Exec("ROLLBACK").ok());
    for (std::thread& t : threads) t.join();
    int twins_ok = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      CAPTURE(ids[i]);
      if (ids[i] == "taken") {
        CHECK(results[i].code() == core::StatusCode::kInvalidArgument);
      } else if (ids[i] == "twin") {
        if (results[i].ok()) {
          ++twins_ok;
        } else {
          CHECK(results[i].code() == core::StatusCode::kInvalidArgument);
        }
      } else {
        CHECK(results[i].ok());
      }
    }
    CHECK(twins_ok == 1);
    CHECK(QueryInt(url, "SELECT count(*) FROM decisions") == 6);  // taken, a, b, c, d, twin
    CHECK(store->CommitCountForTesting() - commits_before <= 2);
  }

  TEST_CASE("decision changes come in commit order: a later writer waits for an open one") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    const std::string url = cluster.CreateDatabase();
    auto store = OpenOrFail(url);
    const std::string site = "https://blog.example/";
    // Another node's transaction has written a decision and not committed yet.
    auto other = internal::PgConnection::Open(url, nullptr);
    REQUIRE(other.has_value());
    REQUIRE((*other)->Exec("BEGIN").ok());
    {
      internal::PgParams p;
      DecisionRecord open = Decision("open-first");
      internal::BindDecision(p, open, internal::EncodeReasons(open.decision.reasons),
                             internal::EncodeFields(open.comment.fields));
      REQUIRE((*other)->Query(internal::DecisionInsertSql(), p).has_value());
    }
    // This node's append takes the next change stamp only after that transaction ends, so it
    // cannot commit before it (its identity `seq` could: that is why the cursor uses stamps).
    std::atomic<bool> appended{false};
    std::thread writer([&] {
      CHECK(store->AppendDecision(Decision("later")).ok());
      appended = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK_FALSE(appended.load());
    auto before = store->ListDecisionChanges(site, "", 10);
    REQUIRE(before);
    CHECK(before->changes.empty());
    REQUIRE((*other)->Exec("COMMIT").ok());
    writer.join();
    CHECK(appended.load());
    auto after = store->ListDecisionChanges(site, before->next_cursor, 10);
    REQUIRE(after);
    REQUIRE(after->changes.size() == 2);
    CHECK(after->changes[0].decision.id == "open-first");
    CHECK(after->changes[1].decision.id == "later");
  }

  TEST_CASE("checks fail with Unavailable while the server is down and work again after") {
    HAMLET_REQUIRE_CLUSTER(cluster);
    auto store = OpenOrFail(cluster.CreateDatabase());
    REQUIRE(store->AppendDecision(Decision("before")).ok());
    // Reads from several threads at once, so that the pool holds several idle connections.
    std::vector<std::thread> readers;
    for (int t = 0; t < 6; ++t) {
      readers.emplace_back([&] {
        for (int i = 0; i < 30; ++i) CHECK(store->GetDecision("before"));
      });
    }
    for (std::thread& t : readers) t.join();

    // A restart: every pooled connection dies with it; the store reconnects by itself, and
    // not one call fails for it (the first lost connection retires the other idle ones).
    REQUIRE(cluster.Restart());
    for (int i = 0; i < 10; ++i) CHECK(store->GetDecision("before").value().has_value());
    CHECK(store->AppendDecision(Decision("after-restart")).ok());

    REQUIRE(cluster.Stop());
    core::Status down = store->AppendDecision(Decision("while-down"));
    CHECK(down.code() == core::StatusCode::kUnavailable);
    CHECK(store->Ping().code() == core::StatusCode::kUnavailable);
    CHECK(store->CheckWritable().code() == core::StatusCode::kUnavailable);
    CHECK(store->GetDecision("before").error().code() == core::StatusCode::kUnavailable);
    CHECK(store->Stats().failed_writes >= 1);

    REQUIRE(cluster.Start());
    CHECK(store->Ping().ok());
    CHECK(store->AppendDecision(Decision("after-start")).ok());
    CHECK(store->CheckWritable().ok());  // a write succeeded: writable again
    auto lost = store->GetDecision("while-down");
    REQUIRE(lost);
    CHECK_FALSE(lost->has_value());  // refused, so not written
  }
}

}  // namespace
}  // namespace hamlet::store
