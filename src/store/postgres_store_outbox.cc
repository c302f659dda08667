// PostgresStore's webhook outbox (claimed with FOR UPDATE SKIP LOCKED, so nodes never wait for
// each other's claims) and the decision changes of GET /v1/decisions, read in commit order.
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/change_merge.h"
#include "store/postgres_store.h"
#include "store/postgres_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::FirstRow;
using internal::PgConnection;
using internal::PgParams;
using internal::PgResult;
using internal::ReadFirstRow;
using internal::ReadRows;
using internal::Rows;
using internal::WithContext;

// --- webhook outbox

Result<int64_t> PostgresStore::InsertWebhookEvent(PgConnection& conn, const WebhookEvent& e) {
  PgParams p;
  internal::BindEvent(p, e);
  auto r = conn.Query(std::string(internal::kEventInsertSql) + " RETURNING id", p);
  if (!r) return WithContext(r.error(), "store webhook event " + e.event_id);
  return r->row(0).ColumnInt(0);
}

Result<int64_t> PostgresStore::AppendWebhookEvent(const WebhookEvent& event) {
  int64_t id = 0;
  Status s = WithConnection(
      [&](PgConnection& conn) -> Status {
        auto r = InsertWebhookEvent(conn, event);
        if (!r) return r.error();
        id = *r;
        return Status::Ok();
      },
      /*retry=*/false);
  if (!s.ok()) return s;
  return id;
}

Result<std::optional<WebhookEvent>> PostgresStore::ClaimWebhookEvent(const std::string& worker,
                                                                     int64_t now_ms,
                                                                     int64_t lease_ms) {
  const std::string context = "claim a webhook event";
  if (worker.empty() || lease_ms <= 0) {
    return Status::InvalidArgument(context + ": the worker id is empty or the lease not > 0");
  }
  // SKIP LOCKED: a row another node is claiming right now is passed over, not waited for, so
  // each event goes to one claimant and nobody blocks. The state term matches the partial
  // index webhook_events_due.
  static const std::string kSql = internal::ClaimEventSql(" FOR UPDATE SKIP LOCKED");
  PgParams p;
  p.BindText(1, worker);
  p.BindInt(2, now_ms);
  p.BindInt(3, lease_ms);
  return FirstRow<WebhookEvent>([&] { return Write(kSql, p); }, context, internal::ReadEvent);
}

Status PostgresStore::FinishWebhookAttempt(const WebhookAttemptResult& r) {
  const std::string context = "finish webhook event " + std::to_string(r.event);
  PgParams p;
  internal::BindAttemptResult(p, r);
  auto result = Write(internal::kFinishAttemptSql, p);
  if (!result) return WithContext(result.error(), context);
  if (result->affected() == 0) {
    return Status::NotFound(context + ": not claimed by " + r.worker +
                            " (its lease ran out and another worker took it, or it is gone)");
  }
  return Status::Ok();
}

