// SqliteStore's per-site settings: a small name/value table read whole by the engine's cache.
#include "store/sqlite_store.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::Statement;
using internal::WithContext;

Result<std::vector<SiteSetting>> SqliteStore::ListSiteSettings() {
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(
      "SELECT site_url, name, value, updated_ms FROM site_settings ORDER BY site_url, name");
  if (!stmt) return WithContext(stmt.error(), "read site settings");
  std::vector<SiteSetting> out;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row) return WithContext(row.error(), "read site settings");
    if (!*row) return out;
    out.push_back(
        {stmt->ColumnText(0), stmt->ColumnText(1), stmt->ColumnText(2), stmt->ColumnInt(3)});
  }
}

Status SqliteStore::PutSiteSetting(const SiteSetting& setting) {
  const std::string context = "store site setting " + setting.name;
  if (setting.name.empty()) return Status::InvalidArgument(context + ": the name is empty");
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->Prepare(
      "INSERT INTO site_settings (site_url, name, value, updated_ms) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (site_url, name) DO UPDATE SET value = excluded.value, "
      "updated_ms = excluded.updated_ms");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindText(1, setting.site_url);
  stmt->BindText(2, setting.name);
  stmt->BindText(3, setting.value);
  stmt->BindInt(4, setting.updated_ms);
  if (Status s = stmt->Run(); !s.ok()) return WithContext(s, context);
  return Status::Ok();
}

Status SqliteStore::DeleteSiteSetting(const std::string& site_url, const std::string& name) {
  const std::string context = "delete site setting " + name;
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->Prepare("DELETE FROM site_settings WHERE site_url = ?1 AND name = ?2");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindText(1, site_url);
  stmt->BindText(2, name);
  if (Status s = stmt->Run(); !s.ok()) return WithContext(s, context);
  if (writer_->Changes() == 0) {
    return Status::NotFound(context + ": not set for " +
                            (site_url.empty() ? std::string("all sites") : site_url));
  }
  return Status::Ok();
}

}  // namespace hamlet::store
