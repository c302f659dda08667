// SqliteStore: moving an installation (hamlet migrate): counting, exporting and importing
// every table's rows as stored. The SQL and codec are shared (install_rows.h).
#include "store/install_rows.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::Connection;
using internal::WithContext;

Result<int64_t> SqliteStore::CountInstallRows(InstallTable table) {
  const std::string context = "count " + std::string(InstallTableName(table));
  ReadLock lock(*this);
  auto count = lock.conn().QueryInt(internal::CountRowsSql(table));
  if (!count) return WithContext(count.error(), context);
  return count;
}

Result<InstallPage> SqliteStore::ExportInstallRows(InstallTable table, int64_t after, int limit) {
  const std::string context = "export " + std::string(InstallTableName(table));
  if (limit < 1) return Status::InvalidArgument(context + ": limit must be at least 1");
  // The rowid is the insertion order (decisions have no INTEGER PRIMARY KEY to reuse it).
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(internal::ExportPageSql(table, "rowid"));
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, after);
  stmt->BindInt(2, limit);
  internal::ExportPageReader reader(table, after);
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row) return WithContext(row.error(), context);
    if (!*row) break;
    if (Status s = reader.Add(*stmt); !s.ok()) return WithContext(s, context);
  }
  return std::move(reader).Finish(limit);
}

Status SqliteStore::ImportInstallRows(const InstallRows& rows) {
  // Ids given explicitly: SQLite's next rowid is max(id) + 1 by itself.
  Status s = WriteTransaction([&](Connection& db) -> Status {
    return internal::ForEachImportStatement(
        rows, [&](const std::string& sql, const std::function<void(internal::ParamSink&)>& bind) {
          auto stmt = db.Prepare(sql);
          if (!stmt) return stmt.error();
          bind(*stmt);
          return stmt->Run();
        });
  });
  return WithContext(s, "import");
}

}  // namespace hamlet::store
