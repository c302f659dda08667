// SqliteStore's webhook outbox: events written with their feedback, claimed one at a time for
// a lease by a delivery worker, finished with the attempt's outcome, listed and requeued.
#include <utility>

#include "store/sqlite_store.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::Connection;
using internal::Statement;
using internal::WithContext;

Result<int64_t> SqliteStore::InsertWebhookEvent(Connection& conn, const WebhookEvent& e) {
  auto stmt = conn.Prepare(internal::kEventInsertSql);
  if (!stmt) return stmt.error();
  internal::BindEvent(*stmt, e);
  if (Status s = stmt->Run(); !s.ok()) {
    return WithContext(s, "store webhook event " + e.event_id);
  }
  return conn.LastInsertRowid();
}

Result<int64_t> SqliteStore::AppendWebhookEvent(const WebhookEvent& event) {
  std::lock_guard lock(write_mu_);
  return InsertWebhookEvent(*writer_, event);
}

Result<std::optional<WebhookEvent>> SqliteStore::ClaimWebhookEvent(const std::string& worker,
                                                                   int64_t now_ms,
                                                                   int64_t lease_ms) {
  const std::string context = "claim a webhook event";
  if (worker.empty() || lease_ms <= 0) {
    return Status::InvalidArgument(context + ": the worker id is empty or the lease not > 0");
  }
  // One statement, so the choice and the claim are atomic under SQLite's single writer.
  static const std::string kSql = internal::ClaimEventSql("");
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->Prepare(kSql);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindText(1, worker);
  stmt->BindInt(2, now_ms);
  stmt->BindInt(3, lease_ms);
  auto events = internal::ReadAll<WebhookEvent>(*stmt, internal::ReadEvent);
  if (!events) return WithContext(events.error(), context);
  if (events->empty()) return std::optional<WebhookEvent>();
  return std::optional<WebhookEvent>(std::move(events->front()));
}

Status SqliteStore::FinishWebhookAttempt(const WebhookAttemptResult& r) {
  const std::string context = "finish webhook event " + std::to_string(r.event);
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->Prepare(internal::kFinishAttemptSql);
  if (!stmt) return WithContext(stmt.error(), context);
  internal::BindAttemptResult(*stmt, r);
  if (Status s = stmt->Run(); !s.ok()) return WithContext(s, context);
  if (writer_->Changes() == 0) {
    return Status::NotFound(context + ": not claimed by " + r.worker +
                            " (its lease ran out and another worker took it, or it is gone)");
  }
  return Status::Ok();
}

Result<std::vector<WebhookEvent>> SqliteStore::ListWebhookEvents(const WebhookEventFilter& filter) {
  if (filter.limit < 0) {
    return Status::InvalidArgument("list webhook events: limit must not be negative");
  }
  // Built from constant fragments only; values are bound.
  std::string sql =
      std::string("SELECT ") + internal::kEventColumns + " FROM webhook_events WHERE 1";
  if (filter.state) sql += " AND state = ?2";
  if (filter.site_url) sql += " AND site_url = ?3";
  sql += " ORDER BY id DESC LIMIT ?1";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(sql);
  if (!stmt) return WithContext(stmt.error(), "list webhook events");
  stmt->BindInt(1, filter.limit);
  if (filter.state) stmt->BindText(2, WebhookStateName(*filter.state));
  if (filter.site_url) stmt->BindText(3, *filter.site_url);
  auto events = internal::ReadAll<WebhookEvent>(*stmt, internal::ReadEvent);
  if (!events) return WithContext(events.error(), "list webhook events");
  return events;
}

Result<std::optional<WebhookEvent>> SqliteStore::GetWebhookEvent(int64_t id) {
  const std::string context = "read webhook event " + std::to_string(id);
  static const std::string kSql =
      std::string("SELECT ") + internal::kEventColumns + " FROM webhook_events WHERE id = ?1";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(kSql);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, id);
  auto events = internal::ReadAll<WebhookEvent>(*stmt, internal::ReadEvent);
  if (!events) return WithContext(events.error(), context);
  if (events->empty()) return std::optional<WebhookEvent>();
  return std::optional<WebhookEvent>(std::move(events->front()));
}

Result<int> SqliteStore::RequeueWebhookEvents(int64_t id,
                                              const std::optional<std::string>& site_url,
                                              int64_t now_ms) {
  const std::string context = "requeue webhook events";
  // A claim in flight is left alone: its worker's outcome then lands on the requeued row.
  std::string sql =
      "UPDATE webhook_events SET state = 'pending', attempts = 0, next_attempt_ms = ?1,"
      " finished_ms = NULL WHERE ";
  sql += id != 0 ? "id = ?2" : "state = 'failed'";
  if (site_url) sql += " AND site_url = ?3";
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->Prepare(sql);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, now_ms);
  if (id != 0) stmt->BindInt(2, id);
  if (site_url) stmt->BindText(3, *site_url);
  if (Status s = stmt->Run(); !s.ok()) return WithContext(s, context);
  return static_cast<int>(writer_->Changes());
}

Result<int> SqliteStore::PruneWebhookEvents(int64_t before_ms) {
  std::lock_guard lock(write_mu_);
  auto stmt =
      writer_->Prepare("DELETE FROM webhook_events WHERE state = 'delivered' AND finished_ms < ?1");
  if (!stmt) return WithContext(stmt.error(), "prune webhook events");
  stmt->BindInt(1, before_ms);
  if (Status s = stmt->Run(); !s.ok()) return WithContext(s, "prune webhook events");
  return static_cast<int>(writer_->Changes());
}

}  // namespace hamlet::store
