// SqliteStore: opening (pragmas, schema checks, migrations) and the thin wrappers over the
// sqlite3 C API. This is the only file that includes sqlite3.h; queries live in
// sqlite_store_queries.cc and row conversions in sqlite_store_codec.cc.
#include "store/sqlite_store.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <optional>
#include <utility>

#include "store/schema.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {
namespace internal {

// --- Statement

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), conn_(other.conn_), bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

namespace {
// Keeps the first bind failure; later binds are still attempted but cannot hide it.
void Keep(int& first_rc, int rc) {
  if (first_rc == SQLITE_OK) first_rc = rc;
}
}  // namespace

void Statement::BindText(int index, std::string_view value) {
  Keep(bind_rc_, sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8));
}
void Statement::BindInt(int index, int64_t value) {
  Keep(bind_rc_, sqlite3_bind_int64(stmt_, index, value));
}
void Statement::BindDouble(int index, double value) {
  Keep(bind_rc_, sqlite3_bind_double(stmt_, index, value));
}
void Statement::BindNull(int index) { Keep(bind_rc_, sqlite3_bind_null(stmt_, index)); }
void Statement::BindBlob(int index, std::string_view bytes) {
  Keep(bind_rc_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
}

core::Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return conn_->Error(bind_rc_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return conn_->Error(rc);
}

core::Status Statement::Run() {
  for (;;) {
    core::Result<bool> row = Step();
    if (!row) return row.error();
    if (!*row) return core::Status::Ok();
  }
}

bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::ColumnText(int col) const {
  const unsigned char* text = sqlite3_column_text(stmt_, col);
  if (text == nullptr) return {};
  // Byte count, not strlen: values may hold NUL bytes.
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
std::string Statement::ColumnBlob(int col) const {
  const void* bytes = sqlite3_column_blob(stmt_, col);
  if (bytes == nullptr) return {};
  return std::string(static_cast<const char*>(bytes),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

// --- Connection

namespace {

// Each INSERT of a group-commit batch (it has a trigger and foreign keys) keeps a statement
// journal of the pages it changes, and SQLite spills one past 64 KiB to a temporary file: as
// many bytes written as the WAL itself (strace: 3,464 4-KB writes to /var/tmp/etilqs_* against
// 3,343 WAL frames). 4 MiB keeps a batch's journals in memory and still bounds what a large
// statement (a migration, a purge) holds. Process-wide, so set before SQLite initializes; if
// something initialized it first, journals spill as before (slower, not wrong).
void RaiseStatementJournalSpill() {
  static std::once_flag once;
  std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 4 << 20); });
}

}  // namespace

core::Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only,
                                                           int busy_timeout_ms,
                                                           FaultCounters* faults) {
  RaiseStatementJournalSpill();
  // NOMUTEX: each Connection is used under its owner's mutex, never concurrently.
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<Connection> conn(new Connection(db, faults));  // closes db on every path
  if (rc != SQLITE_OK) {
    if (db == nullptr) return core::Status::Unavailable("out of memory");
    return conn->Error(rc);
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);  // null-safe; every statement is finalized, so it does close
}

core::Result<Statement> Connection::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()) + 1,
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(rc);
    it = cache_.emplace(sql, stmt).first;
  }
  return Statement(it->second, this);
}

core::Status Connection::RunCached(const std::string& sql) {
  core::Result<Statement> stmt = Prepare(sql);
  if (!stmt) return stmt.error();
  return stmt->Run();
}

core::Status Connection::Exec(const std::string& sql) {
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? core::Status::Ok() : Error(rc);
}

namespace {
// Runs constant SQL and hands its first row (or nullptr when there is none) to `read`.
template <typename T, typename Read>
core::Result<T> QueryFirst(const Connection& conn, sqlite3* db, const std::string& sql, Read read) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr);
  if (rc != SQLITE_OK) return conn.Error(rc);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
  rc = sqlite3_step(raw);
  if (rc == SQLITE_DONE) return read(nullptr);
  if (rc != SQLITE_ROW) return conn.Error(rc);
  return read(raw);
}
}  // namespace

core::Result<std::string> Connection::QueryText(const std::string& sql) {
  return QueryFirst<std::string>(*this, db_, sql, [](sqlite3_stmt* row) {
    const unsigned char* text = row != nullptr ? sqlite3_column_text(row, 0) : nullptr;
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
  });
}

core::Result<int64_t> Connection::QueryInt(const std::string& sql) {
  return QueryFirst<int64_t>(*this, db_, sql, [](sqlite3_stmt* row) {
    return row != nullptr ? sqlite3_column_int64(row, 0) : int64_t{0};
  });
}

