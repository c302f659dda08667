// OpenTestStore: a temporary SQLite file, or a new database in the test process's PostgreSQL
// cluster.
#include "support/store_backends.h"

#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "support/pg_cluster.h"

namespace hamlet::testing {
namespace {

std::unique_ptr<store::Store> OpenOrFail(const std::string& backend, const std::string& location) {
  auto opened = backend == PostgresBackend::kName ? store::OpenPostgresStore(location)
                                                  : store::OpenSqliteStore(location);
  REQUIRE_MESSAGE(opened.has_value(), backend << " store at " << location << ": "
                                       << (opened.has_value() ? "" : opened.error().message()));
  return std::move(opened).value();
}

}  // namespace

TestStore OpenTestStore(std::string_view backend) {
  TestStore t;
  t.backend_ = std::string(backend);
  if (backend == PostgresBackend::kName) {
    PgCluster& cluster = PgCluster::Shared();
    if (!cluster.ok()) {
      t.skip_reason_ = PgUnavailableMessage(cluster);
      return t;
    }
    t.location_ = cluster.CreateDatabase();
  } else {
    REQUIRE(backend == SqliteBackend::kName);
    t.dir_ = std::make_unique<TempDir>();
    t.location_ = t.dir_->File("hamlet.db");
  }
  t.store_ = OpenOrFail(t.backend_, t.location_);
  return t;
}

void TestStore::Reopen() {
  store_.reset();
  store_ = OpenOrFail(backend_, location_);
}

std::unique_ptr<store::Store> TestStore::OpenAnother() const {
  return OpenOrFail(backend_, location_);
}

}  // namespace hamlet::testing
