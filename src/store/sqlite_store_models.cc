// SqliteStore's model registry: published model files as BLOBs in published_models, newest
// (highest id) in force. A single node polls it the same way a cluster does.
#include "store/row_codec.h"
#include "store/sqlite_store.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::WithContext;

Result<int64_t> SqliteStore::PublishModel(const PublishedModel& model) {
  const std::string context = "publish model " + model.version;
  if (Status s = internal::CheckPublishable(model); !s.ok()) return s;
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->Prepare(
      "INSERT INTO published_models (version, model, meta_json, sha256, published_ms, publisher)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindText(1, model.version);
  stmt->BindBlob(2, model.model);
  stmt->BindText(3, model.meta_json);
  stmt->BindText(4, model.sha256);
  stmt->BindInt(5, model.published_ms);
  stmt->BindText(6, model.publisher);
  if (Status s = stmt->Run(); !s.ok()) return WithContext(s, context);
  return writer_->LastInsertRowid();
}

Result<std::vector<PublishedModel>> SqliteStore::ListPublishedModels(int limit) {
  const std::string context = "list published models";
  if (limit < 1) return Status::InvalidArgument(context + ": limit must be at least 1");
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(std::string("SELECT ") + internal::kPublishedModelHeadColumns +
                                  ", length(model) FROM published_models ORDER BY id DESC"
                                  " LIMIT ?1");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, limit);
  std::vector<PublishedModel> out;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row) return WithContext(row.error(), context);
    if (!*row) return out;
    out.push_back(internal::ReadPublishedModelHead(*stmt, 6));
  }
}

Result<std::optional<PublishedModel>> SqliteStore::GetPublishedModel(int64_t id) {
  const std::string context = "read published model " + std::to_string(id);
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(std::string("SELECT ") + internal::kPublishedModelHeadColumns +
                                  ", length(model), model FROM published_models WHERE id = ?1");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, id);
  Result<bool> row = stmt->Step();
  if (!row) return WithContext(row.error(), context);
  if (!*row) return std::optional<PublishedModel>();
  PublishedModel m = internal::ReadPublishedModelHead(*stmt, 6);
  m.model = stmt->ColumnBlob(7);
  return std::optional<PublishedModel>(std::move(m));
}

}  // namespace hamlet::store