bool Connection::IsReadOnly() const { return sqlite3_db_readonly(db_, "main") == 1; }
bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
void Connection::SetBusyTimeout(int ms) { sqlite3_busy_timeout(db_, ms); }
int64_t Connection::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

namespace {

// The fault behind a SQLite result code; nullopt for the caller's errors (constraints, bad
// input, not a database). `sys_errno` refines I/O errors: the OS said why the file failed.
std::optional<FaultKind> FaultOf(int rc, int sys_errno) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return FaultKind::kLocked;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return FaultKind::kReadOnly;
    case SQLITE_FULL:
      return FaultKind::kFull;
    case SQLITE_IOERR:
      if (sys_errno == ENOSPC || sys_errno == EDQUOT) return FaultKind::kFull;
      if (sys_errno == EROFS || sys_errno == EPERM || sys_errno == EACCES) {
        return FaultKind::kReadOnly;
      }
      return FaultKind::kIo;
    case SQLITE_CANTOPEN:  // SQLite's message names what could not be opened
      return sys_errno == ENOSPC || sys_errno == EDQUOT ? FaultKind::kFull : FaultKind::kIo;
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
      return FaultKind::kIo;
    case SQLITE_CONSTRAINT:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_NOTADB:
      return std::nullopt;
    default:
      return FaultKind::kOther;
  }
}

}  // namespace

// True when the database file or its WAL exists and may not be written: a read-only file
// system, an immutable file, no permission. An I/O error then means exactly that (SQLite's
// own errno is often gone by the time the error is reported).
bool FilesRefuseWrites(sqlite3* db) {
  const char* file = db != nullptr ? sqlite3_db_filename(db, "main") : nullptr;
  if (file == nullptr || *file == '\0') return false;
  for (const std::string& path : {std::string(file), std::string(file) + "-wal"}) {
    if (::access(path.c_str(), W_OK) != 0 &&
        (errno == EROFS || errno == EPERM || errno == EACCES)) {
      return true;
    }
  }
  return false;
}

core::Status Connection::Error(int rc) const {
  std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  const int sys_errno = db_ != nullptr ? sqlite3_system_errno(db_) : 0;
  std::optional<FaultKind> fault = FaultOf(rc, sys_errno);
  if (fault == FaultKind::kIo && (rc & 0xff) == SQLITE_IOERR && FilesRefuseWrites(db_)) {
    fault = FaultKind::kReadOnly;
  }
  if (!fault) return core::Status::InvalidArgument(detail);
  if (faults_ != nullptr) faults_->Count(*fault);
  switch (*fault) {
    case FaultKind::kLocked:
      return core::Status::Unavailable("database is locked");
    case FaultKind::kReadOnly:
      return core::Status::Unavailable("database is read-only");
    case FaultKind::kFull:
      return core::Status::Unavailable("database or disk is full");
    case FaultKind::kIo:
      return core::Status::Unavailable(detail);
    case FaultKind::kOther:
      break;
  }
  return core::Status::Internal(detail);
}

}  // namespace internal