Result<std::vector<WebhookEvent>> PostgresStore::ListWebhookEvents(
    const WebhookEventFilter& filter) {
  const std::string context = "list webhook events";
  if (filter.limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  // Built from constant fragments only; parameters numbered without gaps.
  std::string sql = std::string("SELECT ") + internal::kEventColumns +
                    " FROM webhook_events"
                    " WHERE true";
  PgParams p;
  p.BindInt(1, filter.limit);
  int n = 1;
  if (filter.state) {
    sql += " AND state = ?";
    sql += std::to_string(++n);
    p.BindText(n, WebhookStateName(*filter.state));
  }
  if (filter.site_url) {
    sql += " AND site_url = ?";
    sql += std::to_string(++n);
    p.BindText(n, *filter.site_url);
  }
  sql += " ORDER BY id DESC LIMIT ?1";
  return Rows<WebhookEvent>([&] { return Read(sql, p); }, context, internal::ReadEvent);
}

Result<std::optional<WebhookEvent>> PostgresStore::GetWebhookEvent(int64_t id) {
  const std::string context = "read webhook event " + std::to_string(id);
  PgParams p;
  p.BindInt(1, id);
  return FirstRow<WebhookEvent>(
      [&] {
        return Read(
            std::string("SELECT ") + internal::kEventColumns + " FROM webhook_events WHERE id = ?1",
            p);
      },
      context, internal::ReadEvent);
}

Result<int> PostgresStore::RequeueWebhookEvents(int64_t id,
                                                const std::optional<std::string>& site_url,
                                                int64_t now_ms) {
  const std::string context = "requeue webhook events";
  std::string sql =
      "UPDATE webhook_events SET state = 'pending', attempts = 0, next_attempt_ms = ?1,"
      " finished_ms = NULL WHERE ";
  PgParams p;
  p.BindInt(1, now_ms);
  int n = 1;
  if (id != 0) {
    sql += "id = ?";
    sql += std::to_string(++n);
    p.BindInt(n, id);
  } else {
    sql += "state = 'failed'";
  }
  if (site_url) {
    sql += " AND site_url = ?";
    sql += std::to_string(++n);
    p.BindText(n, *site_url);
  }
  auto r = Write(sql, p);
  if (!r) return WithContext(r.error(), context);
  return static_cast<int>(r->affected());
}

Result<int> PostgresStore::PruneWebhookEvents(int64_t before_ms) {
  PgParams p;
  p.BindInt(1, before_ms);
  auto r = Write("DELETE FROM webhook_events WHERE state = 'delivered' AND finished_ms < ?1", p);
  if (!r) return WithContext(r.error(), "prune webhook events");
  return static_cast<int>(r->affected());
}

// --- decision changes

namespace {

// A stream position: the change stamp of the row's transaction (commit order, schema.cc
// version 8), then the row's own order within it.
struct Position {
  int64_t stamp = 0;
  int64_t row = 0;
};
using Change = internal::StreamChange<Position>;

using Cursor = std::array<Position, internal::kStreams>;

// "p<decision stamp>.<decision seq>.<feedback stamp>.<feedback id>.<revoke stamp>.<revoked
// feedback id>"; "" is the beginning. A cursor handed out before undos were a stream (the
// first four) reads every undo since.
Result<Cursor> ParseCursor(const std::string& text) {
  if (text.empty()) return Cursor{};
  std::optional<std::vector<int64_t>> parts;
  if (text[0] == 'p') parts = internal::ParseCursorNumbers(std::string_view(text).substr(1), 6);
  if (parts && (parts->size() == 4 || parts->size() == 6)) {
    parts->resize(6, 0);
    const std::vector<int64_t>& n = *parts;
    return Cursor{Position{n[0], n[1]}, Position{n[2], n[3]}, Position{n[4], n[5]}};
  }
  return Status::InvalidArgument("the cursor '" + text.substr(0, 64) +
                                 "' is not one this service handed out (use a 'next' value)");
}

std::string FormatCursor(const Cursor& c) {
  std::string out = "p";
  for (const Position& p : c) {
    for (int64_t part : {p.stamp, p.row}) {
      if (out.size() > 1) out += '.';
      out += std::to_string(part);
    }
  }
  return out;
}

Result<Change> ReadChange(const internal::RowSource& s) {
  return Change{{s.ColumnInt(0), s.ColumnInt(1)}, s.ColumnText(2), s.ColumnInt(3)};
}

}  // namespace

Result<DecisionChangesPage> PostgresStore::ListDecisionChanges(const std::string& site_url,
                                                               const std::string& cursor_text,
                                                               int limit) {
  const std::string context = "list decision changes";
  if (limit < 1) return Status::InvalidArgument(context + ": the limit must be at least 1");
  Result<Cursor> cursor = ParseCursor(cursor_text);
  if (!cursor) return cursor.error();
  // Each stream's query reads (stamp, row, decision id, time), after (?2, ?3).
  static const std::array<std::string, internal::kStreams> kStreamSql = {
      "SELECT d.change_stamp, d.seq, d.id, d.created_ms FROM decisions d"
      " WHERE d.site_url = ?1 AND (d.change_stamp, d.seq) > (?2, ?3)"
      " ORDER BY d.change_stamp, d.seq LIMIT ?4",
      "SELECT f.change_stamp, f.id, f.decision_id, f.created_ms FROM feedback f"
      " JOIN decisions d ON d.id = f.decision_id"
      " WHERE d.site_url = ?1 AND (f.change_stamp, f.id) > (?2, ?3)"
      " ORDER BY f.change_stamp, f.id LIMIT ?4",
      "SELECT f.revoke_stamp, f.id, f.decision_id, f.revoked_ms FROM feedback f"
      " JOIN decisions d ON d.id = f.decision_id"
      " WHERE d.site_url = ?1 AND f.revoke_stamp IS NOT NULL AND (f.revoke_stamp, f.id) > (?2, ?3)"
      " ORDER BY f.revoke_stamp, f.id LIMIT ?4"};
  static const std::string kDecisionSql = internal::DecisionSelectSql() + " WHERE d.id = ?1";
  static const std::string kLatestFeedbackSql =
      internal::FeedbackSelectSql() +
      " WHERE f.decision_id = ?1 AND f.revoked_ms IS NULL ORDER BY f.id DESC LIMIT 1";
  DecisionChangesPage out;
  // One snapshot for the streams and the records (REPEATABLE READ), read-only.
  Status s = Transaction([&](PgConnection& conn) -> Status {
    out = DecisionChangesPage();
    if (Status st = conn.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        !st.ok()) {
      return st;
    }
    internal::ChangeStreams<Position> streams;
    for (size_t k = 0; k < internal::kStreams; ++k) {
      PgParams p;
      p.BindText(1, site_url);
      p.BindInt(2, (*cursor)[k].stamp);
      p.BindInt(3, (*cursor)[k].row);
      p.BindInt(4, static_cast<int64_t>(limit) + 1);  // one more tells whether more exist
      auto r = conn.Query(kStreamSql[k], p);
      if (!r) return r.error();
      auto rows = ReadRows<Change>(*r, ReadChange);
      if (!rows) return rows.error();
      streams[k] = std::move(rows).value();
    }
    const auto merged = internal::MergeChanges(streams, *cursor, limit);
    std::unordered_map<std::string, size_t> last;  // each decision once, at its last change
    for (size_t k = 0; k < merged.decision_ids.size(); ++k) last[merged.decision_ids[k]] = k;
    out.next_cursor = FormatCursor(merged.next);
    out.more = merged.more;
    for (size_t k = 0; k < merged.decision_ids.size(); ++k) {
      const std::string& id = merged.decision_ids[k];
      if (last[id] != k) continue;
      PgParams p;
      p.BindText(1, id);
      auto r = conn.Query(kDecisionSql, p);
      if (!r) return r.error();
      auto record = ReadFirstRow<DecisionRecord>(*r, internal::ReadDecision);
      if (!record) return record.error();
      if (!*record) return Status::Internal("decision " + id + " vanished while read");
      DecisionChange change;
      change.decision = std::move(**record);
      auto f = conn.Query(kLatestFeedbackSql, p);
      if (!f) return f.error();
      auto latest = ReadFirstRow<FeedbackRecord>(*f, internal::ReadFeedback);
      if (!latest) return latest.error();
      change.latest_feedback = std::move(*latest);
      out.changes.push_back(std::move(change));
    }
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, context);
  return out;
}

}  // namespace hamlet::store
