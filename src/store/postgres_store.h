// PostgresStore: the Store on a PostgreSQL server, for several hamletd nodes sharing one
// database. Decisions and feedback go through a group-commit writer thread (one transaction per
// batch); everything else borrows a connection from a bounded pool that reconnects by itself
// after a server restart. Row formats and what differs from SQLite: src/store/README.md and
// docs/postgresql-plan.md.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/histogram.h"
#include "core/status.h"
#include "store/group_commit.h"
#include "store/store.h"

namespace hamlet::store {

namespace internal {
class FaultCounters;
class PgConnection;
class PgParams;
class PgPool;
class PgResult;
}  // namespace internal

struct PostgresOptions {
  // Most connections open at once (the group-commit writer's included). >= 2.
  int max_connections = 8;
  // How long a caller waits for a pooled connection before Unavailable.
  int pool_wait_ms = 2000;
  // Most decisions/feedback rows committed in one transaction. >= 1.
  int max_batch = 256;
  // How long a pooled connection's statement waits for a lock another session holds (another
  // node's write transaction on change_clock, an operator's LOCK TABLE) before it fails
  // Unavailable("database is locked ..."), counted as FaultKind::kLocked; SqliteOptions'
  // busy_timeout_ms for PostgreSQL. 0: wait as long as the server's own lock_timeout says.
  // Migrations at Open wait for each other regardless. >= 0.
  int lock_timeout_ms = 2000;
};

// True when `url` names a PostgreSQL database: it starts with postgresql:// or postgres://.
bool IsPostgresUrl(const std::string& url);

// Thread-safety: all methods may be called concurrently from any thread (see Store).
class PostgresStore final : public Store {
 public:
  // Connects to `url` (postgresql://user@host/db?..., as libpq takes it) and applies pending
  // migrations in one transaction, under an advisory lock so that nodes starting together take
  // turns. Errors:
  //   InvalidArgument: not a postgresql:// URL, a database with tables that is not hamlet's,
  //     a schema newer than this build, bad options;
  //   Unavailable: the server cannot be reached.
  static core::Result<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                           const PostgresOptions& options = {});

  // Stops accepting writes, commits what is queued, joins the writer, closes the connections.
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  core::Result<std::optional<std::string>> GetMeta(const std::string& name) override;
  core::Result<std::string> PutMetaIfAbsent(const std::string& name,
                                            const std::string& value) override;

  core::Result<SiteKey> AddKey(KeyRole role, const std::string& site_url,
                               const std::string& key_hash, const std::string& key_hint,
                               int64_t now_ms) override;
  core::Result<std::optional<SiteKey>> FindKeyByHash(const std::string& key_hash) override;
  core::Result<std::vector<SiteKey>> ListKeys() override;
  core::Status RevokeKey(int64_t key_id, int64_t now_ms) override;

  // As SqliteStore: InvalidArgument for this record only (never its batch). Text holding a NUL
  // byte is refused too (PostgreSQL text cannot store it).
  core::Status AppendDecision(const DecisionRecord& record) override;
  core::Result<std::optional<DecisionRecord>> GetDecision(const std::string& id) override;
  // The text query runs on the `search` tsvector column (schema version 6).
  core::Result<std::vector<DecisionRecord>> ListDecisions(const DecisionFilter& filter) override;
  core::Result<int64_t> CountMatchingDecisions(const DecisionFilter& filter) override;
  core::Result<std::vector<VolumeCount>> CountVolumes(const DecisionFilter& filter) override;
  core::Result<std::vector<ReasonCount>> CountReasons(const DecisionFilter& filter,
                                                      int limit) override;
  core::Result<std::optional<DecisionRecord>> FindDecisionByMatchKey(
      int64_t key_id, const std::string& match_key) override;
  core::Result<std::vector<DecisionRecord>> FindDecisionsByMatchKey(int64_t key_id,
                                                                    const std::string& match_key,
                                                                    int limit) override;
  core::Result<std::vector<DecisionCounts>> CountDecisions(int64_t key_id, int64_t from_ms,
                                                           int64_t to_ms) override;

