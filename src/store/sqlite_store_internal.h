// Internals of the SQLite store, shared by its .cc files: a connection with a statement cache,
// a borrowed prepared statement, and the row <-> record codec. sqlite3.h itself is included
// only by sqlite_store.cc, which implements Connection and Statement; this header only
// forward-declares SQLite's handle types. Not for use outside src/store/ and tests/store/.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "core/comment.h"
#include "core/decision.h"
#include "core/status.h"
#include "store/fault_counters.h"
#include "store/row_codec.h"
#include "store/sql_filter.h"
#include "store/sqlite_store.h"
#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hamlet::store::internal {

class Connection;

// A prepared statement borrowed from a Connection's cache. Destroying the handle resets the
// statement and clears its bindings, so the next borrower finds it fresh. Bind errors are
// kept and reported by the next Step(). Indexes: parameters 1-based, columns 0-based.
class Statement final : public ParamSink, public RowSource {
 public:
  Statement(sqlite3_stmt* stmt, const Connection* conn) : stmt_(stmt), conn_(conn) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement() override;

  void BindText(int index, std::string_view value) override;
  void BindInt(int index, int64_t value) override;
  void BindDouble(int index, double value) override;
  void BindNull(int index) override;
  // Bytes as a BLOB (BindText would store TEXT): the model registry's files.
  void BindBlob(int index, std::string_view bytes) override;

  // true when a row is ready, false when the statement is done.
  core::Result<bool> Step();
  // Steps until done, ignoring rows (for INSERT/UPDATE).
  core::Status Run();

  bool ColumnIsNull(int col) const override;
  int64_t ColumnInt(int col) const override;
  double ColumnDouble(int col) const override;
  std::string ColumnText(int col) const override;
  // A BLOB column's bytes ("" for NULL).
  std::string ColumnBlob(int col) const override;

 private:
  sqlite3_stmt* stmt_;
  const Connection* conn_;
  int bind_rc_ = 0;  // first failing sqlite3_bind_* result, 0 (SQLITE_OK) when none
};

// One sqlite3 connection. Not thread-safe: the owner serializes all use with its own mutex.
class Connection {
 public:
  // Opens `path` read-write (creating it) or read-only, with extended result codes and the
  // busy timeout set. Errors are Unavailable/InvalidArgument naming the path. `faults`, when
  // not null, counts every server-side error this connection reports (see Error) and must
  // outlive it.
  static core::Result<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only,
                                                        int busy_timeout_ms,
                                                        FaultCounters* faults = nullptr);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql`, prepared once per connection and then reused.
  core::Result<Statement> Prepare(const std::string& sql);
  // Runs constant SQL (no values!): BEGIN, COMMIT, PRAGMA, migrations.
  core::Status Exec(const std::string& sql);
  // Runs one constant statement prepared once and cached (BEGIN and COMMIT of every batch),
  // skipping the parse that Exec repeats each time.
  core::Status RunCached(const std::string& sql);
  // The first column of the first row of constant SQL, e.g. a PRAGMA's value.
  core::Result<std::string> QueryText(const std::string& sql);
  core::Result<int64_t> QueryInt(const std::string& sql);

  bool IsReadOnly() const;
  bool InTransaction() const;
  // How long a statement waits for another connection's lock before failing as locked.
  void SetBusyTimeout(int ms);
  int64_t LastInsertRowid() const;
  int64_t Changes() const;

  // Maps a SQLite result code (and this connection's last error message and system errno)
  // to a Status: busy/locked, read-only, full, I/O errors and cannot-open are Unavailable;
  // constraint violations, too-big values and not-a-database InvalidArgument; anything else
  // (corruption included) Internal. An I/O error whose cause is a full disk (ENOSPC, EDQUOT)
  // counts as full; one whose cause is a file that may not be written (EROFS, EPERM, EACCES,
  // or the database or its WAL failing access(W_OK) that way) as read-only. The message is
  // SQLite's, except the fixed texts "database is locked", "database is read-only" and "database or
  // disk is full". Every error that is not the caller's (not InvalidArgument) is counted in the
  // FaultCounters given to Open.
  core::Status Error(int rc) const;

 private:
  Connection(sqlite3* db, FaultCounters* faults) : db_(db), faults_(faults) {}
  sqlite3* db_;
  FaultCounters* faults_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Steps `stmt` and reads at most one row with `read` (a Result<T>(const Statement&)).
template <typename T, typename Read>
core::Result<std::optional<T>> ReadOptional(Statement& stmt, Read read) {
  core::Result<bool> row = stmt.Step();
  if (!row) return row.error();
  if (!*row) return std::optional<T>();
  core::Result<T> value = read(stmt);
  if (!value) return value.error();
  return std::optional<T>(std::move(value).value());
}

// Steps `stmt` to the end, reading every row with `read`.
template <typename T, typename Read>
core::Result<std::vector<T>> ReadAll(Statement& stmt, Read read) {
  std::vector<T> out;
  for (;;) {
    core::Result<bool> row = stmt.Step();
    if (!row) return row.error();
    if (!*row) return out;
    core::Result<T> value = read(stmt);
    if (!value) return value.error();
    out.push_back(std::move(value).value());
  }
}

// --- Decision filters (sqlite_store_filter.cc; the shared part in sql_filter.h)

// SQLite's spelling of the filter terms (instr, FTS5).
const FilterDialect& SqliteFilterDialect();
// The FTS5 MATCH expression for a DecisionFilter::text query; InvalidArgument for unbalanced
// quotes or a query without a word.
core::Result<std::string> FtsMatchExpression(std::string_view text);

}  // namespace hamlet::store::internal

namespace hamlet::store {

// The connection reads go to, locked for the lifetime of this object.
class SqliteStore::ReadLock {
 public:
  explicit ReadLock(SqliteStore& store)
      : lock_(store.reader_ ? store.read_mu_ : store.write_mu_),
        conn_(store.reader_ ? *store.reader_ : *store.writer_) {}
  internal::Connection& conn() { return conn_; }

 private:
  std::unique_lock<std::mutex> lock_;
  internal::Connection& conn_;
};

}  // namespace hamlet::store
