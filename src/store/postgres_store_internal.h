// Internals of the PostgreSQL store, shared by its .cc files: a libpq connection with a cache of
// prepared statements, parameters and result rows behind the shared codec's interfaces, and the
// bounded connection pool. libpq-fe.h itself is included only by postgres_store_connection.cc;
// this header forward-declares libpq's handle types. Not for use outside src/store/.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "store/fault_counters.h"
#include "store/row_codec.h"
#include "store/sql_filter.h"  // BindValue
#include "store/store.h"

struct pg_conn;
struct pg_result;

namespace hamlet::store::internal {

// Text as stored in PostgreSQL, whose TEXT holds only valid UTF-8 without NUL bytes, while the
// store keeps any bytes (as SQLite does): every NUL, byte 0x01 and byte that is not part of
// valid UTF-8 becomes 0x01 followed by its two lowercase hex digits. Valid UTF-8 without those
// two bytes (nearly all text) is stored unchanged, so SQL on it (search, comparisons) works.
std::string PgEscapeText(std::string_view text);
// The inverse of PgEscapeText.
std::string PgUnescapeText(std::string_view text);

// Parameter values for one statement, in PostgreSQL's text format (nullopt is NULL); text is
// escaped with PgEscapeText.
class PgParams final : public ParamSink {
 public:
  void BindText(int index, std::string_view value) override;
  void BindInt(int index, int64_t value) override;
  void BindDouble(int index, double value) override;
  void BindNull(int index) override;
  // As BYTEA's hex input form, "\\x0a1b...": text parameters need no escaping then.
  void BindBlob(int index, std::string_view bytes) override;

  const std::vector<std::optional<std::string>>& values() const { return values_; }
  const std::string& error() const { return error_; }

 private:
  std::optional<std::string>& Slot(int index);
  std::vector<std::optional<std::string>> values_;
  std::string error_;
};

// A query's result rows (text format). Owns the PGresult.
class PgResult {
 public:
  explicit PgResult(pg_result* result);
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  // Rows affected by an INSERT/UPDATE/DELETE.
  int64_t affected() const;

  // One row of the result, as the codec reads it.
  class Row final : public RowSource {
   public:
    Row(const pg_result* result, int row) : result_(result), row_(row) {}
    bool ColumnIsNull(int col) const override;
    int64_t ColumnInt(int col) const override;
    double ColumnDouble(int col) const override;
    std::string ColumnText(int col) const override;
    // BYTEA in its hex output form (bytea_output = hex, the default since 9.0; set per
    // connection); "" when the text is not in that form.
    std::string ColumnBlob(int col) const override;

   private:
    const pg_result* result_;
    int row_;
  };
  Row row(int i) const { return Row(result_, i); }
  const pg_result* raw() const { return result_; }

