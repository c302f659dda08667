// SqliteStore's allow/block list entries: a small table the engine reads whole when its
// revision counter (kept by triggers, see schema.cc version 5) moves.
#include "store/sqlite_store.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::WithContext;

Result<std::vector<ListEntry>> SqliteStore::ListListEntries() {
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(
      "SELECT id, site_url, list, kind, value, note, added_by, created_ms FROM list_entries "
      "ORDER BY site_url, list, kind, value");
  if (!stmt) return WithContext(stmt.error(), "read list entries");
  std::vector<ListEntry> out;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row) return WithContext(row.error(), "read list entries");
    if (!*row) return out;
    out.push_back({stmt->ColumnInt(0), stmt->ColumnText(1), stmt->ColumnText(2),
                   stmt->ColumnText(3), stmt->ColumnText(4), stmt->ColumnText(5),
                   stmt->ColumnText(6), stmt->ColumnInt(7)});
  }
}

Result<int64_t> SqliteStore::ListEntriesRevision() {
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare("SELECT revision FROM list_revision WHERE id = 1");
  if (!stmt) return WithContext(stmt.error(), "read list revision");
  Result<bool> row = stmt->Step();
  if (!row) return WithContext(row.error(), "read list revision");
  if (!*row) return Status::Internal("read list revision: the list_revision row is missing");
  return stmt->ColumnInt(0);
}

Result<std::vector<int64_t>> SqliteStore::AddListEntries(const std::vector<ListEntry>& entries) {
  const std::string context = "add list entries";
  for (const ListEntry& e : entries) {
    if (e.list.empty() || e.kind.empty() || e.value.empty()) {
      return Status::InvalidArgument(context + ": list, kind and value must not be empty");
    }
  }
  std::lock_guard lock(write_mu_);
  if (Status s = writer_->Exec("BEGIN IMMEDIATE"); !s.ok()) return WithContext(s, context);
  std::vector<int64_t> ids;
  ids.reserve(entries.size());
  Status status;
  for (const ListEntry& e : entries) {
    auto stmt = writer_->Prepare(
        "INSERT INTO list_entries (site_url, list, kind, value, note, added_by, created_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
        "ON CONFLICT (site_url, list, kind, value) DO NOTHING");
    if (!stmt) {
      status = stmt.error();
      break;
    }
    stmt->BindText(1, e.site_url);
    stmt->BindText(2, e.list);
    stmt->BindText(3, e.kind);
    stmt->BindText(4, e.value);
    stmt->BindText(5, e.note);
    stmt->BindText(6, e.added_by);
    stmt->BindInt(7, e.created_ms);
    if (status = stmt->Run(); !status.ok()) break;
    ids.push_back(writer_->Changes() > 0 ? writer_->LastInsertRowid() : 0);
  }
  if (status.ok()) status = writer_->Exec("COMMIT");
  if (!status.ok()) {
    if (writer_->InTransaction()) (void)writer_->Exec("ROLLBACK");
    return WithContext(status, context);
  }
  return ids;
}

Status SqliteStore::RemoveListEntry(const std::string& site_url, const std::string& list,
                                    const std::string& kind, const std::string& value) {
  const std::string context = "remove " + list + " " + kind + " entry";
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->Prepare(
      "DELETE FROM list_entries WHERE site_url = ?1 AND list = ?2 AND kind = ?3 AND value = ?4");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindText(1, site_url);
  stmt->BindText(2, list);
  stmt->BindText(3, kind);
  stmt->BindText(4, value);
  if (Status s = stmt->Run(); !s.ok()) return WithContext(s, context);
  if (writer_->Changes() == 0) {
    return Status::NotFound(context + ": '" + value + "' is not on the " + list + " list of " +
                            (site_url.empty() ? std::string("every site") : site_url));
  }
  return Status::Ok();
}

}  // namespace hamlet::store
