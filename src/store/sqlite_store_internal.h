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
#include <variant>
#include <utility>
#include <vector>

#include "core/comment.h"
#include "core/decision.h"
#include "core/status.h"
#include "store/sqlite_store.h"
#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hamlet::store::internal {

// `status` with `context + ": "` put in front of its message, same code.
core::Status WithContext(const core::Status& status, std::string_view context);

class Connection;

// Database errors by FaultKind, shared by a store's connections (StoreStats::faults).
class FaultCounters {
 public:
  void Count(FaultKind kind) {
    counts_[static_cast<size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
  }
  std::array<uint64_t, kFaultKindCount> Read() const {
    std::array<uint64_t, kFaultKindCount> out{};
    for (size_t i = 0; i < kFaultKindCount; ++i)
      out[i] = counts_[i].load(std::memory_order_relaxed);
    return out;
  }

 private:
  std::array<std::atomic<uint64_t>, kFaultKindCount> counts_{};
};

// A prepared statement borrowed from a Connection's cache. Destroying the handle resets the
// statement and clears its bindings, so the next borrower finds it fresh. Bind errors are
// kept and reported by the next Step(). Indexes: parameters 1-based, columns 0-based.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, const Connection* conn) : stmt_(stmt), conn_(conn) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  void BindText(int index, std::string_view value);
  void BindInt(int index, int64_t value);
  void BindDouble(int index, double value);
  void BindNull(int index);
  // Our id columns hold NULL for "none"; in records that is 0 (or an empty string).
  void BindIdOrNull(int index, int64_t id);
  void BindTextOrNull(int index, std::string_view value);

  // true when a row is ready, false when the statement is done.
  core::Result<bool> Step();
  // Steps until done, ignoring rows (for INSERT/UPDATE).
  core::Status Run();

  bool ColumnIsNull(int col) const;
  int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  std::string ColumnText(int col) const;

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

// --- Row codec (sqlite_store_codec.cc). Column order is fixed by the SQL texts below.

// JSON text for the `fields` columns: [["name","value"], ...] in order. Bytes that are not
// valid UTF-8 are replaced by U+FFFD (JSON cannot carry them); the typed columns keep them.
std::string EncodeFields(const core::FieldList& fields);
// Internal when `json` is not such a list.
core::Result<core::FieldList> DecodeFields(std::string_view json);
// JSON text for decisions.reasons: [{"check":..., "contribution":..., "detail":...}, ...].
std::string EncodeReasons(const std::vector<core::Reason>& reasons);
core::Result<std::vector<core::Reason>> DecodeReasons(std::string_view json);

// "(SELECT label ...)": the label of decision d's latest feedback that no undo revoked, NULL
// when there is none.
const std::string& LatestLabelSql();
// "SELECT <every decision column>, <latest feedback label> FROM decisions d", to which
// callers append WHERE/ORDER BY clauses.
const std::string& DecisionSelectSql();
// INSERT INTO decisions with one parameter per column, for BindDecision.
const std::string& DecisionInsertSql();
void BindDecision(Statement& stmt, const DecisionRecord& record, const std::string& reasons_json,
                  const std::string& fields_json);
core::Result<DecisionRecord> ReadDecision(const Statement& stmt);
// The three memory_* columns (lesson, fingerprint, traits) from parameter/column `first` on;
// NULL traits mean "no trace".
void BindMemoryTrace(Statement& stmt, int first, const std::optional<MemoryTrace>& trace);
std::optional<MemoryTrace> ReadMemoryTrace(const Statement& stmt, int first);

const std::string& FeedbackSelectSql();  // "SELECT ... FROM feedback f"
const std::string& FeedbackInsertSql();
void BindFeedback(Statement& stmt, const FeedbackRecord& record, const std::string& fields_json);
core::Result<FeedbackRecord> ReadFeedback(const Statement& stmt);

const std::string& SiteKeySelectSql();  // "SELECT ... FROM site_keys k"
// Internal when the row's role is not one this build knows.
core::Result<SiteKey> ReadSiteKey(const Statement& stmt);

// --- Decision filters (sqlite_store_filter.cc)

// A value to bind to one parameter.
using BindValue = std::variant<int64_t, double, std::string>;

// " AND ..." terms for decisions aliased `d` selecting what `filter` selects (its limit,
// offset and order aside), with the values for ?1, ?2 ... in order.
struct FilterSql {
  std::string where;  // "WHERE 1 AND ..."
  std::vector<BindValue> values;
};
// InvalidArgument when the text query has unbalanced quotes or no word in it.
core::Result<FilterSql> BuildDecisionFilter(const DecisionFilter& filter);
// " ORDER BY ..." for filter.order.
std::string_view OrderBySql(DecisionOrder order);
// Binds `values` to ?first, ?first+1 ...
void BindValues(Statement& stmt, const std::vector<BindValue>& values, int first = 1);
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
