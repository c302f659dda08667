// PostgresStore: opening (URL check, migrations under an advisory lock), the connection
// helpers, the group-commit batch, meta, keys, health and statistics. Other queries live in
// postgres_store_queries.cc and postgres_store_outbox.cc; libpq itself only in
// postgres_store_connection.cc.
#include "store/postgres_store.h"

#include <chrono>
#include <utility>

#include "store/postgres_store_internal.h"
#include "store/schema.h"

namespace hamlet::store {

using core::Result;
using core::Status;
using internal::PgConnection;
using internal::PgParams;
using internal::PgResult;
using internal::WithContext;

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

namespace {

// The URL without its password (user:secret@ -> user@, password=secret -> password=***), for
// messages and logs.
std::string Redacted(const std::string& url) {
  std::string out = url;
  const size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const size_t authority_end = out.find_first_of("/?", scheme + 3);
    const size_t at = out.rfind('@', authority_end);
    const size_t colon = out.find(':', scheme + 3);
    if (at != std::string::npos && at > scheme && colon < at) out.erase(colon, at - colon);
  }
  for (size_t p = out.find("password="); p != std::string::npos; p = out.find("password=", p + 1)) {
    const size_t start = p + 9;
    const size_t end = out.find('&', start);
    out.replace(start, (end == std::string::npos ? out.size() : end) - start, "***");
  }
  return out;
}

// "hamlet" in ASCII: the advisory lock that serializes migrations across nodes.
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(1214344556)";

// Creates or checks the version table and applies pending migrations, in one transaction.
Status Migrate(PgConnection& db, const std::string& where) {
  if (Status s = db.Exec("BEGIN"); !s.ok()) return WithContext(s, where);
  auto body = [&]() -> Status {
    if (Status s = db.Exec(kMigrationLock); !s.ok()) return s;
    // A database with tables but without ours is another program's: refuse it.
    auto tables = db.Query(
        "SELECT count(*), count(*) FILTER (WHERE table_name = 'schema_version')"
        " FROM information_schema.tables WHERE table_schema = current_schema()");
    if (!tables) return tables.error();
    const int64_t all = tables->row(0).ColumnInt(0);
    const int64_t ours = tables->row(0).ColumnInt(1);
    if (ours == 0 && all > 0) {
      return Status::InvalidArgument(where +
                                     " is not a hamlet database: it has tables of another "
                                     "program and no schema_version");
    }
    if (ours == 0) {
      Status s = db.Exec(
          "CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1),"
          " application TEXT NOT NULL, version INTEGER NOT NULL);"
          " INSERT INTO schema_version VALUES (1, 'hamlet', 0)");
      if (!s.ok()) return s;
    }
    auto version = db.Query("SELECT version, application FROM schema_version WHERE id = 1");
    if (!version) return version.error();
    if (version->rows() != 1 || version->row(0).ColumnText(1) != "hamlet") {
      return Status::InvalidArgument(where + " is not a hamlet database");
    }
    return schema::Migrate(
        static_cast<int>(version->row(0).ColumnInt(0)), [&db](const schema::Migration& m) {
          if (Status s = db.Exec(std::string(m.postgres)); !s.ok()) {
            return WithContext(s, "migration " + std::to_string(m.version));
          }
          // An integer of ours, not a value.
          return db.Exec("UPDATE schema_version SET version = " + std::to_string(m.version));
        });
  };
  Status s = body();
  if (s.ok()) s = db.Exec("COMMIT");
  if (!s.ok()) {
    (void)db.Exec("ROLLBACK");
    if (s.code() == core::StatusCode::kInvalidArgument &&
        s.message().find(where) != std::string::npos) {
      return s;
    }
    return WithContext(s, where + ": migrating the schema");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           const PostgresOptions& options) {
  if (!IsPostgresUrl(url)) {
    // Appended piecewise: "'" + std::string trips GCC 12's -Wrestrict false positive.
    std::string message = "'";
    message += Redacted(url);
    message += "' is not a PostgreSQL URL (postgresql://...)";
    return Status::InvalidArgument(message);
  }
  if (options.max_connections < 2 || options.max_batch < 1 || options.pool_wait_ms < 0 ||
      options.lock_timeout_ms < 0) {
    return Status::InvalidArgument(
        "PostgreSQL store: max_connections must be >= 2, max_batch >= 1, pool_wait_ms >= 0, "
        "lock_timeout_ms >= 0");
  }
  const std::string where = "database '" + Redacted(url) + "'";
  auto faults = std::make_unique<internal::FaultCounters>();
  {
    auto conn = PgConnection::Open(url, faults.get());
    if (!conn) return WithContext(conn.error(), where);
    if (Status s = Migrate(**conn, where); !s.ok()) return s;
  }
  return std::unique_ptr<PostgresStore>(new PostgresStore(url, options, std::move(faults)));
}

PostgresStore::PostgresStore(std::string url, PostgresOptions options,
                             std::unique_ptr<internal::FaultCounters> faults)
    : url_(std::move(url)),
      where_("database '" + Redacted(url_) + "'"),
      options_(options),
      faults_(std::move(faults)),
      pool_(std::make_unique<internal::PgPool>(url_, options_.max_connections,
                                               std::chrono::milliseconds(options_.pool_wait_ms),
                                               faults_.get(), options_.lock_timeout_ms)),
      queue_(options_.max_batch,
             [this](const std::vector<PendingWrite*>& batch) { CommitBatch(batch); }) {}

PostgresStore::~PostgresStore() { queue_.Stop(); }

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url,
                                                 const PostgresOptions& options) {
  auto store = PostgresStore::Open(url, options);
  if (!store) return store.error();
  return std::unique_ptr<Store>(std::move(store).value());
}

// --- connection helpers

Status PostgresStore::WithConnection(const std::function<Status(PgConnection&)>& body, bool retry) {
  for (int attempt = 0;; ++attempt) {
    auto lease = pool_->Acquire();
    if (!lease) return WithContext(lease.error(), where());
    Status s = body(**lease);
    if (s.ok() || (*lease)->Healthy()) return s;
    // A pooled connection may have died with a server restart: the first use tells, and the
    // other idle ones are as old. Safe bodies run once more on a fresh connection (the lease
    // drops the dead one).
    pool_->DropIdle();
    if (!retry || attempt > 0) return s;
  }
}

Status PostgresStore::Transaction(const std::function<Status(PgConnection&)>& body) {
  bool commit_sent = false;
  Status result;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto lease = pool_->Acquire();
    if (!lease) return WithContext(lease.error(), where());
    PgConnection& conn = **lease;
    Status s = conn.Exec("BEGIN");
    if (s.ok()) s = body(conn);
    if (s.ok()) {
      commit_sent = true;
      s = conn.Exec("COMMIT");
    }
    if (!s.ok() && conn.Healthy()) (void)conn.Exec("ROLLBACK");
    if (!s.ok() && !conn.Healthy()) pool_->DropIdle();
    result = s;
    // Only a transaction that never reached COMMIT is repeated: after COMMIT was sent, a lost
    // connection leaves the outcome unknown.
    if (s.ok() || conn.Healthy() || commit_sent) break;
  }
  return result;
}

