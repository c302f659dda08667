// SqliteStore: the Store on an embedded SQLite database (WAL, synchronous=FULL). Decisions and
// feedback go through a group-commit writer thread; reads use a connection of their own.
// Row formats and the migration policy: src/store/README.md.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/status.h"
#include "store/group_commit.h"
#include "store/store.h"

namespace hamlet::store {

namespace internal {
class Connection;
}

struct SqliteOptions {
  // Open with SQLITE_OPEN_READONLY: reads work, every write returns Unavailable("... database
  // is read-only"). The file must exist and already have the current schema.
  bool read_only = false;
  // How long a write waits for another process's write lock before giving up with
  // Unavailable("... database is locked").
  int busy_timeout_ms = 2000;
  // Most decisions/feedback rows committed in one transaction. >= 1.
  int max_batch = 256;
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
  // Newest first (created_ms, then insertion order). filter.key_id == 0 selects decisions made
  // without a key. InvalidArgument when limit or offset is negative.
  core::Result<std::vector<DecisionRecord>> ListDecisions(const DecisionFilter& filter) override;
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
  core::Result<std::vector<MemoryFeedback>> ListMemoryFeedback(int64_t after_feedback_id,
                                                               int64_t since_ms,
                                                               int limit) override;

  core::Result<std::vector<SiteSetting>> ListSiteSettings() override;
  core::Status PutSiteSetting(const SiteSetting& setting) override;
  core::Status DeleteSiteSetting(const std::string& site_url, const std::string& name) override;

  core::Status Ping() override;

  // Transactions committed by the writer thread (each holding 1..max_batch appends).
  uint64_t CommitCountForTesting() const { return commits_.load(); }

 private:
  struct Write;
  class ReadLock;

  SqliteStore(std::string path, SqliteOptions options, std::unique_ptr<internal::Connection> writer,
              std::unique_ptr<internal::Connection> reader);
  // The group-commit function: one transaction, a savepoint per record.
  void CommitBatch(const std::vector<PendingWrite*>& batch);
  core::Status InsertOne(Write& write);

  const std::string path_;
  const SqliteOptions options_;
  // write_mu_ guards writer_ (the write connection and its statements): the writer thread
  // holds it for a whole batch, key and meta writes for one statement.
  std::mutex write_mu_;
  std::unique_ptr<internal::Connection> writer_;
  // read_mu_ guards reader_. For ":memory:" reader_ is null and reads share writer_ under
  // write_mu_ (a second connection would open a different, empty database).
  std::mutex read_mu_;
  std::unique_ptr<internal::Connection> reader_;
  std::atomic<uint64_t> commits_{0};
  // Declared last: destroyed (stopped and drained) first, while the connections still exist.
  GroupCommitQueue queue_;
};

// OpenSqliteStore: SqliteStore::Open as the interface type, for the composition root.
core::Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                     const SqliteOptions& options = {});

}  // namespace hamlet::store
