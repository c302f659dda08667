// Store: the durable record of keys, decisions and moderator feedback, behind an interface so
// that SQLite (the embedded default) and a later PostgreSQL backend are interchangeable. SQL
// dialect details stay inside each backend.
//
// Thread-safety: every method may be called from any thread concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/comment.h"
#include "core/decision.h"
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

// What the engine's memory (engine::SignalMemory) keeps of a decision, stored with it so memory
// can be rebuilt after a restart, and corrected by later feedback, without re-reading the raw
// values: the comment's traits as salted hashes, its text fingerprint, and what memory learnt
// from the verdict. The engine owns the `traits` format (engine/footprint.h); backends store
// the text as given.
struct MemoryTrace {
  std::string lesson;                  // "spam", "ham", or "" when memory learnt nothing
  std::optional<int64_t> fingerprint;  // SimHash of the text (bits as a signed integer)
  std::string traits;                  // e.g. "ip:0123456789abcdef net:... sh:14"
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
  // nullopt when judged without memory, or stored before schema version 5: memory then derives
  // the trace from the comment.
  std::optional<MemoryTrace> memory;
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
  std::string month;            // "YYYY-MM", UTC
  std::string blog;             // the `blog` field as submitted ("" when absent)
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

// One per-site setting (engine::SiteProfile parses them). site_url "" holds the defaults for
// every site; a site's own row for the same name overrides it.
struct SiteSetting {
  std::string site_url;
  std::string name;   // e.g. "spam_threshold", "weight.links", "webhook_url"
  std::string value;  // text as given; validated by the engine before it is stored
  int64_t updated_ms = 0;
};

// One decision as memory's rebuild reads it (Store::ListMemoryDecisions).
struct MemoryDecision {
  std::string id;
  std::string site_url;
  int64_t created_ms = 0;
  core::Verdict verdict = core::Verdict::kHam;
  bool uncertain = false;
  bool is_test = false;
  bool recheck = false;  // the comment has a recheck_reason: the same comment again
  std::optional<MemoryTrace> memory;
  // Only when `memory` is nullopt: the comment (from its stored fields) to derive it from.
  std::optional<core::Comment> comment;
};

// Where a page of ListMemoryDecisions ended: the last row's (created_ms, id).
struct MemoryCursor {
  int64_t created_ms = 0;
  std::string id;  // "" before the first page
};

// One feedback row as memory learns it (Store::ListMemoryFeedback).
struct MemoryFeedback {
  int64_t feedback_id = 0;
  std::string label;  // "spam" or "ham"
  int64_t created_ms = 0;
  bool is_test = false;
  // The site: the labelled decision's, else the feedback key's; "" when neither is known.
  std::string site_url;
  std::optional<MemoryDecision> decision;  // the decision it labels, when linked
  // Without a decision: the comment submitted with the feedback (core::CommentFromFields).
  std::optional<core::Comment> comment;
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

  // --- memory (engine::SignalMemory's rebuild and catch-up)
  // Decisions created at or after `since_ms`, oldest first (by created_ms, then id), after
  // `after` (the previous page's last row), at most `limit`. Reads only what memory needs.
  // InvalidArgument for a negative limit.
  virtual core::Result<std::vector<MemoryDecision>> ListMemoryDecisions(int64_t since_ms,
                                                                        const MemoryCursor& after,
                                                                        int limit) = 0;
  // Feedback rows with id > `after_feedback_id` and created at or after `since_ms`, tests
  // included (is_test says so), in id order, at most `limit`, each with its decision.
  // InvalidArgument for a negative limit.
  virtual core::Result<std::vector<MemoryFeedback>> ListMemoryFeedback(int64_t after_feedback_id,
                                                                       int64_t since_ms,
                                                                       int limit) = 0;

  // --- per-site settings
  // Every setting of every site (and the defaults, site_url ""), ordered by site, then name.
  virtual core::Result<std::vector<SiteSetting>> ListSiteSettings() = 0;
  // Creates or replaces the setting (site_url, name).
  virtual core::Status PutSiteSetting(const SiteSetting& setting) = 0;
  // NotFound when the site has no such setting.
  virtual core::Status DeleteSiteSetting(const std::string& site_url, const std::string& name) = 0;

  // Ok when the database is open and answers a query (for /healthz).
  virtual core::Status Ping() = 0;
};

}  // namespace hamlet::store
