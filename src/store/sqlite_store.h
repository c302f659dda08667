// SqliteStore: the Store on an embedded SQLite database (WAL, synchronous=FULL). Decisions and
// feedback go through a group-commit writer thread; reads use a connection of their own.
// Row formats and the migration policy: src/store/README.md.
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
class Connection;
struct FilterSql;
class FaultCounters;
}  // namespace internal

struct SqliteOptions {
  // Open with SQLITE_OPEN_READONLY: reads work, every write returns Unavailable("... database
  // is read-only"). The file must exist and already have the current schema.
  bool read_only = false;
  // How long a write waits for another process's write lock before giving up with
  // Unavailable("... database is locked").
  int busy_timeout_ms = 2000;
  // Most decisions/feedback rows committed in one transaction. >= 1.
  int max_batch = 256;
  // A cap on the database's size (PRAGMA max_page_count), 0 for none: a write that would
  // grow the file past it fails with Unavailable("database or disk is full"), as a full disk
  // does, and works again once rows are deleted (their pages are reused). A database already
  // larger keeps its size as the cap.
  int64_t max_bytes = 0;
};

// Thread-safety: all methods may be called concurrently from any thread (see Store).
class SqliteStore final : public Store {
 public:
  // Opens (creating when missing, unless read_only) the database at `path`; ":memory:" gives a
  // private in-memory database. Applies pending migrations in one transaction and starts the
  // writer thread. Errors name the path:
  //   InvalidArgument: not a SQLite file, another program's SQLite file, a schema newer than
  //     this build, a read_only database that still needs migrating, an empty path;
  //   Unavailable: cannot open or create the file, the file is read-only (without
  //     options.read_only), locked past the busy timeout, disk full.
  static core::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                         const SqliteOptions& options = {});

  // Stops accepting writes, commits what is queued, joins the writer, closes the database.
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  core::Result<std::optional<std::string>> GetMeta(const std::string& name) override;
  core::Result<std::string> PutMetaIfAbsent(const std::string& name,
                                            const std::string& value) override;

  // InvalidArgument when a key with this hash exists already.
  core::Result<SiteKey> AddKey(KeyRole role, const std::string& site_url,
                               const std::string& key_hash, const std::string& key_hint,
                               int64_t now_ms) override;
  core::Result<std::optional<SiteKey>> FindKeyByHash(const std::string& key_hash) override;
  // Oldest first (by id).
  core::Result<std::vector<SiteKey>> ListKeys() override;
  // Revoking a revoked key keeps the first revocation time and is ok.
  core::Status RevokeKey(int64_t key_id, int64_t now_ms) override;

  // InvalidArgument (for this record only, never its batch) when the id is empty or exists
  // already, key_id names no key, or the score is NaN. key_id 0 is stored as "no key".
  core::Status AppendDecision(const DecisionRecord& record) override;
  core::Result<std::optional<DecisionRecord>> GetDecision(const std::string& id) override;
  // filter.key_id == 0 selects decisions made without a key. InvalidArgument when limit or
  // offset is negative, or the text query has no word or an unclosed quote. The text query
  // runs on the decisions_fts FTS5 table (schema version 5).
  core::Result<std::vector<DecisionRecord>> ListDecisions(const DecisionFilter& filter) override;
  core::Result<int64_t> CountMatchingDecisions(const DecisionFilter& filter) override;
  core::Result<std::vector<VolumeCount>> CountVolumes(const DecisionFilter& filter) override;
  core::Result<std::vector<ReasonCount>> CountReasons(const DecisionFilter& filter,
                                                      int limit) override;
  core::Result<std::optional<DecisionRecord>> FindDecisionByMatchKey(
      int64_t key_id, const std::string& match_key) override;
  // InvalidArgument when limit is negative.
  core::Result<std::vector<DecisionRecord>> FindDecisionsByMatchKey(int64_t key_id,
                                                                    const std::string& match_key,
                                                                    int limit) override;
  core::Result<std::vector<DecisionCounts>> CountDecisions(int64_t key_id, int64_t from_ms,
                                                           int64_t to_ms) override;

  // InvalidArgument when decision_id is non-empty but unknown, key_id names no key, or the
  // label is not "spam"/"ham".
  core::Result<int64_t> AppendFeedback(const FeedbackRecord& record) override;
  // Oldest first (by id).
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

  // InvalidArgument when max_rows < 1.
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

  // The cursor is "<decision rowid>.<feedback id>": the last decision row and the last
  // feedback row the previous page covered. SQLite commits one writer at a time, so rowids
  // become visible in increasing order and a cursor never skips a row.
  core::Result<DecisionChangesPage> ListDecisionChanges(const std::string& site_url,
                                                        const std::string& cursor,
                                                        int limit) override;

  // InvalidArgument when the event_id exists already or the type is unknown.
  core::Result<int64_t> AppendWebhookEvent(const WebhookEvent& event) override;
  core::Result<std::optional<WebhookEvent>> ClaimWebhookEvent(const std::string& worker,
                                                              int64_t now_ms,
                                                              int64_t lease_ms) override;
  core::Status FinishWebhookAttempt(const WebhookAttemptResult& result) override;
  // InvalidArgument when the limit is negative.
  core::Result<std::vector<WebhookEvent>> ListWebhookEvents(
      const WebhookEventFilter& filter) override;
  core::Result<std::optional<WebhookEvent>> GetWebhookEvent(int64_t id) override;
  core::Result<int> RequeueWebhookEvents(int64_t id, const std::optional<std::string>& site_url,
                                         int64_t now_ms) override;
  core::Result<int> PruneWebhookEvents(int64_t before_ms) override;

  core::Status Ping() override;
  core::Result<int64_t> CatchUpTextIndex(int max_rows) override;
  core::Result<int64_t> PublishModel(const PublishedModel& model) override;
  core::Result<std::vector<PublishedModel>> ListPublishedModels(int limit) override;
  core::Result<std::optional<PublishedModel>> GetPublishedModel(int64_t id) override;
  // The batch a text search indexes at a time before it runs (and hamletd's indexer).
  static constexpr int kTextIndexBatch = 500;
  // Always Unavailable for a store opened read_only.
  core::Status CheckWritable() override;
  StoreStats Stats() const override;

  // The write connection's PRAGMA synchronous (2: FULL, what every decision's commit needs).
  core::Result<int64_t> WriterSynchronousForTesting();
  // Transactions committed by the writer thread (each holding 1..max_batch appends).
  uint64_t CommitCountForTesting() const { return commits_.load(); }

 private:
  struct Write;
  class ReadLock;

  SqliteStore(std::string path, SqliteOptions options, std::unique_ptr<internal::Connection> writer,
              std::unique_ptr<internal::Connection> reader,
              std::unique_ptr<internal::FaultCounters> faults);
  // The group-commit function: one transaction; a record that fails alone is left out.
  void CommitBatch(const std::vector<PendingWrite*>& batch);
  core::Status InsertOne(Write& write);
  // Appends `write` to the group-commit queue and waits, counting it in writes_waiting_.
  core::Status SubmitWrite(Write& write);
  // Records the outcome of a write that reached the database, for CheckWritable: a
  // server-side failure makes the store unwritable until a write succeeds.
  void NoteWriteOutcome(const core::Status& status);
  // A write transaction that leaves nothing behind; does not wait for another's lock.
  core::Status ProbeWrite();
  // BuildDecisionFilter after, for a text filter, bringing the text index up to date.
  core::Result<internal::FilterSql> FilterFor(const DecisionFilter& filter);
  // kFsync: the commit is durable when it returns. kDeferred: durable with the next kFsync
  // commit (for work that can be redone, such as the text index).
  enum class CommitSync { kFsync, kDeferred };
  // BEGIN IMMEDIATE, `body` on the write connection, COMMIT; ROLLBACK when anything fails.
  // Holds write_mu_ throughout, so group-commit batches wait: keep `body` short.
  core::Status WriteTransaction(const std::function<core::Status(internal::Connection&)>& body,
                                CommitSync sync = CommitSync::kFsync);
  // Inserts `event` on `conn` (the write connection, under write_mu_); returns its id.
  static core::Result<int64_t> InsertWebhookEvent(internal::Connection& conn,
                                                  const WebhookEvent& event);

  const std::string path_;
  const SqliteOptions options_;
  // Counts the connections' errors; declared before them, destroyed after them.
  std::unique_ptr<internal::FaultCounters> faults_;
  // write_mu_ guards writer_ (the write connection and its statements): the writer thread
  // holds it for a whole batch, key and meta writes for one statement.
  std::mutex write_mu_;
  std::unique_ptr<internal::Connection> writer_;
  // read_mu_ guards reader_. For ":memory:" reader_ is null and reads share writer_ under
  // write_mu_ (a second connection would open a different, empty database).
  std::mutex read_mu_;
  std::unique_ptr<internal::Connection> reader_;
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> records_committed_{0};
  std::atomic<uint64_t> failed_writes_{0};
  std::atomic<int64_t> writes_waiting_{0};
  core::Histogram commit_seconds_{core::Histogram::LatencySecondsBounds()};
  // health_mu_ guards write_health_ (the last write's server-side failure, or ok) and
  // last_probe_ (when CheckWritable last probed).
  mutable std::mutex health_mu_;
  core::Status write_health_;
  std::chrono::steady_clock::time_point last_probe_;
  // Declared last: destroyed (stopped and drained) first, while the connections still exist.
  GroupCommitQueue queue_;
};

// OpenSqliteStore: SqliteStore::Open as the interface type, for the composition root.
core::Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                     const SqliteOptions& options = {});

}  // namespace hamlet::store
