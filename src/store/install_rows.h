// The part of moving an installation (Store::ExportInstallRows / ImportInstallRows) both SQL
// backends share: the SQL of each table's pages and inserts, reading rows into an InstallPage
// and binding them. Each backend runs the statements on its own connection and supplies only
// what differs: the column that gives decisions their insertion order. Not for use outside
// src/store/ and tests/store/.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/row_codec.h"
#include "store/store.h"

namespace hamlet::store::internal {

// SELECT of one page of `table`, parameters ?1 (after: the last page's position) and ?2
// (limit), in write order. `decision_order` is the decisions column holding insertion order
// ("rowid" in SQLite, "seq" in PostgreSQL).
std::string ExportPageSql(InstallTable table, std::string_view decision_order);

// Collects the rows of one ExportPageSql result into an InstallPage.
class ExportPageReader {
 public:
  ExportPageReader(InstallTable table, int64_t after) : table_(table), next_(after) {}
  // Reads one result row; Internal for a row the codec cannot read (a corrupt column).
  core::Status Add(const RowSource& row);
  // The page; `limit` tells whether rows may follow.
  InstallPage Finish(int limit) &&;

 private:
  InstallTable table_;
  int64_t next_;
  InstallPage page_;
};

// "SELECT count(*) FROM <table>".
std::string CountRowsSql(InstallTable table);

// Calls `run(sql, bind, what)` for each statement that writes `rows`, tables in
// kInstallTables order, the list revision last; `bind` fills the parameters, `what` names the
// row for messages ("decision 0f3a...", "feedback 12"). Stops at and returns the first error,
// with `what` in front of it.
using ImportStatementRunner = std::function<core::Status(
    const std::string& sql, const std::function<void(ParamSink&)>& bind)>;
core::Status ForEachImportStatement(const InstallRows& rows, const ImportStatementRunner& run);

// The tables whose `id` comes from a counter (an identity column in PostgreSQL) that an import
// with explicit ids must move past, among those `rows` writes to.
std::vector<InstallTable> TablesWithImportedIds(const InstallRows& rows);

}  // namespace hamlet::store::internal
