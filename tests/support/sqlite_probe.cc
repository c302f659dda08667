// A test's own read-only SQLite connection.
#include "support/sqlite_probe.h"

#include <sqlite3.h>

#include <doctest/doctest.h>

#include "store/schema.h"

namespace hamlet::testing {

std::unique_ptr<store::SqliteStore> OpenSqliteStoreOrFail(const std::string& path,
                                                          const store::SqliteOptions& options) {
  auto store = store::SqliteStore::Open(path, options);
  // Not REQUIRE_MESSAGE: doctest evaluates the message on success too (with -s).
  if (!store) FAIL(store.error().ToString());
  return std::move(store).value();
}

int64_t QueryIntForTesting(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

void CreateDatabaseAtVersionForTesting(const std::string& db_path, int version,
                                       const std::string& extra_sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                          nullptr) == SQLITE_OK);
  auto exec = [db](const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    REQUIRE_MESSAGE(rc == SQLITE_OK, message);
  };
  for (const store::schema::Migration& m : store::schema::Migrations()) {
    if (m.version > version) break;
    exec(std::string(m.sqlite));
  }
  exec("PRAGMA user_version = " + std::to_string(version));
  if (!extra_sql.empty()) exec(extra_sql);
  sqlite3_close(db);
}

}  // namespace hamlet::testing
