// PostgresStore: moving an installation (hamlet migrate): counting, exporting and importing
// every table's rows as stored. The SQL and codec are shared (install_rows.h); what is
// PostgreSQL's own: decisions' insertion order is `seq`, and the identity counters must be
// moved past ids imported explicitly.
#include "store/install_rows.h"
#include "store/postgres_store.h"
#include "store/postgres_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::PgConnection;
using internal::PgParams;
using internal::WithContext;

Result<int64_t> PostgresStore::CountInstallRows(InstallTable table) {
  const std::string context = "count " + std::string(InstallTableName(table));
  auto r = Read(internal::CountRowsSql(table), PgParams());
  if (!r) return WithContext(r.error(), context);
  return r->row(0).ColumnInt(0);
}

Result<InstallPage> PostgresStore::ExportInstallRows(InstallTable table, int64_t after, int limit) {
  const std::string context = "export " + std::string(InstallTableName(table));
  if (limit < 1) return Status::InvalidArgument(context + ": limit must be at least 1");
  PgParams p;
  p.BindInt(1, after);
  p.BindInt(2, limit);
  auto r = Read(internal::ExportPageSql(table, "seq"), p);
  if (!r) return WithContext(r.error(), context);
  internal::ExportPageReader reader(table, after);
  for (int i = 0; i < r->rows(); ++i) {
    if (Status s = reader.Add(r->row(i)); !s.ok()) return WithContext(s, context);
  }
  return std::move(reader).Finish(limit);
}

Status PostgresStore::ImportInstallRows(const InstallRows& rows) {
  Status s = Transaction([&](PgConnection& db) -> Status {
    Status written = internal::ForEachImportStatement(
        rows, [&](const std::string& sql, const std::function<void(internal::ParamSink&)>& bind) {
          PgParams p;
          bind(p);
          auto r = db.Query(sql, p);
          return r ? Status::Ok() : r.error();
        });
    if (!written.ok()) return written;
    // An identity column hands out its next value regardless of ids inserted explicitly.
    for (InstallTable table : internal::TablesWithImportedIds(rows)) {
      const std::string name(InstallTableName(table));
      auto r = db.Query("SELECT setval(pg_get_serial_sequence('" + name +
                        "', 'id'), max(id)) FROM " + name);
      if (!r) return WithContext(r.error(), "move the id counter of " + name);
    }
    return Status::Ok();
  });
  return WithContext(s, "import");
}

}  // namespace hamlet::store
