// PostgresStore's multi-row writes, each one transaction on a pooled connection: moderator
// actions and their undo, bulk import, and the retention purge.
#include <unordered_map>
#include <utility>

#include "store/decision_deletion.h"
#include "store/postgres_store.h"
#include "store/postgres_store_internal.h"
#include "store/sql_filter.h"

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

namespace {

Result<int64_t> InsertFeedback(PgConnection& db, const FeedbackRecord& f) {
  PgParams p;
  internal::BindFeedback(p, f, internal::EncodeFields(f.fields));
  auto r = db.Query(internal::FeedbackInsertSql() + " RETURNING id", p);
  if (!r) return r.error();
  return r->row(0).ColumnInt(0);
}

// Runs `sql` with the values bound and returns how many rows it changed.
Result<int64_t> RunUpdate(PgConnection& db, const std::string& sql,
                          const std::vector<internal::BindValue>& values) {
  PgParams p;
  internal::BindValues(p, values);
  auto r = db.Query(sql, p);
  if (!r) return r.error();
  return r->affected();
}

}  // namespace

// --- moderator actions

Result<ModeratorAction> PostgresStore::AppendModeratorAction(
    const ModeratorAction& action, const std::vector<FeedbackRecord>& feedback,
    const std::vector<WebhookEvent>& events) {
  const std::string context = "record moderator action";
  ModeratorAction stored = action;
  stored.item_count = static_cast<int64_t>(feedback.size());
  stored.undone_ms.reset();
  stored.undone_by.clear();
  Status s = Transaction([&](PgConnection& db) -> Status {
    PgParams p;
    p.BindText(1, stored.moderator);
    p.BindText(2, stored.label);
    p.BindText(3, stored.origin);
    p.BindText(4, stored.selection);
    p.BindInt(5, stored.created_ms);
    p.BindInt(6, stored.item_count);
    auto r = db.Query(
        "INSERT INTO moderator_actions (moderator, label, origin, selection, created_ms,"
        " item_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        p);
    if (!r) return r.error();
    stored.id = r->row(0).ColumnInt(0);
    std::unordered_map<std::string, int64_t> feedback_ids;  // decision id -> its new row
    for (const FeedbackRecord& f : feedback) {
      FeedbackRecord row = f;
      row.action_id = stored.id;
      auto id = InsertFeedback(db, row);
      if (!id) return WithContext(id.error(), "feedback on decision '" + f.decision_id + "'");
      feedback_ids[f.decision_id] = *id;
    }
    for (const WebhookEvent& e : events) {
      auto row = feedback_ids.find(e.decision_id);
      if (row == feedback_ids.end()) {
        return Status::InvalidArgument("webhook event " + e.event_id + " is on decision '" +
                                       e.decision_id + "', which this action does not judge");
      }
      WebhookEvent event = e;
      event.feedback_id = row->second;
      if (auto id = InsertWebhookEvent(db, event); !id) return id.error();
    }
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, context);
  return stored;
}

Result<std::optional<ModeratorAction>> PostgresStore::GetModeratorAction(int64_t id) {
  const std::string context = "read moderator action " + std::to_string(id);
  PgParams p;
  p.BindInt(1, id);
  return FirstRow<ModeratorAction>(
      [&] { return Read(std::string(internal::kActionSelectSql) + " WHERE id = ?1", p); }, context,
      internal::ReadAction);
}

Result<std::vector<ModeratorAction>> PostgresStore::ListModeratorActions(
    const std::string& moderator, bool include_undone, int limit) {
  const std::string context = "list moderator actions";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  // Built from constant fragments; parameters numbered without gaps (PostgreSQL must know
  // every parameter's type).
  std::string sql = std::string(internal::kActionSelectSql) + " WHERE true";
  if (!moderator.empty()) sql += " AND moderator = ?2";
  if (!include_undone) sql += " AND undone_ms IS NULL";
  sql += " ORDER BY id DESC LIMIT ?1";
  PgParams p;
  p.BindInt(1, limit);
  if (!moderator.empty()) p.BindText(2, moderator);
  return Rows<ModeratorAction>([&] { return Read(sql, p); }, context, internal::ReadAction);
}

Result<std::vector<FeedbackRecord>> PostgresStore::ListActionFeedback(int64_t id) {
  const std::string context = "read the feedback of moderator action " + std::to_string(id);
  PgParams p;
  p.BindInt(1, id);
  return Rows<FeedbackRecord>(
      [&] {
        return Read(internal::FeedbackSelectSql() + " WHERE f.action_id = ?1 ORDER BY f.id", p);
      },
      context, internal::ReadFeedback);
}

Result<int64_t> PostgresStore::UndoModeratorAction(int64_t id, const std::string& by,
                                                   int64_t now_ms,
                                                   const std::vector<WebhookEvent>& events) {
  const std::string context = "undo moderator action " + std::to_string(id);
  int64_t revoked = 0;
  Status s = Transaction([&](PgConnection& db) -> Status {
    // FOR UPDATE: a second undo (on this node or another) waits here, then sees it undone.
    PgParams p;
    p.BindInt(1, id);
    auto r = db.Query(std::string(internal::kActionSelectSql) + " WHERE id = ?1 FOR UPDATE", p);
    if (!r) return r.error();
    auto action = ReadFirstRow<ModeratorAction>(*r, internal::ReadAction);
    if (!action) return action.error();
    if (!*action) return Status::NotFound("no moderator action has this id");
    if ((*action)->undone()) {
      return Status::InvalidArgument("it was undone already (by " + (*action)->undone_by + ")");
    }
    auto marked = RunUpdate(db,
                            "UPDATE moderator_actions SET undone_ms = ?1, undone_by = ?2"
                            " WHERE id = ?3",
                            {now_ms, by, id});
    if (!marked) return marked.error();
    auto rows = RunUpdate(db,
                          "UPDATE feedback SET revoked_ms = ?1, revoke_stamp = hamlet_change_stamp()"
                          " WHERE action_id = ?2 AND revoked_ms IS NULL",
                          {now_ms, id});
    if (!rows) return rows.error();
    revoked = *rows;
    for (const WebhookEvent& e : events) {
      if (auto event_id = InsertWebhookEvent(db, e); !event_id) return event_id.error();
    }
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, context);
  return revoked;
}

// --- bulk import

Status PostgresStore::AppendImported(const std::vector<DecisionRecord>& decisions,
                                     const std::vector<FeedbackRecord>& feedback) {
  for (const DecisionRecord& d : decisions) {
    if (d.id.empty()) return Status::InvalidArgument("import: a decision id is empty");
  }
  Status s = Transaction([&](PgConnection& db) -> Status {
    for (const DecisionRecord& d : decisions) {
      PgParams p;
      internal::BindDecision(p, d, internal::EncodeReasons(d.decision.reasons),
                             internal::EncodeFields(d.comment.fields));
      if (auto r = db.Query(internal::DecisionInsertSql(), p); !r) {
        return WithContext(r.error(), "decision " + d.id);
      }
    }
    for (const FeedbackRecord& f : feedback) {
      if (auto id = InsertFeedback(db, f); !id) {
        return WithContext(id.error(), "feedback on decision '" + f.decision_id + "'");
      }
    }
    return Status::Ok();
  });
  return WithContext(s, "import");
}

// --- retention

namespace {

// As SQLite's purge (sqlite_store_moderation.cc), with jsonb for the reasons' rewrite.
constexpr char kPurgeDecisionsSql[] =
    "UPDATE decisions SET user_ip = '', user_agent = '', referrer = '', comment_author = '',"
    " comment_author_email = '', comment_author_url = '', comment_content = '',"
    " honeypot_value = '', match_key = '', fields = '[]',"
    " memory_fingerprint = NULL, memory_traits = NULL,"
    " reasons = (SELECT coalesce(jsonb_agg(jsonb_build_object("
    "   'check', j.value -> 'check', 'contribution', j.value -> 'contribution', 'detail', '')"
    "   ORDER BY j.ordinality), '[]'::jsonb)::text"
    "   FROM jsonb_array_elements(decisions.reasons::jsonb) WITH ORDINALITY j),"
    " purged_ms = ?1"
    " WHERE id IN (SELECT id FROM decisions"
    "   WHERE created_ms < ?2 AND purged_ms IS NULL ORDER BY created_ms LIMIT ?3)";
}  // namespace

Result<PurgeCounts> PostgresStore::PurgePersonalData(int64_t before_ms, int64_t now_ms,
                                                     int max_rows) {
  const std::string context = "purge personal data";
  if (max_rows < 1) return Status::InvalidArgument(context + ": max_rows must be >= 1");
  PurgeCounts counts;
  Status s = Transaction([&](PgConnection& db) -> Status {
    const std::vector<internal::BindValue> values = {now_ms, before_ms, int64_t{max_rows}};
    auto decisions = RunUpdate(db, kPurgeDecisionsSql, values);
    if (!decisions) return decisions.error();
    auto feedback = RunUpdate(db, internal::kPurgeFeedbackSql, values);
    if (!feedback) return feedback.error();
    auto actions = RunUpdate(db, internal::kPurgeActionsSql, {before_ms, int64_t{max_rows}});
    if (!actions) return actions.error();
    auto events = RunUpdate(db, internal::kPurgeWebhookEventsSql, {before_ms, int64_t{max_rows}});
    if (!events) return events.error();
    counts = PurgeCounts{*decisions, *feedback, *actions, *events};
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, context);
  return counts;
}

Result<PurgeCounts> PostgresStore::CountPurgeable(int64_t before_ms) {
  const std::string context = "count purgeable rows";
  PgParams p;
  p.BindInt(1, before_ms);
  auto r = Read(internal::kCountPurgeableSql, p);
  if (!r) return WithContext(r.error(), context);
  const auto row = r->row(0);
  return PurgeCounts{row.ColumnInt(0), row.ColumnInt(1), row.ColumnInt(2), row.ColumnInt(3)};
}

}  // namespace hamlet::store

// --- retention: deleting old rows (the SQL is shared: decision_deletion.h)

namespace hamlet::store {
namespace {

const internal::DeletionSql& DeletionStatements() {
  static const internal::DeletionSql kSql =
      internal::MakeDeletionSql({"seq", "(SELECT json_array_elements_text(?1::json))"});
  return kSql;
}

Result<std::vector<std::string>> ReadIds(PgConnection& db, const std::string& sql,
                                         const std::vector<internal::BindValue>& values) {
  PgParams p;
  internal::BindValues(p, values);
  auto r = db.Query(sql, p);
  if (!r) return r.error();
  return ReadRows<std::string>(
      *r, [](const internal::RowSource& s) -> Result<std::string> { return s.ColumnText(0); });
}

}  // namespace

Result<DeleteCounts> PostgresStore::DeleteOldDecisions(int64_t before_ms, int max_rows) {
  const std::string context = "delete old decisions";
  if (max_rows < 1) return Status::InvalidArgument(context + ": max_rows must be >= 1");
  DeleteCounts counts;
  Status s = Transaction([&](PgConnection& db) -> Status {
    auto batch = internal::DeleteOldDecisionsBatch(
        DeletionStatements(), before_ms, max_rows,
        [&](const std::string& sql, const std::vector<internal::BindValue>& values) {
          return ReadIds(db, sql, values);
        },
        [&](const std::string& sql, const std::vector<internal::BindValue>& values) {
          return RunUpdate(db, sql, values);
        });
    if (!batch) return batch.error();
    counts = *batch;
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, context);
  return counts;
}

Result<DeleteCounts> PostgresStore::CountDeletable(int64_t before_ms) {
  const std::string context = "count deletable rows";
  PgParams p;
  p.BindInt(1, before_ms);
  auto r = Read(DeletionStatements().count_deletable, p);
  if (!r) return WithContext(r.error(), context);
  return internal::ReadDeleteCounts(r->row(0));
}

Result<std::vector<DeletedCount>> PostgresStore::ListDeletedCounts(int64_t since_ms,
                                                                   int64_t until_ms) {
  const std::string context = "list counts of deleted decisions";
  PgParams p;
  p.BindInt(1, since_ms);
  p.BindInt(2, until_ms);
  return Rows<DeletedCount>([&] { return Read(DeletionStatements().list_counts, p); }, context,
                            internal::ReadDeletedCount);
}

}  // namespace hamlet::store
