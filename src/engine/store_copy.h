// StoreCopy: moves a whole installation from one store to another (`hamlet migrate`, SQLite to
// PostgreSQL and back): every table's rows with their ids, in bounded batches, then a count
// check per table. Backend-neutral: it sees only store::Store.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace hamlet::engine {

// One table's counts: rows in the source before and after the copy, rows copied, rows in the
// destination after it. The check holds when all four agree.
struct TableCopyCount {
  store::InstallTable table = store::InstallTable::kMeta;
  int64_t source = 0;
  int64_t source_after = 0;
  int64_t copied = 0;
  int64_t destination = 0;
  bool ok() const { return source == source_after && copied == source && destination == source; }
};

struct CopyReport {
  std::vector<TableCopyCount> tables;  // in store::kInstallTables order
  // ListEntriesRevision of each side after the copy; they agree when the check holds.
  int64_t source_list_revision = 0;
  int64_t destination_list_revision = 0;
  bool ok() const;
};

struct CopyOptions {
  // Rows read and written per transaction: memory stays bounded by one batch. >= 1.
  int batch_rows = 1000;
  // Called after each batch is written (for progress output); may be empty.
  std::function<void(store::InstallTable table, int64_t copied, int64_t total)> progress;
};

// The destination's rows per table, and why it is not empty: "" when every table is empty.
struct EmptinessCheck {
  std::vector<std::pair<store::InstallTable, int64_t>> rows;
  bool empty() const;
  std::string Describe() const;  // "site_keys 2, decisions 10"
};
core::Result<EmptinessCheck> CheckEmpty(store::Store& store);

// Copies every row of `from` into `to`, tables in store::kInstallTables order, each batch in
// one transaction of `to`, then counts both sides. `to` must be empty (every table, meta
// included): InvalidArgument naming what it holds otherwise. Nothing should write to either
// store meanwhile (stop hamletd): a write to the source shows up as a failed count check.
// A failure midway returns the error, naming the table and the rows copied so far; `to` then
// holds a partial copy to drop before running again. A finished copy whose counts disagree is
// not an error: the report says so (CopyReport::ok()).
core::Result<CopyReport> CopyInstallation(store::Store& from, store::Store& to,
                                          const CopyOptions& options);

}  // namespace hamlet::engine
