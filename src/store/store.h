// Store: the durable record of keys, decisions and moderator feedback, behind an interface so
// that SQLite (the embedded default) and a later PostgreSQL backend are interchangeable. SQL
// dialect details stay inside each backend.
//
// Thread-safety: every method may be called from any thread concurrently.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/comment.h"
#include "core/decision.h"
#include "core/histogram.h"
#include "core/status.h"

namespace hamlet::store {

// What a key may do: a site key calls the comment endpoints (Akismet, /v1/check, /v1/feedback),
// an admin key only the admin endpoints (/v1/admin/...). Neither is accepted for the other.
enum class KeyRole { kSite, kAdmin };

// "site", "admin".
constexpr std::string_view KeyRoleName(KeyRole role) {
  return role == KeyRole::kAdmin ? "admin" : "site";
}

// The role named `name` ("site" or "admin"); nullopt for anything else.
constexpr std::optional<KeyRole> ParseKeyRole(std::string_view name) {
  if (name == "site") return KeyRole::kSite;
  if (name == "admin") return KeyRole::kAdmin;
  return std::nullopt;
}

// An API key. The key itself is never stored, only its salted hash.
struct SiteKey {
  int64_t id = 0;
  KeyRole role = KeyRole::kSite;
  std::string site_url;  // the `blog` URL the key is bound to; may be empty for admin keys
  std::string key_hash;  // hex SHA-256 of (install salt + key)
  std::string key_hint;  // first 4 characters of the key, to tell keys apart in listings
  int64_t created_ms = 0;
  std::optional<int64_t> revoked_ms;
  bool revoked() const { return revoked_ms.has_value(); }
};

// One answered check.
struct DecisionRecord {
  std::string id;  // 32 lowercase hex characters; Akismet's X-akismet-guid
  int64_t key_id = 0;
  std::string site_url;
  int64_t created_ms = 0;
  std::string channel;  // "akismet", "v1" or "cli": which front door it came through
  core::Comment comment;
  core::Decision decision;
  std::string model_version;
  double latency_ms = 0.0;
  // Hash of the values a later submit-spam/submit-ham without a guid is matched on.
  std::string match_key;
  // For a recheck (a check with recheck_reason): the id of the first decision on the same
  // comment, so statistics count the comment once. Empty for first checks, and for rechecks
  // whose earlier check is unknown (e.g. the first check failed); those count as new.
  std::string recheck_of;
  // Filled by reads: the label of the latest feedback on this decision ("spam"/"ham"), if any.
  std::optional<std::string> feedback_label;
};

// A moderator's (or a site's) verdict on a comment: submit-spam, submit-ham, mark-spam, mark-ham.
struct FeedbackRecord {
  int64_t id = 0;
  std::string decision_id;  // empty when no original check was found
  int64_t key_id = 0;       // 0 when given through the CLI without a key
  std::string label;        // "spam" or "ham"
  std::string source;       // "akismet", "v1" or "cli"
  std::string moderator;    // `reporter` field, --moderator or $USER; may be empty
  int64_t created_ms = 0;
  bool is_test = false;
  core::FieldList fields;  // everything submitted with it
};

// Counts of one key's decisions in one UTC month for one submitted `blog` URL (for Akismet's
// get-stats, usage-limit and key-sites). Rechecks count in api_calls only.
struct DecisionCounts {
  std::string month;  // "YYYY-MM", UTC
  std::string blog;   // the `blog` field as submitted ("" when absent)
  int64_t api_calls = 0;        // every check, rechecks included
  int64_t spam = 0;             // first checks answered spam or discard
  int64_t ham = 0;              // first checks answered ham
  int64_t missed_spam = 0;      // ham answers whose latest feedback says spam
  int64_t false_positives = 0;  // spam/discard answers whose latest feedback says ham
};

// One comment with the label moderators or sites gave it, to learn from.
struct LabeledFeedback {
  int64_t feedback_id = 0;  // the feedback row the label comes from; pages are ordered by it
  std::string decision_id;  // empty for feedback no decision was found for
  std::string label;        // "spam" or "ham"
  int64_t created_ms = 0;   // when the feedback was received
  // The decision's stored comment, or, without a decision, core::CommentFromFields of the
  // fields submitted with the feedback.
  core::Comment comment;
};

struct DecisionFilter {
  // Only decisions that are spam, discard or uncertain (the moderators' queue).
  bool flagged_only = false;
  // Only decisions without any feedback yet.
  bool unreviewed_only = false;
  // Only first checks: no decision whose comment has a recheck_reason.
  bool first_checks_only = false;
  std::optional<int64_t> key_id;
  // Only decisions created in [since_ms, until_ms).
  std::optional<int64_t> since_ms;
  std::optional<int64_t> until_ms;
  int limit = 50;
  int offset = 0;
};

// Why the database refused work, in the terms an operator acts on (for metrics and logs):
// another process holds the write lock; the file cannot be written (read-only file, file
// system or permissions); the disk or the configured size limit is full; another I/O error;
// anything else (corruption, a bug).
enum class FaultKind { kLocked, kReadOnly, kFull, kIo, kOther };
inline constexpr size_t kFaultKindCount = 5;

// "locked", "read_only", "full", "io", "other".
constexpr std::string_view FaultKindName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kLocked:
      return "locked";
    case FaultKind::kReadOnly:
      return "read_only";
    case FaultKind::kFull:
      return "full";
    case FaultKind::kIo:
      return "io";
    case FaultKind::kOther:
      return "other";
  }
  return "other";
}

