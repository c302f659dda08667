// SqliteStore's queries: reads on the read connection, key/meta writes on the write connection,
// and the group-commit batch that appends decisions and feedback.
#include <chrono>
#include <utility>

#include "core/comment.h"
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

// One queued append. The JSON columns are encoded by the caller's thread, not the writer's.
struct SqliteStore::Write : PendingWrite {
  const DecisionRecord* decision = nullptr;
  const FeedbackRecord* feedback = nullptr;
  std::string reasons_json;
  std::string fields_json;
  int64_t new_id = 0;  // feedback: the row id, once inserted

  std::string Describe() const {
    return decision != nullptr ? "store decision " + decision->id : "store feedback";
  }
};

using internal::ReadAll;
using internal::ReadOptional;

// --- meta

Result<std::optional<std::string>> SqliteStore::GetMeta(const std::string& name) {
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare("SELECT value FROM meta WHERE name = ?1");
  if (!stmt) return WithContext(stmt.error(), "read setting " + name);
  stmt->BindText(1, name);
  auto value = ReadOptional<std::string>(
      *stmt, [](const Statement& s) -> Result<std::string> { return s.ColumnText(0); });
  if (!value) return WithContext(value.error(), "read setting " + name);
  return value;
}

Result<std::string> SqliteStore::PutMetaIfAbsent(const std::string& name,
                                                 const std::string& value) {
  const std::string context = "store setting " + name;
  std::lock_guard lock(write_mu_);
  auto read = [&]() -> Result<std::optional<std::string>> {
    auto stmt = writer_->Prepare("SELECT value FROM meta WHERE name = ?1");
    if (!stmt) return stmt.error();
    stmt->BindText(1, name);
    return ReadOptional<std::string>(
        *stmt, [](const Statement& s) -> Result<std::string> { return s.ColumnText(0); });
  };
  // Read first: no write (and no write lock) when the value exists, as it usually does.
  auto existing = read();
  if (!existing) return WithContext(existing.error(), context);
  if (*existing) return **existing;
  {
    // Values are never overwritten, so the insert-or-ignore plus re-read needs no transaction:
    // whoever inserted first (this or another process) wins, and both read that value.
    auto stmt = writer_->Prepare(
        "INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING");
    if (!stmt) return WithContext(stmt.error(), context);
    stmt->BindText(1, name);
    stmt->BindText(2, value);
    if (Status s = stmt->Run(); !s.ok()) return WithContext(s, context);
  }
  auto stored = read();
  if (!stored) return WithContext(stored.error(), context);
  if (!*stored) return Status::Internal(context + ": value vanished after insert");
  return **stored;
}

// --- keys