  core::Result<int64_t> AppendFeedback(const FeedbackRecord& record) override;
  core::Result<std::vector<FeedbackRecord>> ListFeedback(const std::string& decision_id) override;
  core::Result<std::vector<LabeledFeedback>> ListLabeledFeedback(int64_t after_feedback_id,
                                                                 int limit) override;

  core::Result<std::vector<MemoryDecision>> ListMemoryDecisions(int64_t since_ms,
                                                                const MemoryCursor& after,
                                                                int limit) override;
  core::Result<DecisionPosition> LastDecisionPosition() override;
  core::Result<std::vector<MemoryDecision>> ListMemoryDecisionsAfter(const DecisionPosition& after,
                                                                     int limit) override;
  core::Result<std::vector<MemoryFeedback>> ListMemoryFeedback(const FeedbackPosition& after,
                                                               int64_t since_ms,
                                                               int limit) override;
  core::Result<std::vector<MemoryRevocation>> ListMemoryRevocations(
      const RevocationPosition& after, int64_t since_ms, int limit) override;

  core::Result<std::vector<SiteSetting>> ListSiteSettings() override;
  core::Status PutSiteSetting(const SiteSetting& setting) override;
  core::Status DeleteSiteSetting(const std::string& site_url, const std::string& name) override;
  core::Result<ModeratorAction> AppendModeratorAction(
      const ModeratorAction& action, const std::vector<FeedbackRecord>& feedback,
      const std::vector<WebhookEvent>& events) override;
  core::Result<std::optional<ModeratorAction>> GetModeratorAction(int64_t id) override;
  core::Result<std::vector<ModeratorAction>> ListModeratorActions(const std::string& moderator,
                                                                  bool include_undone,
                                                                  int limit) override;
  core::Result<std::vector<FeedbackRecord>> ListActionFeedback(int64_t id) override;
  core::Result<int64_t> UndoModeratorAction(int64_t id, const std::string& by, int64_t now_ms,
                                            const std::vector<WebhookEvent>& events) override;

  core::Status AppendImported(const std::vector<DecisionRecord>& decisions,
                              const std::vector<FeedbackRecord>& feedback) override;

  core::Result<int64_t> CountInstallRows(InstallTable table) override;
  // InvalidArgument for limit < 1.
  core::Result<InstallPage> ExportInstallRows(InstallTable table, int64_t after,
                                              int limit) override;
  core::Status ImportInstallRows(const InstallRows& rows) override;

  core::Result<PurgeCounts> PurgePersonalData(int64_t before_ms, int64_t now_ms,
                                              int max_rows) override;
  core::Result<PurgeCounts> CountPurgeable(int64_t before_ms) override;
  core::Result<DeleteCounts> DeleteOldDecisions(int64_t before_ms, int max_rows) override;
  core::Result<DeleteCounts> CountDeletable(int64_t before_ms) override;
  core::Result<std::vector<DeletedCount>> ListDeletedCounts(int64_t since_ms,
                                                            int64_t until_ms) override;

  core::Result<std::vector<ListEntry>> ListListEntries() override;
  core::Result<int64_t> ListEntriesRevision() override;
  core::Result<std::vector<int64_t>> AddListEntries(const std::vector<ListEntry>& entries) override;
  core::Status RemoveListEntry(const std::string& site_url, const std::string& list,
                               const std::string& kind, const std::string& value) override;

  // The cursor is "p<decision stamp>.<decision seq>.<feedback stamp>.<feedback id>": rows are
  // read in commit order (change_stamp, see schema.cc version 8), so none is ever skipped.
  core::Result<DecisionChangesPage> ListDecisionChanges(const std::string& site_url,
                                                        const std::string& cursor,
                                                        int limit) override;

