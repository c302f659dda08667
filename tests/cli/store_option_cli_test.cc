// `hamlet --store postgresql://...` against a real PostgreSQL (the test process's throw-away
// cluster; skipped without one), and what --db and --store refuse: a URL given to --db, a file
// given to --store, both at once.
#include <doctest/doctest.h>

#include <string>

#include "support/cli_run.h"
#include "support/pg_cluster.h"
#include "support/skip.h"
#include "support/temp_dir.h"

namespace hamlet::testing {

TEST_SUITE("cli/store_option") {
  TEST_CASE("keys made with --store are listed from the same PostgreSQL database") {
    PgCluster& cluster = PgCluster::Shared();
    if (!cluster.ok()) HAMLET_SKIP(PgUnavailableMessage(cluster));
    const std::string url = cluster.CreateDatabase();
    CliRun made = RunHamletCli({"--store", url, "keys", "create", "--site", "https://a.example/"});
    REQUIRE_MESSAGE(made.code == 0, made.err);
    CliRun listed = RunHamletCli({"--store", url, "keys", "list"});
    REQUIRE_MESSAGE(listed.code == 0, listed.err);
    CHECK(listed.out.find("https://a.example/") != std::string::npos);
  }

  TEST_CASE("--db refuses a URL and --store a file and they do not go together") {
    TempDir dir;
    CliRun url_as_file = RunHamletCli({"--db", "postgresql:///hamlet", "keys", "list"});
    CHECK(url_as_file.code == 2);
    CHECK(url_as_file.err.find("give a PostgreSQL URL with --store") != std::string::npos);
    CliRun file_as_url = RunHamletCli({"--store", dir.File("h.db"), "keys", "list"});
    CHECK(file_as_url.code == 2);
    CHECK(file_as_url.err.find("--store takes a PostgreSQL URL") != std::string::npos);
    CliRun both =
        RunHamletCli({"--db", dir.File("h.db"), "--store", "postgresql:///x", "keys", "list"});
    CHECK(both.code == 2);
    CHECK(both.err.find("excludes") != std::string::npos);
  }
}

}  // namespace hamlet::testing
