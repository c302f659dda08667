// PrepareE2eBackend: the PostgreSQL case asks the process's cluster for a new database.
#include "support/e2e_backends.h"

#include "support/pg_cluster.h"

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

}  // namespace hamlet::testing