// The write path's counters since the store was opened, for /metrics. Counters only grow.
struct StoreStats {
  // Appends (decisions, feedback) handed in and not yet committed or failed: the depth of the
  // write queue, the batch being committed included.
  int64_t writes_waiting = 0;
  uint64_t commits = 0;            // write transactions committed (each holds a batch of appends)
  uint64_t records_committed = 0;  // appends committed
  // Appends that failed for a server-side reason (a fault below), not refused records.
  uint64_t failed_writes = 0;
  // Database errors by FaultKind (indexed by the enum's value): every failed database call
  // that was not the caller's fault, reads and probes included.
  std::array<uint64_t, kFaultKindCount> faults{};
  // Time from the start of a write transaction to its durable commit, in seconds.
  core::HistogramSnapshot commit_seconds;
};

class Store {
 public:
  virtual ~Store() = default;

  // --- install-wide settings
  // Value stored under `name`, or nullopt.
  virtual core::Result<std::optional<std::string>> GetMeta(const std::string& name) = 0;
  // Stores `value` under `name` unless a value is there already; returns the value in force.
  virtual core::Result<std::string> PutMetaIfAbsent(const std::string& name,
                                                    const std::string& value) = 0;

  // --- keys
  virtual core::Result<SiteKey> AddKey(KeyRole role, const std::string& site_url,
                                       const std::string& key_hash, const std::string& key_hint,
                                       int64_t now_ms) = 0;
  // The key with this hash, revoked or not; nullopt when there is none.
  virtual core::Result<std::optional<SiteKey>> FindKeyByHash(const std::string& key_hash) = 0;
  virtual core::Result<std::vector<SiteKey>> ListKeys() = 0;
  // NotFound when no key has this id.
  virtual core::Status RevokeKey(int64_t key_id, int64_t now_ms) = 0;

  // --- decisions
  // Durable when it returns ok: committed (fsynced) before return. Concurrent callers are
  // batched into one transaction (group commit). Unavailable when the database is locked,
  // read-only or full; nothing is half-written then.
  virtual core::Status AppendDecision(const DecisionRecord& record) = 0;
  virtual core::Result<std::optional<DecisionRecord>> GetDecision(const std::string& id) = 0;
  // Newest first.
  virtual core::Result<std::vector<DecisionRecord>> ListDecisions(const DecisionFilter& filter) = 0;
  // The newest decision of this key with this match key, if any.
  virtual core::Result<std::optional<DecisionRecord>> FindDecisionByMatchKey(
      int64_t key_id, const std::string& match_key) = 0;
  // Up to `limit` decisions of this key with this match key, newest first (the caller picks
  // among look-alikes, e.g. by a field the hash leaves out).
  virtual core::Result<std::vector<DecisionRecord>> FindDecisionsByMatchKey(
      int64_t key_id, const std::string& match_key, int limit) = 0;
  // This key's decisions created in [from_ms, to_ms), counted per UTC month and `blog`, ordered
  // by month, then blog. Feedback counts use each decision's latest feedback.
  virtual core::Result<std::vector<DecisionCounts>> CountDecisions(int64_t key_id, int64_t from_ms,
                                                                   int64_t to_ms) = 0;

  // --- feedback
  // Durable when it returns ok. Returns the new row's id.
  virtual core::Result<int64_t> AppendFeedback(const FeedbackRecord& record) = 0;
  // Oldest first.
  virtual core::Result<std::vector<FeedbackRecord>> ListFeedback(
      const std::string& decision_id) = 0;
  // The labels to learn from, one page at a time: for each decision its latest feedback
  // (highest id) that is not a test, and every non-test feedback without a decision, in
  // feedback id order, starting after `after_feedback_id`, at most `limit` rows. Feedback on a
  // decision whose comment was a test (`is_test`) is left out. The next page starts after the
  // last row's feedback_id; an empty page is the end. InvalidArgument for a negative limit.
  virtual core::Result<std::vector<LabeledFeedback>> ListLabeledFeedback(int64_t after_feedback_id,
                                                                         int limit) = 0;

  // Ok when the database is open and answers a query (for /healthz).
  virtual core::Status Ping() = 0;

  // --- health and statistics (for /readyz and /metrics)
  // Ok when writes are expected to succeed: no write has failed for a server-side reason
  // since the last one that succeeded. After such a failure, probes with a write transaction
  // of about a batch's size (64 KiB) that leaves no row behind (at most once a second, without
  // waiting for a lock) and returns Unavailable, naming the fault, until a probe or a real
  // write succeeds. So it recovers by itself when the trouble ends, even when no traffic
  // arrives.
  virtual core::Status CheckWritable() = 0;
  virtual StoreStats Stats() const = 0;
};

}  // namespace hamlet::store
