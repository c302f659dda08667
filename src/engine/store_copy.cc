// Copying an installation between stores, batch by batch, with a count check per table.
#include "engine/store_copy.h"

#include <algorithm>
#include <string>
#include <utility>

namespace hamlet::engine {

bool CopyReport::ok() const {
  for (const TableCopyCount& t : tables) {
    if (!t.ok()) return false;
  }
  return source_list_revision == destination_list_revision;
}

bool EmptinessCheck::empty() const {
  for (const auto& [table, count] : rows) {
    if (count != 0) return false;
  }
  return true;
}

std::string EmptinessCheck::Describe() const {
  std::string out;
  for (const auto& [table, count] : rows) {
    if (count == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::string(store::InstallTableName(table)) + " " + std::to_string(count);
  }
  return out;
}

core::Result<EmptinessCheck> CheckEmpty(store::Store& store) {
  EmptinessCheck check;
  for (store::InstallTable table : store::kInstallTables) {
    auto count = store.CountInstallRows(table);
    if (!count) return count.error();
    check.rows.emplace_back(table, *count);
  }
  return check;
}

namespace {

// `status` with the table and the rows copied so far in front of its message, same code.
core::Status WithTable(const core::Status& status, store::InstallTable table, int64_t copied) {
  std::string msg = "copying " + std::string(store::InstallTableName(table)) + " (after " +
                    std::to_string(copied) + " rows): " + status.message() +
                    " (the destination holds a partial copy: drop it, create it empty and run "
                    "again)";
  switch (status.code()) {
    case core::StatusCode::kInvalidArgument:
      return core::Status::InvalidArgument(std::move(msg));
    case core::StatusCode::kNotFound:
      return core::Status::NotFound(std::move(msg));
    case core::StatusCode::kUnavailable:
      return core::Status::Unavailable(std::move(msg));
    case core::StatusCode::kOk:
    case core::StatusCode::kUnauthenticated:
    case core::StatusCode::kPermissionDenied:
    case core::StatusCode::kInternal:
      break;
  }
  return core::Status::Internal(std::move(msg));
}

// A published model is a whole model file (megabytes): a page of them stays small.
constexpr int kModelsPerBatch = 2;

// Copies one table page by page; returns the rows copied.
core::Result<int64_t> CopyTable(store::Store& from, store::Store& to, store::InstallTable table,
                                int64_t total, const CopyOptions& options) {
  const int batch = table == store::InstallTable::kPublishedModels
                        ? std::min(options.batch_rows, kModelsPerBatch)
                        : options.batch_rows;
  int64_t after = 0;
  int64_t copied = 0;
  for (;;) {
    auto page = from.ExportInstallRows(table, after, batch);
    if (!page) return WithTable(page.error(), table, copied);
    const int64_t rows = static_cast<int64_t>(page->rows.size());
    if (rows > 0) {
      if (core::Status s = to.ImportInstallRows(page->rows); !s.ok()) {
        return WithTable(s, table, copied);
      }
      copied += rows;
      if (options.progress) options.progress(table, copied, total);
    }
    if (page->done || rows == 0) return copied;
    after = page->next;
  }
}

}  // namespace

core::Result<CopyReport> CopyInstallation(store::Store& from, store::Store& to,
                                          const CopyOptions& options) {
  if (options.batch_rows < 1) {
    return core::Status::InvalidArgument("the batch size must be at least 1");
  }
  auto destination = CheckEmpty(to);
  if (!destination) return destination.error();
  if (!destination->empty()) {
    return core::Status::InvalidArgument("the destination is not empty (" +
                                         destination->Describe() + "): give a new, empty database");
  }
  CopyReport report;
  for (store::InstallTable table : store::kInstallTables) {
    TableCopyCount count;
    count.table = table;
    auto source = from.CountInstallRows(table);
    if (!source) return source.error();
    count.source = *source;
    auto copied = CopyTable(from, to, table, count.source, options);
    if (!copied) return copied.error();
    count.copied = *copied;
    report.tables.push_back(count);
  }
  // The list revision last: caches compare it, so it must not go back after a move.
  auto revision = from.ListEntriesRevision();
  if (!revision) return revision.error();
  report.source_list_revision = *revision;
  store::InstallRows revision_only;
  revision_only.list_revision = *revision;
  if (core::Status s = to.ImportInstallRows(revision_only); !s.ok()) return s;
  // The check: both sides counted again after everything was written.
  for (TableCopyCount& count : report.tables) {
    auto source = from.CountInstallRows(count.table);
    if (!source) return source.error();
    count.source_after = *source;
    auto copied = to.CountInstallRows(count.table);
    if (!copied) return copied.error();
    count.destination = *copied;
  }
  auto destination_revision = to.ListEntriesRevision();
  if (!destination_revision) return destination_revision.error();
  report.destination_list_revision = *destination_revision;
  return report;
}

}  // namespace hamlet::engine
