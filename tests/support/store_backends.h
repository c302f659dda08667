// The store backends the parametrized store tests run against, as doctest template types:
// TEST_CASE_TEMPLATE("...", Backend, SqliteBackend, PostgresBackend) runs a case once per
// backend, as two CTest tests ("...<sqlite>", "...<postgresql>"). OpenTestStore gives each run
// a fresh, empty database: a file in a temporary folder, or a new database in the process's
// throw-away PostgreSQL cluster (support/pg_cluster.h).
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"
#include "support/skip.h"
#include "support/temp_dir.h"

namespace hamlet::testing {

struct SqliteBackend {
  static constexpr std::string_view kName = "sqlite";
};
struct PostgresBackend {
  static constexpr std::string_view kName = "postgresql";
};

// A store opened for one test, with what it takes to open its database again.
class TestStore {
 public:
  // Empty when the backend is not available here (skip_reason() says why).
  explicit operator bool() const { return store_ != nullptr; }
  const std::string& skip_reason() const { return skip_reason_; }
  const std::string& backend() const { return backend_; }
  // The database: a file path (SQLite) or a postgresql:// URL.
  const std::string& location() const { return location_; }

  store::Store& operator*() { return *store_; }
  store::Store* operator->() { return store_.get(); }
  store::Store* get() { return store_.get(); }

  // Closes the store and opens the same database again (what a restart sees). Fails the test
  // when it does not open.
  void Reopen();
  // Closes the store (its destructor commits what is queued); OpenAnother still works.
  void Close() { store_.reset(); }
  // A second, independent store on the same database (another process or node).
  std::unique_ptr<store::Store> OpenAnother() const;

 private:
  friend TestStore OpenTestStore(std::string_view backend);
  std::string backend_;
  std::string skip_reason_;
  std::string location_;
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<store::Store> store_;
};

// A fresh store of `backend` ("sqlite" or "postgresql"). Fails the test when the database
// cannot be opened; empty (with a skip reason) when PostgreSQL is not installed.
TestStore OpenTestStore(std::string_view backend);

template <typename Backend>
TestStore OpenTestStore() {
  return OpenTestStore(Backend::kName);
}

}  // namespace hamlet::testing

TYPE_TO_STRING_AS("sqlite", hamlet::testing::SqliteBackend);
TYPE_TO_STRING_AS("postgresql", hamlet::testing::PostgresBackend);

// Opens a fresh store for `Backend` into `var`, or skips the test case (CTest: Skipped) when
// that backend is not available here.
#define HAMLET_OPEN_TEST_STORE(var, Backend)                                      \
  ::hamlet::testing::TestStore var = ::hamlet::testing::OpenTestStore<Backend>(); \
  if (!var) HAMLET_SKIP(var.skip_reason())