 private:
  pg_result* result_;
};

// Reads every row of `result` with `read` (a Result<T>(const RowSource&)).
template <typename T, typename Read>
core::Result<std::vector<T>> ReadRows(const PgResult& result, Read read) {
  std::vector<T> out;
  out.reserve(static_cast<size_t>(result.rows()));
  for (int i = 0; i < result.rows(); ++i) {
    core::Result<T> value = read(result.row(i));
    if (!value) return value.error();
    out.push_back(std::move(value).value());
  }
  return out;
}

// The first row read with `read`, or nullopt when there is none.
template <typename T, typename Read>
core::Result<std::optional<T>> ReadFirstRow(const PgResult& result, Read read) {
  if (result.rows() == 0) return std::optional<T>();
  core::Result<T> value = read(result.row(0));
  if (!value) return value.error();
  return std::optional<T>(std::move(value).value());
}

// Every row of the result `run()` returns, read with `read`; errors (the query's or a row's) get
// `context` in front.
template <typename T, typename Run, typename Read>
core::Result<std::vector<T>> Rows(Run&& run, std::string_view context, Read read) {
  core::Result<PgResult> r = run();
  if (!r) return WithContext(r.error(), context);
  auto rows = ReadRows<T>(*r, read);
  if (!rows) return WithContext(rows.error(), context);
  return rows;
}

// The first row of the result `run()` returns, or nullopt; errors get `context` in front.
template <typename T, typename Run, typename Read>
core::Result<std::optional<T>> FirstRow(Run&& run, std::string_view context, Read read) {
  core::Result<PgResult> r = run();
  if (!r) return WithContext(r.error(), context);
  auto row = ReadFirstRow<T>(*r, read);
  if (!row) return WithContext(row.error(), context);
  return row;
}

// One libpq connection. Not thread-safe: the pool lends it to one thread at a time.
class PgConnection {
 public:
  // Connects to `url` (a libpq connection string or postgresql:// URI). With
  // `lock_timeout_ms` > 0 the session's statements give up waiting for a lock after that long
  // (SQLSTATE 55P03, FaultKind::kLocked); 0 keeps the server's setting. Unavailable naming
  // libpq's reason when the server cannot be reached.
  static core::Result<std::unique_ptr<PgConnection>> Open(const std::string& url,
                                                          FaultCounters* faults,
                                                          int lock_timeout_ms = 0);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql` (SQLite-style ?1, ?2 ... parameters, rewritten to $1, $2 ...) as a prepared
  // statement, prepared once per connection and then reused.
  core::Result<PgResult> Query(const std::string& sql, const PgParams& params = {});
  // Runs constant SQL (no values!) with the simple protocol: BEGIN, COMMIT, migrations.
  core::Status Exec(const std::string& sql);

  // False once the connection to the server is lost.
  bool Healthy() const;
  bool InTransaction() const;
  // Healthy, and its session has not refused a write as read-only. A session's read-only
  // default (a standby, or default_transaction_read_only set on the database) is fixed when it
  // connects: once the server is writable again only a new connection can write, so the pool
  // drops a connection that is not reusable.
  bool Reusable() const;

  // Maps a failed result (or, with null, the connection's own error) to a Status: integrity
  // and data errors are InvalidArgument (the caller's), a lost or refused connection, a
  // server shutting down, lock and serialization failures, a read-only transaction and a full
  // disk are Unavailable; anything else Internal. Every error that is not the caller's is
  // counted in the FaultCounters given to Open.
  core::Status Error(const pg_result* result) const;

 private:
  PgConnection(pg_conn* conn, FaultCounters* faults) : conn_(conn), faults_(faults) {}
  pg_conn* conn_;
  FaultCounters* faults_;
  mutable bool refused_read_only_ = false;  // set by Error(), which reports that fault
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
};

// `sql` with SQLite-style ?N parameters as PostgreSQL's $N (outside quoted text).
std::string PgPlaceholders(std::string_view sql);

// A bounded pool of connections to one server. Connections are made on demand up to
// `max_size`; a caller beyond that waits up to `wait` for one to come back. A connection found
// broken (the server restarted) or read-only (a standby) is dropped when it comes back, so the
// next caller gets a fresh one: the pool recovers from a restart or a promotion by itself.
// Thread-safety: all methods may be called from any thread.
class PgPool {
 public:
  // Its connections are opened with `lock_timeout_ms` (see PgConnection::Open).
  PgPool(std::string url, int max_size, std::chrono::milliseconds wait, FaultCounters* faults,
         int lock_timeout_ms = 0);
  ~PgPool();

  // A connection lent to the caller until the lease is destroyed.
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    PgConnection& operator*() { return *conn_; }
    PgConnection* operator->() { return conn_.get(); }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  // Unavailable when no connection can be made, or none came back within `wait`.
  core::Result<Lease> Acquire();
  // Closes every idle connection: after one connection was found lost (a server restart),
  // the others made before it are most likely lost too, and the next Acquire connects afresh.
  void DropIdle();
  // Connections open now (lent and idle).
  int open_connections() const;

 private:
  void Return(std::unique_ptr<PgConnection> conn);

  const std::string url_;
  const int max_size_;
  const std::chrono::milliseconds wait_;
  FaultCounters* faults_;
  const int lock_timeout_ms_;
  mutable std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mu_
  int open_ = 0;                                     // guarded by mu_
};

}  // namespace hamlet::store::internal
