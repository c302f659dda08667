// SqliteStore's multi-row writes, each in one transaction of its own on the write connection:
// moderator actions and their undo, bulk import, and the retention purge.
#include <unordered_map>
#include <utility>

#include "store/decision_deletion.h"
#include "store/sqlite_store.h"
#include "store/sqlite_store_internal.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::Connection;
using internal::ReadAll;
using internal::ReadOptional;
using internal::Statement;
using internal::WithContext;

namespace {

Status InsertFeedback(Connection& db, const FeedbackRecord& f) {
  auto stmt = db.Prepare(internal::FeedbackInsertSql());
  if (!stmt) return stmt.error();
  internal::BindFeedback(*stmt, f, internal::EncodeFields(f.fields));
  return stmt->Run();
}

// Runs `sql` (an UPDATE) with the values bound and returns how many rows it changed.
Result<int64_t> RunUpdate(Connection& db, const std::string& sql,
                          const std::vector<internal::BindValue>& values) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return stmt.error();
  internal::BindValues(*stmt, values);
  if (Status s = stmt->Run(); !s.ok()) return s;
  return db.Changes();
}

}  // namespace

Status SqliteStore::WriteTransaction(const std::function<Status(Connection&)>& body,
                                     CommitSync sync) {
  std::lock_guard lock(write_mu_);
  // In WAL mode a commit under synchronous=NORMAL appends to the WAL without an fsync; the
  // next FULL commit's fsync covers it (the WAL is written in order), and a crash before that
  // loses only this transaction, whole.
  const bool deferred = sync == CommitSync::kDeferred;
  Status s = deferred ? writer_->Exec("PRAGMA synchronous = NORMAL") : Status::Ok();
  if (s.ok()) s = writer_->Exec("BEGIN IMMEDIATE");
  if (s.ok()) s = body(*writer_);
  if (s.ok()) s = writer_->Exec("COMMIT");
  if (!s.ok() && writer_->InTransaction()) (void)writer_->Exec("ROLLBACK");
  if (deferred) {
    // Setting a connection flag touches no file; a failure would leave later commits without
    // their fsync, so it is never ignored.
    if (Status full = writer_->Exec("PRAGMA synchronous = FULL"); !full.ok()) return full;
  }
  return s;
}

Result<int64_t> SqliteStore::WriterSynchronousForTesting() {
  std::lock_guard lock(write_mu_);
  return writer_->QueryInt("PRAGMA synchronous");
}

// --- moderator actions