Result<SiteKey> SqliteStore::AddKey(KeyRole role, const std::string& site_url,
                                    const std::string& key_hash, const std::string& key_hint,
                                    int64_t now_ms) {
  const std::string context =
      "add " + std::string(KeyRoleName(role)) + " key for '" + site_url + "'";
  std::lock_guard lock(write_mu_);
  auto stmt = writer_->Prepare(
      "INSERT INTO site_keys (site_url, key_hash, key_hint, created_ms, role)"
      " VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindText(1, site_url);
  stmt->BindText(2, key_hash);
  stmt->BindText(3, key_hint);
  stmt->BindInt(4, now_ms);
  stmt->BindText(5, KeyRoleName(role));
  if (Status s = stmt->Run(); !s.ok()) {
    if (s.code() == core::StatusCode::kInvalidArgument) {
      return Status::InvalidArgument(context + ": a key with this hash exists already");
    }
    return WithContext(s, context);
  }
  SiteKey key;
  key.id = writer_->LastInsertRowid();
  key.role = role;
  key.site_url = site_url;
  key.key_hash = key_hash;
  key.key_hint = key_hint;
  key.created_ms = now_ms;
  return key;
}

Result<std::optional<SiteKey>> SqliteStore::FindKeyByHash(const std::string& key_hash) {
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(internal::SiteKeySelectSql() + " WHERE k.key_hash = ?1");
  if (!stmt) return WithContext(stmt.error(), "find key");
  stmt->BindText(1, key_hash);
  auto key = ReadOptional<SiteKey>(*stmt, internal::ReadSiteKey);
  if (!key) return WithContext(key.error(), "find key");
  return key;
}

Result<std::vector<SiteKey>> SqliteStore::ListKeys() {
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(internal::SiteKeySelectSql() + " ORDER BY k.id");
  if (!stmt) return WithContext(stmt.error(), "list keys");
  auto keys = ReadAll<SiteKey>(*stmt, internal::ReadSiteKey);
  if (!keys) return WithContext(keys.error(), "list keys");
  return keys;
}

Status SqliteStore::RevokeKey(int64_t key_id, int64_t now_ms) {
  const std::string context = "revoke key " + std::to_string(key_id);
  std::lock_guard lock(write_mu_);
  auto stmt =
      writer_->Prepare("UPDATE site_keys SET revoked_ms = coalesce(revoked_ms, ?2) WHERE id = ?1");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindInt(1, key_id);
  stmt->BindInt(2, now_ms);
  if (Status s = stmt->Run(); !s.ok()) return WithContext(s, context);
  if (writer_->Changes() == 0) return Status::NotFound(context + ": no key has this id");
  return Status::Ok();
}

// --- decisions and feedback: appends

Status SqliteStore::AppendDecision(const DecisionRecord& record) {
  if (record.id.empty()) return Status::InvalidArgument("store decision: the id is empty");
  Write write;
  write.decision = &record;
  write.reasons_json = internal::EncodeReasons(record.decision.reasons);
  write.fields_json = internal::EncodeFields(record.comment.fields);
  return SubmitWrite(write);
}

Result<int64_t> SqliteStore::AppendFeedback(const FeedbackRecord& record) {
  Write write;
  write.feedback = &record;
  write.fields_json = internal::EncodeFields(record.fields);
  if (Status s = SubmitWrite(write); !s.ok()) return s;
  return write.new_id;
}

Status SqliteStore::SubmitWrite(Write& write) {
  writes_waiting_.fetch_add(1, std::memory_order_relaxed);
  Status status = queue_.Submit(write);
  writes_waiting_.fetch_sub(1, std::memory_order_relaxed);
  return status;
}

namespace {

// SQLite does not say which foreign key failed; name the candidates.
Status ExplainForeignKey(const Status& s, const std::string& candidates) {
  if (s.code() != core::StatusCode::kInvalidArgument ||
      s.message().find("FOREIGN KEY") == std::string::npos) {
    return s;
  }
  return Status::InvalidArgument(s.message() + " (" + candidates + ")");
}

}  // namespace

Status SqliteStore::InsertOne(Write& write) {
  if (write.decision != nullptr) {
    const DecisionRecord& d = *write.decision;
    auto stmt = writer_->Prepare(internal::DecisionInsertSql());
    if (!stmt) return stmt.error();
    internal::BindDecision(*stmt, d, write.reasons_json, write.fields_json);
    return ExplainForeignKey(stmt->Run(), "no key has id " + std::to_string(d.key_id) +
                                              " or no decision '" + d.recheck_of + "'");
  }
  const FeedbackRecord& f = *write.feedback;
  auto stmt = writer_->Prepare(internal::FeedbackInsertSql());
  if (!stmt) return stmt.error();
  internal::BindFeedback(*stmt, f, write.fields_json);
  if (Status s = stmt->Run(); !s.ok()) {
    return ExplainForeignKey(
        s, "no decision '" + f.decision_id + "' or no key with id " + std::to_string(f.key_id));
  }
  write.new_id = writer_->LastInsertRowid();
  return Status::Ok();
}

void SqliteStore::CommitBatch(const std::vector<PendingWrite*>& batch) {
  std::lock_guard lock(write_mu_);
  const auto started = std::chrono::steady_clock::now();
  // Fails every record not already failed on its own: nothing of the batch is written.
  auto fail_all = [&](const Status& cause) {
    if (writer_->InTransaction()) (void)writer_->Exec("ROLLBACK");
    for (PendingWrite* pw : batch) {
      auto& w = static_cast<Write&>(*pw);
      if (w.status.ok()) {
        w.status = WithContext(cause, w.Describe());
        failed_writes_.fetch_add(1, std::memory_order_relaxed);
      }
    }
    NoteWriteOutcome(cause);
  };
  if (Status s = writer_->RunCached("BEGIN IMMEDIATE"); !s.ok()) return fail_all(s);
  uint64_t inserted = 0;
  for (PendingWrite* pw : batch) {
    auto& w = static_cast<Write&>(*pw);
    // A record's own failure (constraint, too big: InvalidArgument) undoes that INSERT only:
    // SQLite aborts the failing statement and keeps the transaction, so no savepoint is needed
    // (one per record cost two more statements per row on the single writer thread).
    Status s = InsertOne(w);
    if (!s.ok() && s.code() != core::StatusCode::kInvalidArgument) return fail_all(s);
    if (!s.ok()) {
      w.status = WithContext(s, w.Describe());
      // Should SQLite ever end the transaction on such an error, nothing else may commit.
      if (!writer_->InTransaction()) return fail_all(s);
    } else {
      ++inserted;
    }
  }
  if (Status s = writer_->RunCached("COMMIT"); !s.ok()) return fail_all(s);
  commit_seconds_.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  commits_.fetch_add(1);
  records_committed_.fetch_add(inserted, std::memory_order_relaxed);
  NoteWriteOutcome(Status::Ok());
}

// --- health and statistics

void SqliteStore::NoteWriteOutcome(const Status& status) {
  // A refused record (InvalidArgument) says nothing about the database.
  if (status.code() == core::StatusCode::kInvalidArgument) return;
  std::lock_guard lock(health_mu_);
  write_health_ = status;
}

Status SqliteStore::ProbeWrite() {
  std::lock_guard lock(write_mu_);
  // Insert and delete in one transaction: the commit writes and syncs pages, leaving no row.
  // 64 KiB, about a batch of appends, so a nearly full disk or size cap fails the probe too.
  writer_->SetBusyTimeout(0);
  Status s = writer_->Exec("BEGIN IMMEDIATE");
  if (s.ok()) {
    s = writer_->Exec(
        "INSERT INTO meta (name, value) VALUES ('write_probe', zeroblob(65536))"
        " ON CONFLICT (name) DO NOTHING");
  }
  if (s.ok()) s = writer_->Exec("DELETE FROM meta WHERE name = 'write_probe'");
  if (s.ok()) s = writer_->Exec("COMMIT");
  if (!s.ok() && writer_->InTransaction()) (void)writer_->Exec("ROLLBACK");
  writer_->SetBusyTimeout(options_.busy_timeout_ms);
  return s;
}

Status SqliteStore::CheckWritable() {
  const std::string where = "database '" + path_ + "'";
  if (options_.read_only) return Status::Unavailable(where + " is opened read-only");
  {
    std::lock_guard lock(health_mu_);
    if (write_health_.ok()) return Status::Ok();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_probe_ < std::chrono::seconds(1)) return WithContext(write_health_, where);
    last_probe_ = now;
  }
  Status probe = ProbeWrite();
  NoteWriteOutcome(probe);
  return WithContext(probe, where);
}

