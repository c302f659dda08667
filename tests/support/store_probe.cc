// QueryStoreIntForTesting: SqliteProbe for a file, PgQuery for a PostgreSQL URL.
#include "support/store_probe.h"

#include <doctest/doctest.h>

#include "store/postgres_store.h"
#include "support/pg_query.h"
#include "support/sqlite_probe.h"

namespace hamlet::testing {

int64_t QueryStoreIntForTesting(const std::string& db, const std::string& sql) {
  if (!store::IsPostgresUrl(db)) return QueryIntForTesting(db, sql);
  const auto rows = PgQuery(db, sql);
  REQUIRE_MESSAGE((!rows.empty() && !rows[0].empty()), "no value: " << sql);
  return std::stoll(rows[0][0]);
}

}  // namespace hamlet::testing