  core::Result<int64_t> AppendWebhookEvent(const WebhookEvent& event) override;
  // FOR UPDATE SKIP LOCKED: nodes claiming at once take different events without waiting.
  core::Result<std::optional<WebhookEvent>> ClaimWebhookEvent(const std::string& worker,
                                                              int64_t now_ms,
                                                              int64_t lease_ms) override;
  core::Status FinishWebhookAttempt(const WebhookAttemptResult& result) override;
  core::Result<std::vector<WebhookEvent>> ListWebhookEvents(
      const WebhookEventFilter& filter) override;
  core::Result<std::optional<WebhookEvent>> GetWebhookEvent(int64_t id) override;
  core::Result<int> RequeueWebhookEvents(int64_t id, const std::optional<std::string>& site_url,
                                         int64_t now_ms) override;
  core::Result<int> PruneWebhookEvents(int64_t before_ms) override;

  // Unavailable while the server cannot be reached.
  core::Status Ping() override;
  // Always 0: the generated `search` column is written with the row (see kPgV10).
  core::Result<int64_t> CatchUpTextIndex(int max_rows) override;
  core::Result<int64_t> PublishModel(const PublishedModel& model) override;
  core::Result<std::vector<PublishedModel>> ListPublishedModels(int limit) override;
  core::Result<std::optional<PublishedModel>> GetPublishedModel(int64_t id) override;
  // Probes with a write transaction whenever its last answer is more than a second old (a
  // server can go away while nothing is written); a failed write counts until the next probe.
  core::Status CheckWritable() override;
  StoreStats Stats() const override;

  // Transactions committed by the writer thread (each holding 1..max_batch appends).
  uint64_t CommitCountForTesting() const { return commits_.load(); }

 private:
  struct Append;

  PostgresStore(std::string url, PostgresOptions options,
                std::unique_ptr<internal::FaultCounters> faults);
  // Runs `body` on a pooled connection. When it fails because the connection was lost (a
  // server restart) and `retry` is set, runs it once more on a fresh connection: only for
  // bodies that are safe to repeat (reads, and transactions that did not commit).
  core::Status WithConnection(const std::function<core::Status(internal::PgConnection&)>& body,
                              bool retry = true);
  // One statement on a pooled connection: a read (repeated once on a fresh connection when the
  // connection was lost) or a write (never repeated: its outcome would be unknown).
  core::Result<internal::PgResult> Read(const std::string& sql, const internal::PgParams& params);
  core::Result<internal::PgResult> Write(const std::string& sql, const internal::PgParams& params);
  // BEGIN, `body`, COMMIT on a pooled connection; ROLLBACK when anything fails. Retried once
  // on a fresh connection when the connection was lost before COMMIT was sent.
  core::Status Transaction(const std::function<core::Status(internal::PgConnection&)>& body);
  // The group-commit function: one transaction for the batch; a record refused on its own is
  // failed and the batch written again without it.
  void CommitBatch(const std::vector<PendingWrite*>& batch);
  core::Status SubmitWrite(Append& write);
  void NoteWriteOutcome(const core::Status& status);
  static core::Result<int64_t> InsertWebhookEvent(internal::PgConnection& conn,
                                                  const WebhookEvent& event);
  // The redacted URL for messages: no password.
  const std::string& where() const { return where_; }

  const std::string url_;
  const std::string where_;
  const PostgresOptions options_;
  std::unique_ptr<internal::FaultCounters> faults_;
  std::unique_ptr<internal::PgPool> pool_;
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> records_committed_{0};
  std::atomic<uint64_t> failed_writes_{0};
  std::atomic<int64_t> writes_waiting_{0};
  core::Histogram commit_seconds_{core::Histogram::LatencySecondsBounds()};
  mutable std::mutex health_mu_;
  core::Status write_health_;
  std::chrono::steady_clock::time_point last_probe_;
  // Declared last: destroyed (stopped and drained) first, while the pool still exists.
  GroupCommitQueue queue_;
};

// PostgresStore::Open as the interface type, for the composition root.
core::Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url,
                                                       const PostgresOptions& options = {});

}  // namespace hamlet::store