StoreStats SqliteStore::Stats() const {
  StoreStats stats;
  stats.writes_waiting = writes_waiting_.load(std::memory_order_relaxed);
  stats.commits = commits_.load();
  stats.records_committed = records_committed_.load(std::memory_order_relaxed);
  stats.failed_writes = failed_writes_.load(std::memory_order_relaxed);
  stats.faults = faults_->Read();
  stats.commit_seconds = commit_seconds_.Snapshot();
  stats.write_wait_seconds = queue_.WaitSeconds();
  return stats;
}

// --- decisions and feedback: reads

Result<std::optional<DecisionRecord>> SqliteStore::GetDecision(const std::string& id) {
  const std::string context = "read decision " + id;
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(internal::DecisionSelectSql() + " WHERE d.id = ?1");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindText(1, id);
  auto record = ReadOptional<DecisionRecord>(*stmt, internal::ReadDecision);
  if (!record) return WithContext(record.error(), context);
  return record;
}

Result<std::optional<DecisionRecord>> SqliteStore::FindDecisionByMatchKey(
    int64_t key_id, const std::string& match_key) {
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(internal::DecisionSelectSql() +
                                  " WHERE d.key_id IS ?1 AND d.match_key = ?2"
                                  " ORDER BY d.created_ms DESC, d.rowid DESC LIMIT 1");
  if (!stmt) return WithContext(stmt.error(), "find decision");
  stmt->BindIdOrNull(1, key_id);
  stmt->BindText(2, match_key);
  auto record = ReadOptional<DecisionRecord>(*stmt, internal::ReadDecision);
  if (!record) return WithContext(record.error(), "find decision");
  return record;
}

Result<std::vector<DecisionRecord>> SqliteStore::FindDecisionsByMatchKey(
    int64_t key_id, const std::string& match_key, int limit) {
  if (limit < 0) return Status::InvalidArgument("find decisions: limit must not be negative");
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(internal::DecisionSelectSql() +
                                  " WHERE d.key_id IS ?1 AND d.match_key = ?2"
                                  " ORDER BY d.created_ms DESC, d.rowid DESC LIMIT ?3");
  if (!stmt) return WithContext(stmt.error(), "find decisions");
  stmt->BindIdOrNull(1, key_id);
  stmt->BindText(2, match_key);
  stmt->BindInt(3, limit);
  auto records = ReadAll<DecisionRecord>(*stmt, internal::ReadDecision);
  if (!records) return WithContext(records.error(), "find decisions");
  return records;
}

