// QueryStoreIntForTesting: one integer read from a hamletd database of either backend by a
// connection of the test's own, to check what the store really wrote.
#pragma once

#include <cstdint>
#include <string>

namespace hamlet::testing {

// The first row's first column of `sql` on `db` (a SQLite file or a postgresql:// URL, as
// HamletdProcess::db_path() names it). `sql` must be valid on both backends (plain SELECTs on
// the shared table and column names). Fails the current test on any error.
int64_t QueryStoreIntForTesting(const std::string& db, const std::string& sql);

}  // namespace hamlet::testing
