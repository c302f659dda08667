// Tests for engine::CopyInstallation: a populated SQLite store copied to PostgreSQL and back
// holds the same rows field by field, with a passing count check per table; a copy refuses a
// destination that is not empty, and a count check notices rows the source gained meanwhile.
#include "engine/store_copy.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "support/installation_fixture.h"
#include "support/pg_cluster.h"
#include "support/store_backends.h"

namespace hamlet::engine {
namespace {

void CheckCounts(const CopyReport& report, const std::vector<int64_t>& expected) {
  REQUIRE(report.tables.size() == std::size(store::kInstallTables));
  for (size_t i = 0; i < report.tables.size(); ++i) {
    const TableCopyCount& t = report.tables[i];
    CAPTURE(store::InstallTableName(t.table));
    CHECK(t.table == store::kInstallTables[i]);
    CHECK(t.ok());
    CHECK(t.source == expected[i]);
  }
  CHECK(report.ok());
}

// meta, site_keys, site_settings, list_entries, moderator_actions, decisions, feedback,
// webhook_events, published_models, decision_days of support/installation_fixture.cc. Its
// undo adds SQLite's revoke_clock to the two meta rows it writes.
const std::vector<int64_t> kFixtureCounts = {3, 3, 2, 2, 2, 5, 4, 3, 3, 2};

}  // namespace

TEST_SUITE("engine/store_copy") {
  TEST_CASE("an installation moved from SQLite to PostgreSQL and back keeps every row") {
    HAMLET_OPEN_TEST_STORE(sqlite, testing::SqliteBackend);
    HAMLET_OPEN_TEST_STORE(postgres, testing::PostgresBackend);
    HAMLET_OPEN_TEST_STORE(back, testing::SqliteBackend);
    testing::PopulateInstallation(*sqlite);
    const std::vector<std::string> original = testing::DescribeInstallation(*sqlite);

    CopyOptions options;
    options.batch_rows = 2;  // several batches per table
    int64_t progress_calls = 0;
    options.progress = [&](store::InstallTable, int64_t copied, int64_t total) {
      ++progress_calls;
      CHECK(copied <= total);
    };
    auto there = CopyInstallation(*sqlite, *postgres, options);
    REQUIRE_MESSAGE(there.has_value(), there.error().ToString());
    CheckCounts(*there, kFixtureCounts);
    CHECK(progress_calls >= 8);
    CHECK(there->source_list_revision == sqlite->ListEntriesRevision().value());
    testing::CheckSameInstallation(original, testing::DescribeInstallation(*postgres));

    options.batch_rows = 1000;
    auto home = CopyInstallation(*postgres, *back, options);
    REQUIRE_MESSAGE(home.has_value(), home.error().ToString());
    CheckCounts(*home, kFixtureCounts);
    testing::CheckSameInstallation(original, testing::DescribeInstallation(*back));

    // The moved text is searchable (PostgreSQL's tsvector, SQLite's FTS5 catch-up).
    for (store::Store* s : {postgres.get(), back.get()}) {
      store::DecisionFilter filter;
      filter.text = "zanzibarish";
      auto found = s->ListDecisions(filter);
      REQUIRE(found);
      CHECK(found->size() == 2);
    }
  }

  TEST_CASE("a copy refuses a destination that holds anything and writes nothing to it") {
    HAMLET_OPEN_TEST_STORE(source, testing::SqliteBackend);
    HAMLET_OPEN_TEST_STORE(destination, testing::PostgresBackend);
    testing::PopulateInstallation(*source);
    REQUIRE(destination->PutMetaIfAbsent("key_salt", "another installation's salt"));
    auto refused = CopyInstallation(*source, *destination, {});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(refused.error().message().find("not empty (meta 1)") != std::string::npos);
    CHECK(destination->CountInstallRows(store::InstallTable::kSiteKeys).value() == 0);
    CHECK(destination->GetMeta("key_salt").value() == "another installation's salt");

    CopyOptions zero;
    zero.batch_rows = 0;
    HAMLET_OPEN_TEST_STORE(empty, testing::SqliteBackend);
    CHECK_FALSE(CopyInstallation(*source, *empty, zero));
  }

  TEST_CASE("a copy that fails midway names the table and the rows copied and what to do") {
    HAMLET_OPEN_TEST_STORE(source, testing::SqliteBackend);
    HAMLET_OPEN_TEST_STORE(destination, testing::PostgresBackend);
    testing::PopulateInstallation(*source);
    testing::PgCluster& cluster = testing::PgCluster::Shared();
    CopyOptions options;
    options.batch_rows = 2;
    bool stopped = false;
    // The server goes away after the first batch of decisions.
    options.progress = [&](store::InstallTable table, int64_t, int64_t) {
      if (table != store::InstallTable::kDecisions || stopped) return;
      REQUIRE(cluster.Stop());
      stopped = true;
    };
    auto failed = CopyInstallation(*source, *destination, options);
    REQUIRE(cluster.Start());
    REQUIRE(stopped);
    REQUIRE_FALSE(failed);
    CHECK(failed.error().code() == core::StatusCode::kUnavailable);
    const std::string& message = failed.error().message();
    CHECK(message.find("copying decisions (after 2 rows): ") == 0);
    CHECK(message.find("the destination holds a partial copy: drop it") != std::string::npos);
    // What was committed stays (each batch is one transaction): the refusal to reuse it.
    std::unique_ptr<store::Store> again = destination.OpenAnother();
    CHECK(again->CountInstallRows(store::InstallTable::kDecisions).value() == 2);
    auto retry = CopyInstallation(*source, *again, {});
    REQUIRE_FALSE(retry);
    CHECK(retry.error().message().find("the destination is not empty") != std::string::npos);
  }

  TEST_CASE("the count check fails when the source gains rows during the copy") {
    HAMLET_OPEN_TEST_STORE(source, testing::SqliteBackend);
    HAMLET_OPEN_TEST_STORE(destination, testing::SqliteBackend);
    testing::PopulateInstallation(*source);
    CopyOptions options;
    options.batch_rows = 1;
    bool written = false;
    // A check stored by a hamletd that was not stopped, once the decisions are copied.
    options.progress = [&](store::InstallTable table, int64_t, int64_t) {
      if (table != store::InstallTable::kFeedback || written) return;
      store::DecisionRecord late = source->GetDecision("d5").value().value();
      late.id = "late";
      REQUIRE(source->AppendDecision(late).ok());
      written = true;
    };
    auto report = CopyInstallation(*source, *destination, options);
    REQUIRE(report);
    CHECK_FALSE(report->ok());
    const TableCopyCount& decisions = report->tables[5];
    CHECK(decisions.table == store::InstallTable::kDecisions);
    CHECK(decisions.source == 5);
    CHECK(decisions.source_after == 6);
    CHECK(decisions.destination == 5);
    CHECK_FALSE(decisions.ok());
    CHECK(report->tables[6].ok());  // feedback unaffected
  }
}

}  // namespace hamlet::engine
