// Database trouble against the real hamletd. SQLite: another process holds the write lock,
// the file cannot be written (immutable), the disk is full (a small tmpfs), the database
// reached its size cap (--max-db-mb). PostgreSQL: the server is stopped (a private cluster),
// the database turns read-only (as a standby is). Each time: checks are answered 503
// `unavailable` with Retry-After and no verdict (Akismet clients hold the comment and retry),
// nothing is stored, the fault shows in /metrics and /readyz, hamletd keeps running, and once
// the trouble ends /readyz recovers by itself and the next check is answered and stored.
#include <doctest/doctest.h>
#include <httplib.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "support/e2e_backends.h"
#include "support/e2e_http.h"
#include "support/fault_injection.h"
#include "support/hamletd_process.h"
#include "support/pg_cluster.h"
#include "support/pg_query.h"
#include "support/skip.h"
#include "support/store_probe.h"
#include "support/temp_dir.h"

namespace hamlet::testing {
namespace {

// One comment-check with a comment of its own (`filler` bytes of extra text).
httplib::Result Check(const HamletdProcess& d, size_t filler = 0) {
  static int n = 0;
  ++n;
  return PostTo(d, "/1.1/comment-check",
                "api_key=" + d.key() + "&blog=http%3A%2F%2Fexample.test%2F&user_ip=192.0.2.1" +
                    "&comment_content=check+" + std::to_string(n) + "+" + std::string(filler, 'a'));
}

bool WaitUntilReady(const HamletdProcess& d) {
  return WaitUntil(
      [&] {
        auto r = GetFrom(d, "/readyz");
        return r && r->status == 200;
      },
      std::chrono::seconds(15));
}

// What every check must get while the database refuses writes.
void CheckRefused(const httplib::Result& r) {
  REQUIRE(r);
  CHECK(r->status == 503);
  CHECK(r->body == "unavailable");
  CHECK(r->get_header_value("Retry-After") == "30");
  CHECK_FALSE(r->has_header("X-akismet-guid"));
  CHECK(r->get_header_value("X-akismet-debug-help").find("temporarily unavailable") !=
        std::string::npos);
}

// The trouble is over: /readyz recovers without traffic, then a check is answered and stored.
void CheckRecovered(const HamletdProcess& d, int64_t stored_before) {
  CHECK(WaitUntilReady(d));
  auto r = Check(d);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK((r->body == "true" || r->body == "false"));
  const std::string guid = r->get_header_value("X-akismet-guid");
  REQUIRE(guid.size() == 32);
  CHECK(QueryStoreIntForTesting(d.db_path(),
                                "SELECT count(*) FROM decisions WHERE id = '" + guid + "'") == 1);
  CHECK(StoredDecisions(d) == stored_before + 1);
  CHECK(MetricValue(d, "hamlet_ready") == 1);
}

// /readyz names the fault while it lasts.
void CheckNotReady(const HamletdProcess& d, const std::string& cause) {
  auto r = GetFrom(d, "/readyz");
  REQUIRE(r);
  CHECK(r->status == 503);
  CHECK(r->body.find("not ready: database not writable: " + cause) != std::string::npos);
  CHECK(r->body.find(d.db_path()) == std::string::npos);  // no file names or URLs to the world
  CHECK(MetricValue(d, "hamlet_ready") == 0);
}

// While trouble that leaves reads working lasts: /readyz names it, liveness is not readiness
// (the process is fine, restarting hamletd would not help), faults of `kind` are counted, at
// least `faults`, and the database holds `stored` decisions, no more.
void CheckTroubleShown(const HamletdProcess& d, const std::string& cause, const std::string& kind,
                       int faults, int64_t stored) {
  CheckNotReady(d, cause);
  auto live = GetFrom(d, "/healthz");
  REQUIRE(live);
  CHECK(live->status == 200);
  CHECK(MetricValue(d, "hamlet_store_errors_total{kind=\"" + kind + "\"}") >= faults);
  CHECK(StoredDecisions(d) == stored);
}

// A tmpfs of `bytes` on a folder of its own (`dir`/small-fs), until destruction. Check
// mount.ok() (root only).
struct SmallFileSystem {
  explicit SmallFileSystem(size_t bytes)
      : path(MadeDir(dir.File("small-fs"))), mount(path, bytes) {}
  static std::string MadeDir(const std::string& path) {
    REQUIRE(::mkdir(path.c_str(), 0700) == 0);
    return path;
  }
  TempDir dir;
  const std::string path;
  TmpfsMount mount;
};

// The /v1 API refuses a check with the same fault in JSON.
void CheckV1Refused(const HamletdProcess& d) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(15));
  auto v1 = c.Post("/v1/check", {{"Authorization", "Bearer " + d.key()}},
                   R"({"comment_content": "hello"})", "application/json");
  REQUIRE(v1);
  CHECK(v1->status == 503);
  CHECK(v1->body.find(R"("code":"unavailable")") != std::string::npos);
}

// The database name in a test cluster's URL (postgresql:///NAME?host=...).
std::string DatabaseName(const std::string& url) {
  const size_t start = url.find(":///") + 4;
  return url.substr(start, url.find('?') - start);
}

}  // namespace