namespace {

using internal::Connection;
using internal::WithContext;

// The pragmas and schema checks of the write connection, then the pending migrations.
core::Status Prepare(Connection& db, const std::string& path, const SqliteOptions& options) {
  const std::string where = "database '" + path + "'";
  const bool in_memory = path == ":memory:";
  // The first statement to read the file: a non-SQLite file fails here.
  core::Result<int64_t> app_id = db.QueryInt("PRAGMA application_id");
  if (!app_id) {
    if (app_id.error().code() == core::StatusCode::kInvalidArgument) {
      return core::Status::InvalidArgument(
          "'" + path + "' is not a hamlet database: " + app_id.error().message());
    }
    return WithContext(app_id.error(), where);
  }
  core::Result<int64_t> tables = db.QueryInt("SELECT count(*) FROM sqlite_schema");
  if (!tables) return WithContext(tables.error(), where);
  if ((*app_id != 0 && *app_id != schema::kApplicationId) || (*app_id == 0 && *tables > 0)) {
    return core::Status::InvalidArgument("'" + path +
                                         "' is not a hamlet database: it is another "
                                         "program's SQLite database");
  }
  if (!options.read_only && db.IsReadOnly()) {
    return core::Status::Unavailable(where +
                                     " is read-only (the file or its folder is not writable)");
  }
  if (!in_memory && !options.read_only) {
    core::Result<std::string> mode = db.QueryText("PRAGMA journal_mode = WAL");
    if (!mode) return WithContext(mode.error(), where + ": setting WAL mode");
    if (*mode != "wal") {
      return core::Status::Unavailable(where + ": cannot use WAL journal mode (got '" + *mode +
                                       "')");
    }
  }
  // FULL: a commit is on disk before it returns, so an answered decision survives power loss.
  for (const char* pragma : {"PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
    if (core::Status s = db.Exec(pragma); !s.ok()) return WithContext(s, where);
  }
  if (options.max_bytes > 0) {
    core::Result<int64_t> page_size = db.QueryInt("PRAGMA page_size");
    if (!page_size) return WithContext(page_size.error(), where);
    const int64_t pages =
        std::max<int64_t>(1, options.max_bytes / std::max<int64_t>(1, *page_size));
    // An integer of ours, not a value: PRAGMAs take no parameters.
    if (core::Status s = db.Exec("PRAGMA max_page_count = " + std::to_string(pages)); !s.ok()) {
      return WithContext(s, where + ": setting the size limit");
    }
  }

  if (options.read_only) {
    core::Result<int64_t> version = db.QueryInt("PRAGMA user_version");
    if (!version) return WithContext(version.error(), where);
    if (*version == schema::LatestVersion()) return core::Status::Ok();
    if (*version > schema::LatestVersion()) {
      auto no_op = [](const schema::Migration&) { return core::Status::Ok(); };
      return WithContext(schema::Migrate(static_cast<int>(*version), no_op), where);
    }
    return core::Status::InvalidArgument(
        where + " has schema version " + std::to_string(*version) + " but this build needs " +
        std::to_string(schema::LatestVersion()) + "; open it once without read_only to migrate");
  }
  // One transaction for all migrations; IMMEDIATE so that two processes opening a new file
  // at once take turns instead of both migrating.
  if (core::Status s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) return WithContext(s, where);
  core::Result<int64_t> version = db.QueryInt("PRAGMA user_version");
  core::Status s =
      version
          ? schema::Migrate(static_cast<int>(*version),
                            [&db](const schema::Migration& m) {
                              core::Status st = db.Exec(std::string(m.sqlite));
                              if (!st.ok()) return st;
                              // An integer of ours, not a value: PRAGMAs
                              // take no parameters.
                              return db.Exec("PRAGMA user_version = " + std::to_string(m.version));
                            })
          : version.error();
  if (s.ok()) s = db.Exec("COMMIT");
  if (!s.ok()) {
    if (db.InTransaction()) (void)db.Exec("ROLLBACK");
    return WithContext(s, where + ": migrating the schema");
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                             const SqliteOptions& options) {
  if (path.empty()) return core::Status::InvalidArgument("database path is empty");
  if (options.max_batch < 1 || options.busy_timeout_ms < 0 || options.max_bytes < 0) {
    return core::Status::InvalidArgument(
        "database '" + path + "': max_batch must be >= 1, busy_timeout_ms and max_bytes >= 0");
  }
  const std::string where = "database '" + path + "'";
  auto faults = std::make_unique<internal::FaultCounters>();
  auto writer = Connection::Open(path, options.read_only, options.busy_timeout_ms, faults.get());
  if (!writer) return WithContext(writer.error(), "cannot open " + where);
  if (core::Status s = Prepare(**writer, path, options); !s.ok()) return s;

  std::unique_ptr<Connection> reader;
  if (path != ":memory:") {
    auto r = Connection::Open(path, /*read_only=*/true, options.busy_timeout_ms, faults.get());
    if (!r) return WithContext(r.error(), "cannot open " + where + " for reading");
    reader = std::move(r).value();
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(path, options, std::move(writer).value(),
                                                      std::move(reader), std::move(faults)));
}

SqliteStore::SqliteStore(std::string path, SqliteOptions options,
                         std::unique_ptr<Connection> writer, std::unique_ptr<Connection> reader,
                         std::unique_ptr<internal::FaultCounters> faults)
    : path_(std::move(path)),
      options_(options),
      faults_(std::move(faults)),
      writer_(std::move(writer)),
      reader_(std::move(reader)),
      queue_(options_.max_batch,
             [this](const std::vector<PendingWrite*>& batch) { CommitBatch(batch); }) {}

SqliteStore::~SqliteStore() {
  queue_.Stop();  // commits what is queued while both connections are still open
}

core::Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                     const SqliteOptions& options) {
  auto store = SqliteStore::Open(path, options);
  if (!store) return store.error();
  return std::unique_ptr<Store>(std::move(store).value());
}

}  // namespace hamlet::store
