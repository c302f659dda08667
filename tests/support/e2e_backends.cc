// PrepareE2eBackend: the PostgreSQL case asks the process's cluster for a new database.
// QueryStoredInt: SQLite through sqlite_probe, PostgreSQL through pg_query.
#include "support/e2e_backends.h"

#include <doctest/doctest.h>

#include <string>

#include "store/postgres_store.h"
#include "support/pg_cluster.h"
#include "support/pg_query.h"
#include "support/sqlite_probe.h"

namespace hamlet::testing {

bool PrepareE2eBackend(std::string_view backend, HamletdProcess::Options& options,
                       std::string& why) {
  if (backend != PostgresBackend::kName) return true;
  PgCluster& cluster = PgCluster::Shared();
  if (!cluster.ok()) {
    why = PgUnavailableMessage(cluster);
    return false;
  }
  options.db_path = cluster.CreateDatabase();
  return true;
}

int64_t QueryStoredInt(const HamletdProcess& d, const std::string& sql) {
  if (!store::IsPostgresUrl(d.db_path())) return QueryIntForTesting(d.db_path(), sql);
  const auto rows = PgQuery(d.db_path(), sql);
  REQUIRE_MESSAGE((!rows.empty() && !rows[0].empty()), "no value from: " << sql);
  return std::stoll(rows[0][0]);
}

}  // namespace hamlet::testing
