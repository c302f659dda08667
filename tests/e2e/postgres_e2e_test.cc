// hamletd and hamlet on PostgreSQL (--store postgresql://...), end to end: a check is answered,
// stored and read back by the CLI; while the server is down checks get 503 `unavailable` and
// /readyz says why; once it is back, hamletd recovers by itself. Runs on the test process's
// throw-away cluster (support/pg_cluster.h); skipped when PostgreSQL is not installed.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <string>

#include "support/e2e_http.h"
#include "support/hamletd_process.h"
#include "support/pg_cluster.h"
#include "support/skip.h"

namespace hamlet::testing {
namespace {

httplib::Result Check(const HamletdProcess& d, const std::string& text) {
  return PostTo(d, "/1.1/comment-check",
                "api_key=" + d.key() + "&blog=http%3A%2F%2Fexample.test%2F&user_ip=192.0.2.1" +
                    "&comment_content=" + text);
}

HamletdProcess::Options OnPostgres(PgCluster& cluster) {
  HamletdProcess::Options options;
  options.db_path = cluster.CreateDatabase();
  return options;
}

}  // namespace

TEST_SUITE("e2e/postgres") {
  TEST_CASE("hamletd on PostgreSQL answers a check that hamlet then reads back") {
    PgCluster& cluster = PgCluster::Shared();
    if (!cluster.ok()) HAMLET_SKIP(PgUnavailableMessage(cluster));
    HamletdProcess d(OnPostgres(cluster));
    auto r = Check(d, "a+first+comment+on+postgres");
    REQUIRE(r);
    CHECK(r->status == 200);
    const std::string guid = r->get_header_value("X-akismet-guid");
    REQUIRE(guid.size() == 32);
    const std::string shown = d.ShowJson(guid);
    CHECK(shown.find(guid) != std::string::npos);
    CHECK(shown.find("a first comment on postgres") != std::string::npos);
    auto ready = GetFrom(d, "/readyz");
    REQUIRE(ready);
    CHECK(ready->status == 200);
  }

  TEST_CASE("checks get 503 while PostgreSQL is down and hamletd recovers when it is back") {
    PgCluster& cluster = PgCluster::Shared();
    if (!cluster.ok()) HAMLET_SKIP(PgUnavailableMessage(cluster));
    HamletdProcess d(OnPostgres(cluster));
    REQUIRE(Check(d, "before")->status == 200);

    REQUIRE(cluster.Stop());
    auto refused = Check(d, "while+down");
    REQUIRE(refused);
    CHECK(refused->status == 503);
    CHECK(refused->body == "unavailable");
    CHECK_FALSE(refused->has_header("X-akismet-guid"));
    auto not_ready = GetFrom(d, "/readyz");
    REQUIRE(not_ready);
    CHECK(not_ready->status == 503);
    CHECK(not_ready->body.find("database not writable") != std::string::npos);

    REQUIRE(cluster.Start());
    CHECK(WaitUntil(
        [&] {
          auto ready = GetFrom(d, "/readyz");
          return ready && ready->status == 200;
        },
        std::chrono::seconds(15)));
    auto after = Check(d, "after+restart");
    REQUIRE(after);
    CHECK(after->status == 200);
    CHECK_FALSE(d.ShowJson(after->get_header_value("X-akismet-guid")).empty());
  }
}

}  // namespace hamlet::testing