Result<std::vector<DecisionCounts>> SqliteStore::CountDecisions(int64_t key_id, int64_t from_ms,
                                                                int64_t to_ms) {
  // One row per decision (month, blog, first check or recheck, verdict, latest feedback label),
  // then summed per (month, blog). Comparisons are 0/1 in SQLite; a missing label gives NULL,
  // which sum() skips, hence coalesce.
  static const std::string kSql =
      std::string("SELECT month, blog, count(*),") +
      " coalesce(sum(first AND verdict != 'ham'), 0),"
      " coalesce(sum(first AND verdict = 'ham'), 0),"
      " coalesce(sum(first AND verdict = 'ham' AND label = 'spam'), 0),"
      " coalesce(sum(first AND verdict != 'ham' AND label = 'ham'), 0)"
      " FROM (SELECT strftime('%Y-%m', d.created_ms / 1000, 'unixepoch') AS month,"
      "   d.blog AS blog, d.recheck_of IS NULL AS first, d.verdict AS verdict,"
      "   " +
      internal::LatestLabelSql() +
      " AS label"
      "  FROM decisions d WHERE d.key_id IS ?1 AND d.created_ms >= ?2 AND d.created_ms < ?3)"
      " GROUP BY month, blog ORDER BY month, blog";
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(kSql);
  if (!stmt) return WithContext(stmt.error(), "count decisions");
  stmt->BindIdOrNull(1, key_id);
  stmt->BindInt(2, from_ms);
  stmt->BindInt(3, to_ms);
  auto rows = ReadAll<DecisionCounts>(*stmt, internal::ReadDecisionCounts);
  if (!rows) return WithContext(rows.error(), "count decisions");
  return rows;
}

Result<std::vector<FeedbackRecord>> SqliteStore::ListFeedback(const std::string& decision_id) {
  const std::string context = "list feedback on " + decision_id;
  ReadLock lock(*this);
  auto stmt = lock.conn().Prepare(internal::FeedbackSelectSql() +
                                  " WHERE f.decision_id = ?1 ORDER BY f.id");
  if (!stmt) return WithContext(stmt.error(), context);
  stmt->BindText(1, decision_id);
  auto records = ReadAll<FeedbackRecord>(*stmt, internal::ReadFeedback);
  if (!records) return WithContext(records.error(), context);
  return records;
}

Result<std::vector<LabeledFeedback>> SqliteStore::ListLabeledFeedback(int64_t after_feedback_id,
                                                                      int limit) {
  const std::string context = "list labeled feedback";
  if (limit < 0) return Status::InvalidArgument(context + ": limit must not be negative");
  // A decision's label is its latest non-test feedback that no undo revoked; feedback without
  // a decision counts row by row. Purged rows have no text left to learn from. The max(id)
  // subquery runs on feedback_by_decision.
  const std::string& kPageSql = internal::LabeledFeedbackPageSql();
  static const std::string kDecisionSql = internal::DecisionSelectSql() + " WHERE d.id = ?1";
  ReadLock lock(*this);
  std::vector<FeedbackRecord> page;
  {
    auto stmt = lock.conn().Prepare(kPageSql);
    if (!stmt) return WithContext(stmt.error(), context);
    stmt->BindInt(1, after_feedback_id);
    stmt->BindInt(2, limit);
    auto rows = ReadAll<FeedbackRecord>(*stmt, internal::ReadFeedback);
    if (!rows) return WithContext(rows.error(), context);
    page = std::move(rows).value();
  }
  std::vector<LabeledFeedback> out;
  out.reserve(page.size());
  for (FeedbackRecord& f : page) {
    LabeledFeedback labeled;
    labeled.feedback_id = f.id;
    labeled.decision_id = f.decision_id;
    labeled.label = f.label;
    labeled.created_ms = f.created_ms;
    if (f.decision_id.empty()) {
      labeled.comment = core::CommentFromFields(std::move(f.fields));
    } else {
      // Decisions are never deleted, so reading them after the page is safe (a purge in
      // between would only blank the text: a rare, harmless race).
      auto stmt = lock.conn().Prepare(kDecisionSql);
      if (!stmt) return WithContext(stmt.error(), context);
      stmt->BindText(1, f.decision_id);
      auto decision = ReadOptional<DecisionRecord>(*stmt, internal::ReadDecision);
      if (!decision) return WithContext(decision.error(), context);
      if (!*decision) {
        return Status::Internal(context + ": feedback " + std::to_string(f.id) +
                                " names a missing decision " + f.decision_id);
      }
      labeled.comment = std::move((*decision)->comment);
    }
    out.push_back(std::move(labeled));
  }
  return out;
}

Status SqliteStore::Ping() {
  ReadLock lock(*this);
  // Reads the database header, so a vanished or unreadable file shows up.
  Result<int64_t> version = lock.conn().QueryInt("PRAGMA user_version");
  if (!version) return WithContext(version.error(), "database '" + path_ + "'");
  return Status::Ok();
}

}  // namespace hamlet::store
