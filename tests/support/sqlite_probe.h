// SqliteProbe: reads a database through a read-only connection of the test's own, to check
// what the store really wrote (not what it says it wrote).
#pragma once

#include <cstdint>
#include <string>

namespace hamlet::testing {

// The integer the first row's first column of `sql` holds. Fails the test on any error.
int64_t QueryIntForTesting(const std::string& db_path, const std::string& sql);

}  // namespace hamlet::testing
