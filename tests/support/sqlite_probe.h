// SqliteProbe: reads a database through a read-only connection of the test's own, to check
// what the store really wrote (not what it says it wrote).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "store/sqlite_store.h"

namespace hamlet::testing {

// SqliteStore::Open, failing the test (with the store's message) when it does not open.
std::unique_ptr<store::SqliteStore> OpenSqliteStoreOrFail(const std::string& path,
                                                          const store::SqliteOptions& options = {});

// The integer the first row's first column of `sql` holds. Fails the test on any error.
int64_t QueryIntForTesting(const std::string& db_path, const std::string& sql);

// A new database file as an older build left it: migrations 1..`version` applied and
// user_version set, then `extra_sql` (rows in that version's layout) run. Fails the test on
// any error.
void CreateDatabaseAtVersionForTesting(const std::string& db_path, int version,
                                       const std::string& extra_sql = "");

}  // namespace hamlet::testing