Result<ModeratorAction> SqliteStore::AppendModeratorAction(
    const ModeratorAction& action, const std::vector<FeedbackRecord>& feedback,
    const std::vector<WebhookEvent>& events) {
  const std::string context = "record moderator action";
  ModeratorAction stored = action;
  stored.item_count = static_cast<int64_t>(feedback.size());
  stored.undone_ms.reset();
  stored.undone_by.clear();
  Status s = WriteTransaction([&](Connection& db) -> Status {
    auto stmt = db.Prepare(
        "INSERT INTO moderator_actions (moderator, label, origin, selection, created_ms,"
        " item_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!stmt) return stmt.error();
    stmt->BindText(1, stored.moderator);
    stmt->BindText(2, stored.label);
    stmt->BindText(3, stored.origin);
    stmt->BindText(4, stored.selection);
    stmt->BindInt(5, stored.created_ms);
    stmt->BindInt(6, stored.item_count);
    if (Status run = stmt->Run(); !run.ok()) return run;
    stored.id = db.LastInsertRowid();
    std::unordered_map<std::string, int64_t> feedback_ids;  // decision id -> its new row
    for (const FeedbackRecord& f : feedback) {
      FeedbackRecord row = f;
      row.action_id = stored.id;
      if (Status one = InsertFeedback(db, row); !one.ok()) {
        return WithContext(one, "feedback on decision '" + f.decision_id + "'");
      }
      feedback_ids[f.decision_id] = db.LastInsertRowid();
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

Result<std::optional<ModeratorAction>> SqliteStore::GetModeratorAction(int64_t id) {
  const std::string context = "read moderator action " + std::to_string(id);
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(std::string(internal::kActionSelectSql) + " WHERE id = ?1");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, id);
  auto action = ReadOptional<ModeratorAction>(*stmt, internal::ReadAction);
  if (!action) return WithContext(action.error(), context);
  return action;
}

Result<std::vector<ModeratorAction>> SqliteStore::ListModeratorActions(const std::string& moderator,
                                                                       bool include_undone,
                                                                       int limit) {
  const std::string context = "list moderator actions";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  std::string sql = std::string(internal::kActionSelectSql) + " WHERE 1";
  if (!moderator.empty()) sql += " AND moderator = ?2";
  if (!include_undone) sql += " AND undone_ms IS NULL";
  sql += " ORDER BY id DESC LIMIT ?1";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(sql);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, limit);
  if (!moderator.empty()) stmt->BindText(2, moderator);
  auto actions = ReadAll<ModeratorAction>(*stmt, internal::ReadAction);
  if (!actions) return WithContext(actions.error(), context);
  return actions;
}

Result<std::vector<FeedbackRecord>> SqliteStore::ListActionFeedback(int64_t id) {
  const std::string context = "read the feedback of moderator action " + std::to_string(id);
  ReadLock lock(*this);
  auto stmt =
      lock.conn().Prepare(internal::FeedbackSelectSql() + " WHERE f.action_id = ?1 ORDER BY f.id");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, id);
  auto rows = ReadAll<FeedbackRecord>(*stmt, internal::ReadFeedback);
  if (!rows) return WithContext(rows.error(), context);
  return rows;
}

Result<int64_t> SqliteStore::UndoModeratorAction(int64_t id, const std::string& by, int64_t now_ms,
                                                 const std::vector<WebhookEvent>& events) {
  const std::string context = "undo moderator action " + std::to_string(id);
  int64_t revoked = 0;
  Status s = WriteTransaction([&](Connection& db) -> Status {
    // Read on the write connection, inside the transaction: no other undo can slip between.
    auto read = db.Prepare(std::string(internal::kActionSelectSql) + " WHERE id = ?1");
    if (!read) return read.error();
    read->BindInt(1, id);
    auto action = ReadOptional<ModeratorAction>(*read, internal::ReadAction);
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
    // The undo's revoke stamp: a counter in meta, not max(revoke_stamp) + 1, which would
    // hand out a stamp again once retention deleted the rows that held the greatest.
    auto next = db.Prepare(
        "INSERT INTO meta (name, value) VALUES ('revoke_clock', '1') ON CONFLICT (name)"
        " DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
        " RETURNING CAST(value AS INTEGER)");
    if (!next) return next.error();
    auto stamp = ReadOptional<int64_t>(*next, [](const Statement& st) -> Result<int64_t> {
      return st.ColumnInt(0);
    });
    if (!stamp) return stamp.error();
    if (!*stamp) return Status::Internal("the revoke clock gave no value");
    auto rows = RunUpdate(db,
                          "UPDATE feedback SET revoked_ms = ?1, revoke_stamp = ?3"
                          " WHERE action_id = ?2 AND revoked_ms IS NULL",
                          {now_ms, id, **stamp});
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

Status SqliteStore::AppendImported(const std::vector<DecisionRecord>& decisions,
                                   const std::vector<FeedbackRecord>& feedback) {
  for (const DecisionRecord& d : decisions) {
    if (d.id.empty()) return Status::InvalidArgument("import: a decision id is empty");
  }
  Status s = WriteTransaction([&](Connection& db) -> Status {
    for (const DecisionRecord& d : decisions) {
      auto stmt = db.Prepare(internal::DecisionInsertSql());
      if (!stmt) return stmt.error();
      internal::BindDecision(*stmt, d, internal::EncodeReasons(d.decision.reasons),
                             internal::EncodeFields(d.comment.fields));
      if (Status one = stmt->Run(); !one.ok()) return WithContext(one, "decision " + d.id);
    }
    for (const FeedbackRecord& f : feedback) {
      if (Status one = InsertFeedback(db, f); !one.ok()) {
        return WithContext(one, "feedback on decision '" + f.decision_id + "'");
      }
    }
    return Status::Ok();
  });
  return WithContext(s, "import");
}

// --- retention

namespace {

// The decisions' personal columns blanked by a purge. The reasons keep their check names and
// contributions (statistics count them); their detail texts go, as a check may quote a field.
constexpr char kPurgeDecisionsSql[] =
    "UPDATE decisions SET user_ip = '', user_agent = '', referrer = '', comment_author = '',"
    " comment_author_email = '', comment_author_url = '', comment_content = '',"
    " honeypot_value = '', match_key = '', fields = '[]',"
    " memory_fingerprint = NULL, memory_traits = NULL,"
    " reasons = (SELECT json_group_array(json_object("
    "   'check', json_extract(j.value, '$.check'),"
    "   'contribution', json_extract(j.value, '$.contribution'), 'detail', ''))"
    "   FROM json_each(decisions.reasons) j),"
    " purged_ms = ?1"
    " WHERE rowid IN (SELECT rowid FROM decisions"
    "   WHERE created_ms < ?2 AND purged_ms IS NULL ORDER BY created_ms LIMIT ?3)";
}  // namespace

Result<PurgeCounts> SqliteStore::PurgePersonalData(int64_t before_ms, int64_t now_ms,
                                                   int max_rows) {
  const std::string context = "purge personal data";
  if (max_rows < 1) return Status::InvalidArgument(context + ": max_rows must be >= 1");
  PurgeCounts counts;
  Status s = WriteTransaction([&](Connection& db) -> Status {
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

Result<PurgeCounts> SqliteStore::CountPurgeable(int64_t before_ms) {
  const std::string context = "count purgeable rows";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(internal::kCountPurgeableSql);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, before_ms);
  auto rows = ReadAll<PurgeCounts>(*stmt, [](const Statement& st) -> Result<PurgeCounts> {
    return PurgeCounts{st.ColumnInt(0), st.ColumnInt(1), st.ColumnInt(2), st.ColumnInt(3)};
  });
  if (!rows) return WithContext(rows.error(), context);
  return rows->empty() ? PurgeCounts{} : rows->front();
}

}  // namespace hamlet::store

// --- retention: deleting old rows (the SQL is shared: decision_deletion.h)

namespace hamlet::store {
namespace {

const internal::DeletionSql& DeletionStatements() {
  static const internal::DeletionSql kSql =
      internal::MakeDeletionSql({"rowid", "(SELECT value FROM json_each(?1))"});
  return kSql;
}

Result<std::vector<std::string>> ReadIds(Connection& db, const std::string& sql,
                                         const std::vector<internal::BindValue>& values) {
  auto stmt = db.Prepare(sql);
  if (!stmt) return stmt.error();
  internal::BindValues(*stmt, values);
  return ReadAll<std::string>(
      *stmt, [](const Statement& s) -> Result<std::string> { return s.ColumnText(0); });
}

}  // namespace

Result<DeleteCounts> SqliteStore::DeleteOldDecisions(int64_t before_ms, int max_rows) {
  const std::string context = "delete old decisions";
  if (max_rows < 1) return Status::InvalidArgument(context + ": max_rows must be >= 1");
  DeleteCounts counts;
  Status s = WriteTransaction([&](Connection& db) -> Status {
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

Result<DeleteCounts> SqliteStore::CountDeletable(int64_t before_ms) {
  const std::string context = "count deletable rows";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(DeletionStatements().count_deletable);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, before_ms);
  auto rows = ReadAll<DeleteCounts>(*stmt, internal::ReadDeleteCounts);
  if (!rows) return WithContext(rows.error(), context);
  return rows->empty() ? DeleteCounts{} : rows->front();
}

Result<std::vector<DeletedCount>> SqliteStore::ListDeletedCounts(int64_t since_ms,
                                                                 int64_t until_ms) {
  const std::string context = "list counts of deleted decisions";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(DeletionStatements().list_counts);
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, since_ms);
  stmt->BindInt(2, until_ms);
  auto rows = ReadAll<DeletedCount>(*stmt, internal::ReadDeletedCount);
  if (!rows) return WithContext(rows.error(), context);
  return rows;
}

}  // namespace hamlet::store
