// PgQuery: one SQL statement against a test's PostgreSQL database through libpq, for tests that
// must look at the rows themselves (the cluster tests compare the decisions table with what the
// clients were answered). Test-only: the store's own code keeps its SQL inside src/store.
#pragma once

#include <string>
#include <vector>

struct pg_conn;

namespace hamlet::testing {

// Runs `sql` (no parameters) on the database at `url`; every row, each column as text (NULL as
// ""). Fails the current test (doctest REQUIRE) when it cannot connect or the statement fails.
std::vector<std::vector<std::string>> PgQuery(const std::string& url, const std::string& sql);

// A transaction held open on a connection of its own: BEGIN, then `sql` (e.g. a LOCK TABLE),
// kept until Release() or destruction rolls it back. For tests of a store waiting on another
// session's lock. Fails the current test when it cannot connect or `sql` fails.
class PgOpenTransaction {
 public:
  PgOpenTransaction(const std::string& url, const std::string& sql);
  ~PgOpenTransaction();
  PgOpenTransaction(const PgOpenTransaction&) = delete;
  PgOpenTransaction& operator=(const PgOpenTransaction&) = delete;
  void Release();

 private:
  pg_conn* conn_ = nullptr;
};

}  // namespace hamlet::testing
