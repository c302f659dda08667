// PostgresStore's model registry: published model files as BYTEA in published_models, newest
// (highest id) in force. The bytes travel in BYTEA's hex form (PgParams::BindBlob,
// PgResult::Row::ColumnBlob).
#include <string>
#include <utility>

#include "store/postgres_store.h"
#include "store/postgres_store_internal.h"
#include "store/row_codec.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::PgParams;
using internal::WithContext;

Result<int64_t> PostgresStore::PublishModel(const PublishedModel& model) {
  const std::string context = "publish model " + model.version;
  if (Status s = internal::CheckPublishable(model); !s.ok()) return s;
  PgParams p;
  p.BindText(1, model.version);
  p.BindBlob(2, model.model);
  p.BindText(3, model.meta_json);
  p.BindText(4, model.sha256);
  p.BindInt(5, model.published_ms);
  p.BindText(6, model.publisher);
  auto r = Write(
      "INSERT INTO published_models (version, model, meta_json, sha256, published_ms, publisher)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
      p);
  if (!r) return WithContext(r.error(), context);
  if (r->rows() != 1) return Status::Internal(context + ": no id returned");
  return r->row(0).ColumnInt(0);
}

Result<std::vector<PublishedModel>> PostgresStore::ListPublishedModels(int limit) {
  const std::string context = "list published models";
  if (limit < 1) return Status::InvalidArgument(context + ": limit must be at least 1");
  PgParams p;
  p.BindInt(1, limit);
  auto r = Read(std::string("SELECT ") + internal::kPublishedModelHeadColumns +
                    ", octet_length(model) FROM published_models ORDER BY id DESC LIMIT ?1",
                p);
  if (!r) return WithContext(r.error(), context);
  std::vector<PublishedModel> out;
  for (int i = 0; i < r->rows(); ++i) {
    out.push_back(internal::ReadPublishedModelHead(r->row(i), 6));
  }
  return out;
}

Result<std::optional<PublishedModel>> PostgresStore::GetPublishedModel(int64_t id) {
  const std::string context = "read published model " + std::to_string(id);
  PgParams p;
  p.BindInt(1, id);
  auto r = Read(std::string("SELECT ") + internal::kPublishedModelHeadColumns +
                    ", octet_length(model), model FROM published_models"
                    " WHERE id = ?1",
                p);
  if (!r) return WithContext(r.error(), context);
  if (r->rows() == 0) return std::optional<PublishedModel>();
  PublishedModel m = internal::ReadPublishedModelHead(r->row(0), 6);
  m.model = r->row(0).ColumnBlob(7);
  return std::optional<PublishedModel>(std::move(m));
}

}  // namespace hamlet::store