// --- meta

Result<std::optional<std::string>> PostgresStore::GetMeta(const std::string& name) {
  std::optional<std::string> out;
  Status s = WithConnection([&](PgConnection& conn) -> Status {
    PgParams p;
    p.BindText(1, name);
    auto r = conn.Query("SELECT value FROM meta WHERE name = ?1", p);
    if (!r) return r.error();
    if (r->rows() > 0) out = r->row(0).ColumnText(0);
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, "read setting " + name);
  return out;
}

Result<std::string> PostgresStore::PutMetaIfAbsent(const std::string& name,
                                                   const std::string& value) {
  std::string out;
  // Insert-or-ignore, then read: whoever inserted first (this node or another) wins.
  Status s = WithConnection([&](PgConnection& conn) -> Status {
    PgParams p;
    p.BindText(1, name);
    p.BindText(2, value);
    auto ins = conn.Query(
        "INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING", p);
    if (!ins) return ins.error();
    PgParams q;
    q.BindText(1, name);
    auto r = conn.Query("SELECT value FROM meta WHERE name = ?1", q);
    if (!r) return r.error();
    if (r->rows() == 0) return Status::Internal("value vanished after insert");
    out = r->row(0).ColumnText(0);
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, "store setting " + name);
  return out;
}

// --- keys

Result<SiteKey> PostgresStore::AddKey(KeyRole role, const std::string& site_url,
                                      const std::string& key_hash, const std::string& key_hint,
                                      int64_t now_ms) {
  const std::string context =
      "add " + std::string(KeyRoleName(role)) + " key for '" + site_url + "'";
  SiteKey key;
  Status s = WithConnection(
      [&](PgConnection& conn) -> Status {
        PgParams p;
        p.BindText(1, site_url);
        p.BindText(2, key_hash);
        p.BindText(3, key_hint);
        p.BindInt(4, now_ms);
        p.BindText(5, KeyRoleName(role));
        auto r = conn.Query(
            "INSERT INTO site_keys (site_url, key_hash, key_hint, created_ms, role)"
            " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            p);
        if (!r) return r.error();
        key.id = r->row(0).ColumnInt(0);
        return Status::Ok();
      },
      /*retry=*/false);
  if (!s.ok()) {
    if (s.code() == core::StatusCode::kInvalidArgument) {
      return Status::InvalidArgument(context + ": a key with this hash exists already");
    }
    return WithContext(s, context);
  }
  key.role = role;
  key.site_url = site_url;
  key.key_hash = key_hash;
  key.key_hint = key_hint;
  key.created_ms = now_ms;
  return key;
}

Result<std::optional<SiteKey>> PostgresStore::FindKeyByHash(const std::string& key_hash) {
  std::optional<SiteKey> out;
  Status s = WithConnection([&](PgConnection& conn) -> Status {
    PgParams p;
    p.BindText(1, key_hash);
    auto r = conn.Query(internal::SiteKeySelectSql() + " WHERE k.key_hash = ?1", p);
    if (!r) return r.error();
    auto key = internal::ReadFirstRow<SiteKey>(*r, internal::ReadSiteKey);
    if (!key) return key.error();
    out = std::move(key).value();
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, "find key");
  return out;
}

Result<std::vector<SiteKey>> PostgresStore::ListKeys() {
  std::vector<SiteKey> out;
  Status s = WithConnection([&](PgConnection& conn) -> Status {
    auto r = conn.Query(internal::SiteKeySelectSql() + " ORDER BY k.id");
    if (!r) return r.error();
    auto keys = internal::ReadRows<SiteKey>(*r, internal::ReadSiteKey);
    if (!keys) return keys.error();
    out = std::move(keys).value();
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, "list keys");
  return out;
}

Status PostgresStore::RevokeKey(int64_t key_id, int64_t now_ms) {
  const std::string context = "revoke key " + std::to_string(key_id);
  int64_t changed = 0;
  // Idempotent (coalesce keeps the first time), so it may be repeated after a lost connection.
  Status s = WithConnection([&](PgConnection& conn) -> Status {
    PgParams p;
    p.BindInt(1, key_id);
    p.BindInt(2, now_ms);
    auto r =
        conn.Query("UPDATE site_keys SET revoked_ms = coalesce(revoked_ms, ?2) WHERE id = ?1", p);
    if (!r) return r.error();
    changed = r->affected();
    return Status::Ok();
  });
  if (!s.ok()) return WithContext(s, context);
  if (changed == 0) return Status::NotFound(context + ": no key has this id");
  return Status::Ok();
}

// --- group commit

struct PostgresStore::Append : PendingWrite {
  const DecisionRecord* decision = nullptr;
  const FeedbackRecord* feedback = nullptr;
  std::string reasons_json;
  std::string fields_json;
  int64_t new_id = 0;

  std::string Describe() const {
    return decision != nullptr ? "store decision " + decision->id : "store feedback";
  }
};

Status PostgresStore::AppendDecision(const DecisionRecord& record) {
  if (record.id.empty()) return Status::InvalidArgument("store decision: the id is empty");
  Append write;
  write.decision = &record;
  write.reasons_json = internal::EncodeReasons(record.decision.reasons);
  write.fields_json = internal::EncodeFields(record.comment.fields);
  return SubmitWrite(write);
}

Result<int64_t> PostgresStore::AppendFeedback(const FeedbackRecord& record) {
  Append write;
  write.feedback = &record;
  write.fields_json = internal::EncodeFields(record.fields);
  if (Status s = SubmitWrite(write); !s.ok()) return s;
  return write.new_id;
}

Status PostgresStore::SubmitWrite(Append& write) {
  writes_waiting_.fetch_add(1, std::memory_order_relaxed);
  Status status = queue_.Submit(write);
  writes_waiting_.fetch_sub(1, std::memory_order_relaxed);
  return status;
}

void PostgresStore::CommitBatch(const std::vector<PendingWrite*>& batch) {
  const auto started = std::chrono::steady_clock::now();
  // PostgreSQL aborts the whole transaction on any error. Rather than a savepoint per record
  // (two more round trips each), a record refused on its own (InvalidArgument) is failed and
  // the batch is written again without it; refusals are rare, so this is one transaction.
  std::vector<Append*> todo;
  for (PendingWrite* pw : batch) todo.push_back(static_cast<Append*>(pw));
  for (;;) {
    Append* refused = nullptr;
    Status s = Transaction([&](PgConnection& conn) -> Status {
      for (Append* w : todo) {
        PgParams p;
        auto insert = [&]() -> Result<PgResult> {
          if (w->decision != nullptr) {
            internal::BindDecision(p, *w->decision, w->reasons_json, w->fields_json);
            return conn.Query(internal::DecisionInsertSql(), p);
          }
          internal::BindFeedback(p, *w->feedback, w->fields_json);
          auto inserted = conn.Query(internal::FeedbackInsertSql() + " RETURNING id", p);
          if (inserted) w->new_id = inserted->row(0).ColumnInt(0);
          return inserted;
        };
        Result<PgResult> r = insert();
        if (!r) {
          if (r.error().code() == core::StatusCode::kInvalidArgument) refused = w;
          return r.error();
        }
      }
      return Status::Ok();
    });
    if (s.ok()) {
      commit_seconds_.Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      commits_.fetch_add(1);
      records_committed_.fetch_add(todo.size(), std::memory_order_relaxed);
      NoteWriteOutcome(Status::Ok());
      return;
    }
    if (refused != nullptr) {
      refused->status = WithContext(s, refused->Describe());
      std::erase(todo, refused);
      if (todo.empty()) return;
      continue;
    }
    for (Append* w : todo) {
      w->status = WithContext(s, w->Describe());
      failed_writes_.fetch_add(1, std::memory_order_relaxed);
    }
    NoteWriteOutcome(s);
    return;
  }
}

// --- health and statistics

void PostgresStore::NoteWriteOutcome(const Status& status) {
  if (status.code() == core::StatusCode::kInvalidArgument) return;
  std::lock_guard lock(health_mu_);
  write_health_ = status;
}

Result<int64_t> PostgresStore::CatchUpTextIndex(int max_rows) {
  if (max_rows < 1) {
    return Status::InvalidArgument("update the text index: max_rows must be >= 1");
  }
  return int64_t{0};
}

Status PostgresStore::Ping() {
  Status s = WithConnection([](PgConnection& conn) -> Status {
    auto r = conn.Query("SELECT version FROM schema_version WHERE id = 1");
    return r ? Status::Ok() : r.error();
  });
  return WithContext(s, where());
}

Status PostgresStore::CheckWritable() {
  // Unlike a file, a server can go away (or come back) while nothing is written, and reads
  // fail first: so the probe runs whenever the last answer is older than a second, healthy or
  // not, and a failed write counts until then.
  {
    std::lock_guard lock(health_mu_);
    const auto now = std::chrono::steady_clock::now();
    if (now - last_probe_ < std::chrono::seconds(1)) return WithContext(write_health_, where());
    last_probe_ = now;
  }
  // A write transaction that leaves nothing behind; the server refuses it when it is down,
  // read-only (a standby) or out of disk. It also takes (and gives back) the change clock's
  // row lock every decision and feedback write takes, so a session holding it shows here
  // (within 1 s).
  Status probe = Transaction([](PgConnection& conn) -> Status {
    if (Status s = conn.Exec("SET LOCAL lock_timeout = '1s'"); !s.ok()) return s;
    if (auto c = conn.Query("SELECT value FROM change_clock FOR UPDATE"); !c) return c.error();
    // 64 KiB that do not compress (repeat('x', ...) shrank to a few bytes, which fit in pages
    // already there: a full disk went unnoticed), so new pages are needed as a batch needs them.
    auto r = conn.Query(
        "INSERT INTO meta (name, value) SELECT 'write_probe', string_agg(md5(i::text), '')"
        " FROM generate_series(1, 2048) AS i ON CONFLICT (name) DO NOTHING");
    if (!r) return r.error();
    auto d = conn.Query("DELETE FROM meta WHERE name = 'write_probe'");
    return d ? Status::Ok() : d.error();
  });
  NoteWriteOutcome(probe);
  return WithContext(probe, where());
}

StoreStats PostgresStore::Stats() const {
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

}  // namespace hamlet::store