TEST_SUITE("e2e/db_trouble") {
  TEST_CASE("a database locked by another process: 503 and a metric, then recovery") {
    HamletdProcess d;
    REQUIRE(Check(d)->status == 200);
    const int64_t stored = StoredDecisions(d);
    {
      HeldWriteLock lock(d.db_path());
      REQUIRE(lock.held());
      CheckRefused(Check(d));
      CheckV1Refused(d);
      CheckTroubleShown(d, "database is locked", "locked", 2, stored);
      CHECK(MetricValue(d, "hamlet_store_failed_writes_total") >= 2);
      CHECK(
          MetricValue(d,
                      "hamlet_http_requests_total{endpoint=\"/1.1/comment-check\",method=\"POST\","
                      "status=\"503\"}") == 1);
    }
    CheckRecovered(d, stored);
    CHECK(d.Log().find("event=not_ready database not writable: database is locked") !=
          std::string::npos);
  }

  TEST_CASE("a database file that cannot be written: 503 and a metric, then recovery") {
    HamletdProcess d;
    REQUIRE(Check(d)->status == 200);  // the WAL file exists from here on
    const int64_t stored = StoredDecisions(d);
    {
      // Immutable (chattr +i): every write fails with EPERM, through descriptors hamletd
      // opened before, and for root too, as on a file system remounted read-only.
      ImmutableFiles immutable({d.db_path(), d.db_path() + "-wal"});
      if (!immutable.ok()) {
        HAMLET_SKIP(
            "cannot make the database immutable here (needs root and a file system "
            "with chattr +i): " +
            immutable.why_not());
      }
      CheckRefused(Check(d));
      CheckRefused(Check(d));
      CheckTroubleShown(d, "database is read-only", "read_only", 2, stored);
    }
    CheckRecovered(d, stored);
  }

  TEST_CASE("a full disk: 503 and a metric, then recovery once space is freed") {
    SmallFileSystem fs(4 << 20);
    if (!fs.mount.ok()) {
      HAMLET_SKIP(
          "cannot mount a tmpfs here (needs root); the --max-db-mb test covers a full "
          "database: " +
          fs.mount.why_not());
    }
    HamletdProcess::Options options;
    options.db_path = fs.path + "/hamlet.db";
    HamletdProcess d(options);
    REQUIRE(Check(d)->status == 200);
    const int64_t stored = StoredDecisions(d);

    const std::string filler = fs.path + "/filler";
    REQUIRE(FillFileSystem(filler) > 0);
    CheckRefused(Check(d, 2000));
    CheckTroubleShown(d, "database or disk is full", "full", 1, stored);

    REQUIRE(std::remove(filler.c_str()) == 0);
    CheckRecovered(d, stored);
    CHECK(d.Stop() == 0);  // before the tmpfs goes away
  }

  TEST_CASE("a database at its size cap: 503 and a metric, then recovery once rows are deleted") {
    HamletdProcess::Options options;
    options.extra_args = {"--max-db-mb", "1", "--rate-limit-ip", "0", "--rate-limit-key", "0"};
    HamletdProcess d(options);
    // 20 KiB comments until the cap refuses one (a dozen or more fit in 1 MiB: each is stored
    // with its raw fields and in the text-search index).
    httplib::Result r = Check(d, 20000);
    for (int i = 0; i < 200 && r && r->status == 200; ++i) r = Check(d, 20000);
    CheckRefused(r);
    const int64_t stored = StoredDecisions(d);
    CHECK(stored >= 6);
    CheckRefused(Check(d, 20000));
    CheckTroubleShown(d, "database or disk is full", "full", 2, stored);

    // Deleting old rows (as a retention run would) frees pages hamletd reuses.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(d.db_path().c_str(), &db) == SQLITE_OK);
    const int64_t deleted = stored / 2;
    const std::string sql =
        "PRAGMA busy_timeout = 5000; DELETE FROM decisions WHERE rowid IN "
        "(SELECT rowid FROM decisions ORDER BY rowid LIMIT " +
        std::to_string(deleted) + ")";
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    CheckRecovered(d, stored - deleted);
  }

  // The PostgreSQL counterparts. A stopped server needs a cluster of the case's own: other
  // cases in the same process use the shared one.
  TEST_CASE("PostgreSQL stopped: 503 and a metric, then recovery once it is started again") {
    std::unique_ptr<PgCluster> cluster = PgCluster::Private();
    if (!cluster->ok()) HAMLET_SKIP(PgUnavailableMessage(*cluster));
    HamletdProcess::Options options;
    options.db_path = cluster->CreateDatabase();
    HamletdProcess d(options);
    REQUIRE(Check(d)->status == 200);
    const int64_t stored = StoredDecisions(d);

    REQUIRE(cluster->Stop());
    CheckRefused(Check(d));
    CheckRefused(Check(d));
    CheckV1Refused(d);
    CheckNotReady(d, "cannot connect to PostgreSQL");
    // (/healthz fails too while the server is down: whether it should is an open question,
    // docs/postgresql-plan.md.)
    CHECK(MetricValue(d, "hamlet_store_errors_total{kind=\"io\"}") >= 3);
    CHECK(MetricValue(d,
                      "hamlet_http_requests_total{endpoint=\"/1.1/comment-check\",method=\"POST\","
                      "status=\"503\"}") == 2);

    REQUIRE(cluster->Start());
    // Nothing of the refused checks was stored (CheckRecovered counts exactly one more).
    CheckRecovered(d, stored);
    CHECK(d.Log().find("event=not_ready database not writable: cannot connect to PostgreSQL") !=
          std::string::npos);
  }

  TEST_CASE("PostgreSQL change clock held by another session: 503 and a metric, then recovery") {
    HAMLET_E2E_OPTIONS(options, PostgresBackend);  // a new database in the shared cluster
    HamletdProcess d(options);
    REQUIRE(Check(d)->status == 200);
    const int64_t stored = StoredDecisions(d);
    {
      // Every decision's change stamp comes from change_clock's one row: a session holding it
      // (a node stuck mid-transaction) stops every write, as SQLite's write lock does.
      PgOpenTransaction lock(d.db_path(), "SELECT value FROM change_clock WHERE id = 1 FOR UPDATE");
      CheckRefused(Check(d));
      CheckV1Refused(d);
      CheckTroubleShown(d, "database is locked", "locked", 2, stored);
    }
    CheckRecovered(d, stored);
  }

  TEST_CASE("PostgreSQL on a full disk: 503 and a metric, then recovery once space is freed") {
    SmallFileSystem fs(24 << 20);
    if (!fs.mount.ok())
      HAMLET_SKIP("cannot mount a tmpfs here (needs root): " + fs.mount.why_not());
    // The server runs as `postgres` when the tests run as root: it must reach and own the
    // tablespace's folder.
    REQUIRE(::chmod(fs.dir.path().c_str(), 0711) == 0);
    REQUIRE(std::system(("chown postgres: '" + fs.path + "' 2>/dev/null || true").c_str()) == 0);
    std::unique_ptr<PgCluster> cluster = PgCluster::Private();  // it keeps files on the mount
    if (!cluster->ok()) HAMLET_SKIP(PgUnavailableMessage(*cluster));
    // The whole database on the small file system (the WAL stays on the cluster's own disk).
    const std::string admin = cluster->Url("postgres");
    PgQuery(admin, "CREATE TABLESPACE small LOCATION '" + fs.path + "'");
    PgQuery(admin, "CREATE DATABASE hamlet_full TABLESPACE small");
    HamletdProcess::Options options;
    options.db_path = cluster->Url("hamlet_full");
    options.extra_args = {"--rate-limit-ip", "0", "--rate-limit-key", "0"};
    HamletdProcess d(options);
    REQUIRE(Check(d)->status == 200);
    const int64_t stored = StoredDecisions(d);

    const std::string filler = fs.path + "/filler";
    REQUIRE(FillFileSystem(filler) > 0);
    // Checks go on being stored in the free room of pages the tables have, until one needs a
    // new page: each answered one is stored, the first refused one and all after are not.
    int64_t answered = 0;
    httplib::Result r = Check(d, 2000);
    for (; answered < 500 && r && r->status == 200; r = Check(d, 2000)) ++answered;
    CheckRefused(r);
    CheckRefused(Check(d, 2000));
    CheckTroubleShown(d, "database or disk is full", "full", 2, stored + answered);

    REQUIRE(std::remove(filler.c_str()) == 0);
    CheckRecovered(d, stored + answered);
    CHECK(d.Stop() == 0);  // before the cluster and the tmpfs go away
  }

  TEST_CASE("PostgreSQL read-only (a standby): 503 and a metric, then recovery once writable") {
    HAMLET_E2E_OPTIONS(options, PostgresBackend);  // a new database in the shared cluster
    HamletdProcess d(options);
    REQUIRE(Check(d)->status == 200);
    const int64_t stored = StoredDecisions(d);

    // As a failover to a standby looks to a node: its connections are cut and the new ones
    // are read-only. (Run from the maintenance database: ALTER DATABASE cannot run in a
    // read-only transaction.)
    const std::string name = DatabaseName(d.db_path());
    const std::string admin = PgCluster::Shared().Url("postgres");
    PgQuery(admin, "ALTER DATABASE " + name + " SET default_transaction_read_only = on");
    PgQuery(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" +
                       name + "'");
    CheckRefused(Check(d));
    CheckRefused(Check(d));
    CheckV1Refused(d);
    CheckTroubleShown(d, "database is read-only", "read_only", 3, stored);  // reads still work

    // Writable again (the standby promoted): the node's next connections can write. Its
    // existing ones were opened read-only; it must not keep using them.
    PgQuery(admin, "ALTER DATABASE " + name + " SET default_transaction_read_only = off");
    CheckRecovered(d, stored);
    CHECK(d.Log().find("event=not_ready database not writable: database is read-only") !=
          std::string::npos);
  }
}

}  // namespace hamlet::testing
