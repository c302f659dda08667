// Database trouble against the real hamletd: another process holds the write lock, the file
// cannot be written (immutable), the disk is full (a small tmpfs), the database reached its
// size cap (--max-db-mb). Each time: checks are answered 503 `unavailable` with Retry-After
// and no verdict (Akismet clients hold the comment and retry), nothing is stored, the fault
// shows in /metrics and /readyz, hamletd keeps running, and once the trouble ends /readyz
// recovers by itself and the next check is answered and stored.
#include <doctest/doctest.h>
#include <httplib.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <string>
#include <thread>

#include "support/e2e_http.h"
#include "support/fault_injection.h"
#include "support/hamletd_process.h"
#include "support/skip.h"
#include "support/sqlite_probe.h"
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
  CHECK(QueryIntForTesting(d.db_path(),
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
  CHECK(r->body.find(d.db_path()) == std::string::npos);  // no file names to the world
  CHECK(MetricValue(d, "hamlet_ready") == 0);
  // Liveness is not readiness: the process is fine, restarting it would not help.
  auto live = GetFrom(d, "/healthz");
  REQUIRE(live);
  CHECK(live->status == 200);
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
      // The /v1 API says the same in JSON.
      httplib::Client c(d.host(), d.port());
      c.set_read_timeout(std::chrono::seconds(15));
      auto v1 = c.Post("/v1/check", {{"Authorization", "Bearer " + d.key()}},
                       R"({"comment_content": "hello"})", "application/json");
      REQUIRE(v1);
      CHECK(v1->status == 503);
      CHECK(v1->body.find(R"("code":"unavailable")") != std::string::npos);
      CheckNotReady(d, "database is locked");
      CHECK(MetricValue(d, "hamlet_store_errors_total{kind=\"locked\"}") >= 2);
      CHECK(MetricValue(d, "hamlet_store_failed_writes_total") >= 2);
      CHECK(
          MetricValue(d,
                      "hamlet_http_requests_total{endpoint=\"/1.1/comment-check\",method=\"POST\","
                      "status=\"503\"}") == 1);
      CHECK(StoredDecisions(d) == stored);
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
      CheckNotReady(d, "database is read-only");
      CHECK(MetricValue(d, "hamlet_store_errors_total{kind=\"read_only\"}") >= 2);
      CHECK(StoredDecisions(d) == stored);
    }
    CheckRecovered(d, stored);
  }

  TEST_CASE("a full disk: 503 and a metric, then recovery once space is freed") {
    TempDir dir;
    const std::string mnt = dir.File("small-fs");
    REQUIRE(::mkdir(mnt.c_str(), 0700) == 0);
    TmpfsMount fs(mnt, 4 << 20);
    if (!fs.ok()) {
      HAMLET_SKIP(
          "cannot mount a tmpfs here (needs root); the --max-db-mb test covers a full "
          "database: " +
          fs.why_not());
    }
    HamletdProcess::Options options;
    options.db_path = mnt + "/hamlet.db";
    HamletdProcess d(options);
    REQUIRE(Check(d)->status == 200);
    const int64_t stored = StoredDecisions(d);

    const std::string filler = mnt + "/filler";
    REQUIRE(FillFileSystem(filler) > 0);
    CheckRefused(Check(d, 2000));
    CheckNotReady(d, "database or disk is full");
    CHECK(MetricValue(d, "hamlet_store_errors_total{kind=\"full\"}") >= 1);
    CHECK(StoredDecisions(d) == stored);

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
    CheckNotReady(d, "database or disk is full");
    CHECK(MetricValue(d, "hamlet_store_errors_total{kind=\"full\"}") >= 2);
    CHECK(StoredDecisions(d) == stored);

    // Deleting old rows (as a retention run would) frees pages hamletd reuses.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(d.db_path().c_str(), &db) == SQLITE_OK);
    const int64_t deleted = stored / 2;
    const std::string sql =
        "PRAGMA busy_timeout = 5000; DELETE FROM decisions WHERE rowid IN "
        "(SELECT rowid FROM decisions ORDER BY rowid LIMIT " + std::to_string(deleted) + ")";
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    CheckRecovered(d, stored - deleted);
  }
}

}  // namespace hamlet::testing
