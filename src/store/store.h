// Store: the durable record of keys, decisions and moderator feedback, behind an interface so
// that SQLite (the embedded default) and a later PostgreSQL backend are interchangeable. SQL
// dialect details stay inside each backend.
//
// Thread-safety: every method may be called from any thread concurrently.
#pragma once

#include <array>
#include <compare>
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
  // Filled by reads: the label of the latest feedback on this decision ("spam"/"ham") that no
  // undo revoked, if any.
  std::optional<std::string> feedback_label;
  // When the retention policy blanked its personal fields (PurgePersonalData); nullopt before.
  std::optional<int64_t> purged_ms;
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
  // The moderator action that gave this verdict (ModeratorAction::id); 0 for site reports.
  int64_t action_id = 0;
  // Filled by reads. When an undo of its action revoked it: a revoked row is history only and
  // counts nowhere (latest label, retraining, statistics).
  std::optional<int64_t> revoked_ms;
  // Filled by reads. When the retention policy blanked its `fields`.
  std::optional<int64_t> purged_ms;
};

// One moderator action: a verdict (mark-spam, mark-ham, a key in `hamlet review`) on one or
// more decisions, kept with who and when. Its feedback rows carry its id.
struct ModeratorAction {
  int64_t id = 0;
  std::string moderator;  // --moderator or $USER
  std::string label;      // "spam" or "ham"
  std::string origin;     // "mark" (mark-spam/mark-ham) or "review" (hamlet review)
  std::string selection;  // how the decisions were chosen, for humans: the ids or the filter
  int64_t created_ms = 0;
  int64_t item_count = 0;  // feedback rows written
  std::optional<int64_t> undone_ms;
  std::string undone_by;  // who undid it; empty while in force
  bool undone() const { return undone_ms.has_value(); }
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

// A decision's label state, from its latest feedback that no undo revoked.
enum class LabelFilter { kAny, kUnlabeled, kLabeled, kSpam, kHam };

enum class DecisionOrder {
  kNewest,    // created_ms descending, then the later insert first
  kOldest,    // created_ms ascending, then the earlier insert first
  kRiskiest,  // score descending, then newest first
};

// One entry of an operator's allow or block list (`hamlet lists`). Text as given; the engine
// validates it and brings the value to its canonical form before it is stored.
struct ListEntry {
  int64_t id = 0;        // assigned by the store
  std::string site_url;  // the site it applies to; "" for every site
  std::string list;      // "allow" or "block"
  std::string kind;      // "ip", "email", "email_domain", "url_domain", "word", "regex"
  std::string value;     // canonical (signals::CanonicalListValue)
  std::string note;      // why it was added; may be empty
  std::string added_by;  // who added it; may be empty
  int64_t created_ms = 0;
};

// Where a webhook event stands: waiting (first attempt or a retry), delivered (the site
// answered 2xx), or failed (attempts used up, or nothing to deliver to; `hamlet webhooks
// retry` puts it back).
enum class WebhookState { kPending, kDelivered, kFailed };

// "pending", "delivered", "failed".
constexpr std::string_view WebhookStateName(WebhookState state) {
  switch (state) {
    case WebhookState::kPending:
      return "pending";
    case WebhookState::kDelivered:
      return "delivered";
    case WebhookState::kFailed:
      return "failed";
  }
  return "pending";
}

// The state named `name`; nullopt for anything else.
constexpr std::optional<WebhookState> ParseWebhookState(std::string_view name) {
  if (name == "pending") return WebhookState::kPending;
  if (name == "delivered") return WebhookState::kDelivered;
  if (name == "failed") return WebhookState::kFailed;
  return std::nullopt;
}

// One event in the webhook outbox: a moderator outcome (or a test ping) to be POSTed to a
// site. Written with the feedback it reports, in the same transaction; delivered by a worker
// that claims it for a lease, so that several workers (or nodes) never send it at once.
struct WebhookEvent {
  int64_t id = 0;           // assigned by the store; enqueue order
  std::string event_id;     // 32 lowercase hex, unique; the receiver's idempotency key
  std::string site_url;     // whose webhook_url and webhook_secret it goes to
  std::string type;         // "decision.moderated" or "ping"
  std::string decision_id;  // empty for a ping
  int64_t feedback_id = 0;  // the feedback it reports; 0 for a ping. Set by the store
  std::string payload;      // the JSON body, fixed when enqueued (retries send the same)
  int64_t created_ms = 0;
  WebhookState state = WebhookState::kPending;
  int attempts = 0;              // attempts started (a claim starts one)
  int64_t next_attempt_ms = 0;   // not attempted before this time
  std::string claimed_by;        // the worker holding the lease; empty when none
  int64_t claimed_until_ms = 0;  // the lease's end; 0 when not claimed
  int last_status = 0;           // the HTTP status of the last attempt; 0: no answer
  std::string last_error;        // why the last attempt failed; empty after a success
  int64_t finished_ms = 0;       // when it was delivered or given up; 0 while pending
};

// What one delivery attempt came to, for FinishWebhookAttempt.
struct WebhookAttemptResult {
  int64_t event = 0;                            // WebhookEvent::id
  std::string worker;                           // the claim's holder
  WebhookState state = WebhookState::kPending;  // pending: retry at next_attempt_ms
  int64_t next_attempt_ms = 0;                  // for a retry
  int last_status = 0;
  std::string last_error;
  int64_t now_ms = 0;  // finished_ms when delivered or failed
};

struct WebhookEventFilter {
  std::optional<WebhookState> state;
  std::optional<std::string> site_url;
  int limit = 50;
};

// One page of a site's decisions that changed (were made, or got a label) after a cursor,
// for GET /v1/decisions. Each decision appears once per page, as it is now (its latest
// feedback), ordered by the time of the change that put it on the page.
struct DecisionChange {
  DecisionRecord decision;
  std::optional<FeedbackRecord> latest_feedback;  // the label in force and who gave it
};
struct DecisionChangesPage {
  std::vector<DecisionChange> changes;
  std::string next_cursor;  // where the next page starts; the same cursor when nothing changed
  bool more = false;        // true when changes beyond this page exist already
};

// Which decisions a listing, count or bulk action covers. Every condition set must hold.
// Where a decision stands in the order decisions were committed (Store::LastDecisionPosition,
// ListMemoryDecisionsAfter). Compared as the pair (stamp, seq); what the numbers are is the
// backend's: PostgreSQL's (change_stamp, seq), SQLite's (0, rowid). Either way, once a
// position is visible to a reader, every decision committed later has a greater one.
struct DecisionPosition {
  int64_t stamp = 0;
  int64_t seq = 0;  // (0, 0): before every decision
  auto operator<=>(const DecisionPosition&) const = default;
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
  // Set by ListMemoryDecisions and ListMemoryDecisionsAfter; (0, 0) in MemoryFeedback.
  DecisionPosition position;
};

// Where a page of ListMemoryDecisions ended: the last row's (created_ms, id).
struct MemoryCursor {
  int64_t created_ms = 0;
  std::string id;  // "" before the first page
};

// Where a feedback row stands in the order feedback was committed (Store::ListMemoryFeedback),
// as DecisionPosition for decisions: PostgreSQL's (change_stamp, id), SQLite's (0, id). Once a
// position is visible to a reader, every feedback row committed later has a greater one.
struct FeedbackPosition {
  int64_t stamp = 0;
  int64_t id = 0;  // (0, 0): before every feedback row
  auto operator<=>(const FeedbackPosition&) const = default;
};

// One feedback row as memory learns it (Store::ListMemoryFeedback).
struct MemoryFeedback {
  int64_t feedback_id = 0;
  FeedbackPosition position;  // set by ListMemoryFeedback
  std::string label;  // "spam" or "ham"
  int64_t created_ms = 0;
  bool is_test = false;
  // The site: the labelled decision's, else the feedback key's; "" when neither is known.
  std::string site_url;
  std::optional<MemoryDecision> decision;  // the decision it labels, when linked
  // Without a decision: the comment submitted with the feedback (core::CommentFromFields).
  std::optional<core::Comment> comment;
};

// Where an undo's revocation of a feedback row stands in the order undos were committed
// (Store::ListMemoryRevocations): (the undo's revoke stamp, the feedback row's id), the same on
// both backends. Once a position is visible to a reader, every revocation committed later has
// a greater one.
struct RevocationPosition {
  int64_t stamp = 0;
  int64_t id = 0;  // (0, 0): before every revocation
  auto operator<=>(const RevocationPosition&) const = default;
};

// A feedback row an undo revoked, as memory unlearns it: the decision it labelled and the
// label in force on that decision now.
struct MemoryRevocation {
  RevocationPosition position;
  int64_t feedback_id = 0;  // the revoked row
  std::string label;        // its label, "spam" or "ham"
  int64_t created_ms = 0;   // when the revoked row was written
  bool is_test = false;
  MemoryDecision decision;  // the decision it labelled
  // The decision's latest non-test feedback that no undo revoked, when there is one: the
  // label in force again. Without it, hamlet's own verdict stands again.
  std::optional<int64_t> restored_feedback_id;
  std::string restored_label;  // "spam" or "ham" when restored_feedback_id is set
};

struct DecisionFilter {
  // Only decisions that are spam, discard or uncertain (the moderators' queue).
  bool flagged_only = false;
  // Only decisions without any feedback yet (that no undo revoked). Same as
  // label = kUnlabeled.
  bool unreviewed_only = false;
  // Only first checks: no decision whose comment has a recheck_reason.
  bool first_checks_only = false;
  std::optional<int64_t> key_id;
  // Only decisions created in [since_ms, until_ms).
  std::optional<int64_t> since_ms;
  std::optional<int64_t> until_ms;
  // Only these automatic verdicts; empty: any.
  std::vector<core::Verdict> verdicts;
  // Only decisions marked uncertain.
  bool uncertain_only = false;
  LabelFilter label = LabelFilter::kAny;
  // Only this site: the key's site URL or the submitted `blog` equals it, a trailing '/'
  // on either side ignored. Empty: any.
  std::string site;
  // Only scores in [min_score, max_score].
  std::optional<double> min_score;
  std::optional<double> max_score;
  // Full-text search in the author, e-mail, author URL and content: whitespace-separated
  // words that must all occur as whole words, ignoring case and accents; "double quotes"
  // make a phrase; a word ending in '*' matches as a prefix. Empty: no condition. Each
  // backend maps this onto its own full-text index.
  std::string text;
  // Substrings (ASCII case ignored) of the author name and of the author e-mail.
  std::string author_contains;
  std::string email_contains;
  // The IP address equals `ip`, or starts with `ip_prefix`. Empty: no condition.
  std::string ip;
  std::string ip_prefix;
  // The content or the author URL contains this (ASCII case ignored); a coarse pre-filter
  // for link domains, which the engine then checks exactly.
  std::string mentions;
  // Leave out rechecks linked to their first check (recheck_of set): the comment is counted
  // and judged as that first check.
  bool exclude_linked_rechecks = false;
  bool exclude_tests = false;   // leave out checks sent with is_test
  bool exclude_purged = false;  // leave out decisions whose personal fields were purged
  DecisionOrder order = DecisionOrder::kNewest;
  int limit = 50;
  int offset = 0;
};

// Decisions per UTC day, site, automatic verdict and moderators' label, for statistics.
struct VolumeCount {
  std::string day;   // "YYYY-MM-DD", UTC
  std::string site;  // the submitted `blog`, or the key's site URL when none was sent
  core::Verdict verdict = core::Verdict::kHam;
  bool uncertain = false;
  std::string label;  // the latest unrevoked feedback label, "" when none
  int64_t count = 0;
};

// How many decisions name a check among their reasons.
struct ReasonCount {
  std::string check;
  int64_t decisions = 0;
};

// Rows whose personal fields a purge blanked (or would blank).
struct PurgeCounts {
  int64_t decisions = 0;
  int64_t feedback = 0;
  int64_t actions = 0;         // moderator actions whose `selection` text was blanked
  int64_t webhook_events = 0;  // delivered or failed events deleted (their payload quotes)
};

// Rows retention deleted (or would delete) with Store::DeleteOldDecisions.
struct DeleteCounts {
  int64_t decisions = 0;
  int64_t feedback = 0;        // on those decisions, and old feedback that named none
  int64_t actions = 0;         // old moderator actions none of whose feedback is left
  int64_t webhook_events = 0;  // events reporting those decisions (any state)
};

// Decisions that retention deleted, counted per UTC day and by everything statistics group or
// filter them by (`hamlet stats`, Akismet's usage counts); written in the transaction that
// deletes them, so a count over a period is the same before and after.
struct DeletedCount {
  int64_t day_ms = 0;  // the UTC day's first millisecond
  int64_t key_id = 0;  // 0: checked without a key
  std::string site_url;
  std::string blog;
  core::Verdict verdict = core::Verdict::kHam;
  bool uncertain = false;
  std::string label;     // the latest unrevoked feedback label when deleted; "" when none
  bool is_test = false;  // sent with is_test
  bool recheck = false;  // had a recheck_reason
  bool linked = false;   // a recheck linked to its first check (recheck_of set)
  int64_t decisions = 0;
};

// One model version in the registry (Store::PublishModel): the model file's bytes and its
// sidecar, published by `hamlet retrain` or `hamlet models publish` on any host and taken up by
// every hamletd that polls the same database. Rows are kept; the newest (highest id) is in force.
struct PublishedModel {
  int64_t id = 0;         // assigned by the store; publication order
  std::string version;    // the classifier's Version(), e.g. "hamlet-default@709d62df"
  std::string model;      // the model file's bytes; empty in listings
  std::string meta_json;  // the sidecar's text (app::ModelMeta); "" when the model has none
  std::string sha256;     // lowercase hex SHA-256 of `model`, as the publisher computed it
  int64_t published_ms = 0;
  std::string publisher;    // who published it, e.g. "alice@host1"
  int64_t model_bytes = 0;  // filled by reads: the size of `model` as stored
};

// --- moving an installation to another store (`hamlet migrate`)

// Every table an installation holds, in the order a copy writes them (each only refers to
// tables before it): install settings (salts), keys, site settings, list entries, moderator
// actions, decisions, feedback, webhook events, published models (the registry), the counts of
// decisions retention deleted.
enum class InstallTable {
  kMeta,
  kSiteKeys,
  kSiteSettings,
  kListEntries,
  kModeratorActions,
  kDecisions,
  kFeedback,
  kWebhookEvents,
  kPublishedModels,
  kDecisionDays,
};
inline constexpr InstallTable kInstallTables[] = {
    InstallTable::kMeta,          InstallTable::kSiteKeys,         InstallTable::kSiteSettings,
    InstallTable::kListEntries,   InstallTable::kModeratorActions, InstallTable::kDecisions,
    InstallTable::kFeedback,      InstallTable::kWebhookEvents,    InstallTable::kPublishedModels,
    InstallTable::kDecisionDays,
};

// The table's name as both backends spell it: "meta", "site_keys", ...
constexpr std::string_view InstallTableName(InstallTable table) {
  switch (table) {
    case InstallTable::kMeta:
      return "meta";
    case InstallTable::kSiteKeys:
      return "site_keys";
    case InstallTable::kSiteSettings:
      return "site_settings";
    case InstallTable::kListEntries:
      return "list_entries";
    case InstallTable::kModeratorActions:
      return "moderator_actions";
    case InstallTable::kDecisions:
      return "decisions";
    case InstallTable::kFeedback:
      return "feedback";
    case InstallTable::kWebhookEvents:
      return "webhook_events";
    case InstallTable::kPublishedModels:
      return "published_models";
    case InstallTable::kDecisionDays:
      return "decision_days";
  }
  return "meta";
}

// One install setting (the key salt, memory's salt, ...), as GetMeta reads it.
struct MetaEntry {
  std::string name;
  std::string value;
};

// Rows as stored, every column: ids, revoked/purged stamps, claims and attempt counts. What
// ExportInstallRows reads and ImportInstallRows writes.
struct InstallRows {
  std::vector<MetaEntry> meta;
  std::vector<SiteKey> keys;
  std::vector<SiteSetting> settings;
  std::vector<ListEntry> list_entries;
  std::vector<ModeratorAction> actions;
  std::vector<DecisionRecord> decisions;  // feedback_label is not stored (a read's summary)
  std::vector<FeedbackRecord> feedback;
  std::vector<WebhookEvent> webhook_events;
  std::vector<PublishedModel> published_models;  // with their bytes
  std::vector<DeletedCount> deleted_counts;      // decision_days
  // On import, when set: ListEntriesRevision's value after the rows are written.
  std::optional<int64_t> list_revision;
  size_t size() const {
    return meta.size() + keys.size() + settings.size() + list_entries.size() + actions.size() +
           decisions.size() + feedback.size() + webhook_events.size() + published_models.size() +
           deleted_counts.size();
  }
};

// One page of ExportInstallRows: its rows, and where the next page starts.
struct InstallPage {
  InstallRows rows;
  int64_t next = 0;   // the `after` of the next page (a backend's own position)
  bool done = false;  // no rows beyond this page
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
  // Time an append waited for its durable commit (the write queue, then the commit of its
  // batch), in seconds: what storing adds to a check's answer.
  core::HistogramSnapshot write_wait_seconds;
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
  // The decisions `filter` selects, in filter.order, one page (limit, offset).
  // A filter with `text` first brings the text index up to date (CatchUpTextIndex), so a
  // search finds every stored decision; when that cannot write (a read-only file, a lock),
  // the search still runs and may miss the latest decisions.
  virtual core::Result<std::vector<DecisionRecord>> ListDecisions(const DecisionFilter& filter) = 0;
  // How many decisions `filter` selects (limit, offset and order ignored).
  virtual core::Result<int64_t> CountMatchingDecisions(const DecisionFilter& filter) = 0;
  // The decisions `filter` selects (limit, offset and order ignored), counted per UTC day,
  // site, verdict, uncertainty and label; ordered by day, then site.
  virtual core::Result<std::vector<VolumeCount>> CountVolumes(const DecisionFilter& filter) = 0;
  // The `limit` checks named most often in the reasons of the decisions `filter` selects
  // (limit, offset and order of the filter ignored), most frequent first, then by name.
  virtual core::Result<std::vector<ReasonCount>> CountReasons(const DecisionFilter& filter,
                                                              int limit) = 0;
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
  // Oldest first, revoked rows included (they are the history).
  virtual core::Result<std::vector<FeedbackRecord>> ListFeedback(
      const std::string& decision_id) = 0;
  // The labels to learn from, one page at a time: for each decision its latest feedback
  // (highest id) that is neither a test nor revoked by an undo, and every such feedback
  // without a decision, in feedback id order, starting after `after_feedback_id`, at most
  // `limit` rows. Feedback on a decision whose comment was a test (`is_test`) is left out, and
  // so is feedback whose text a purge blanked (on a purged decision, or itself purged). The next
  // page starts after the last row's feedback_id; an empty page is the end. InvalidArgument for a
  // negative limit.
  virtual core::Result<std::vector<LabeledFeedback>> ListLabeledFeedback(int64_t after_feedback_id,
                                                                         int limit) = 0;

  // --- decisions that changed, for sites that poll (GET /v1/decisions)
  // The decisions of `site_url` made, or labeled by feedback, after `cursor` ("" = from the
  // beginning), at most `limit` changes. The cursor is the backend's own opaque text: a
  // decision committed after a page was read is never skipped by the next page, and may
  // appear again when it changes again. InvalidArgument for a cursor this backend did not
  // hand out, or a limit < 1.
  virtual core::Result<DecisionChangesPage> ListDecisionChanges(const std::string& site_url,
                                                                const std::string& cursor,
                                                                int limit) = 0;

  // --- webhook outbox
  // Stores a new event with no feedback (a ping). Returns its id.
  virtual core::Result<int64_t> AppendWebhookEvent(const WebhookEvent& event) = 0;
  // Claims the oldest due event (pending, next_attempt_ms <= now_ms, not under another
  // worker's unexpired lease) for `worker` until now_ms + lease_ms and counts the attempt,
  // atomically: no two workers, in this process or another, hold the same event at once.
  // nullopt when none is due.
  virtual core::Result<std::optional<WebhookEvent>> ClaimWebhookEvent(const std::string& worker,
                                                                      int64_t now_ms,
                                                                      int64_t lease_ms) = 0;
  // Records an attempt's outcome and ends the claim. NotFound when `result.worker` no longer
  // holds the claim (the lease ran out and another worker took it): then nothing changes.
  virtual core::Status FinishWebhookAttempt(const WebhookAttemptResult& result) = 0;
  // Newest first.
  virtual core::Result<std::vector<WebhookEvent>> ListWebhookEvents(
      const WebhookEventFilter& filter) = 0;
  virtual core::Result<std::optional<WebhookEvent>> GetWebhookEvent(int64_t id) = 0;
  // Puts failed or pending events back to pending, due at now_ms, with their attempt count
  // reset: the event with `id`, or (id 0) every failed event, of `site_url` when given. A
  // delivered event is sent again only when named by id. Returns how many changed.
  virtual core::Result<int> RequeueWebhookEvents(int64_t id,
                                                 const std::optional<std::string>& site_url,
                                                 int64_t now_ms) = 0;
  // Deletes delivered events that finished before `before_ms`. Returns how many.
  virtual core::Result<int> PruneWebhookEvents(int64_t before_ms) = 0;
  // --- memory (engine::SignalMemory's rebuild and catch-up)
  // Decisions created at or after `since_ms`, oldest first (by created_ms, then id), after
  // `after` (the previous page's last row), at most `limit`. Reads only what memory needs.
  // InvalidArgument for a negative limit.
  virtual core::Result<std::vector<MemoryDecision>> ListMemoryDecisions(int64_t since_ms,
                                                                        const MemoryCursor& after,
                                                                        int limit) = 0;
  // The position of the last committed decision ((0, 0) when there is none). Every decision
  // committed after this call returns has a greater position, whichever process wrote it.
  virtual core::Result<DecisionPosition> LastDecisionPosition() = 0;
  // Decisions with a position greater than `after`, in position (commit) order, at most
  // `limit`, as ListMemoryDecisions reads them: how a node learns what other nodes and
  // processes stored. Paging on the last row's position never skips a decision committed
  // later. InvalidArgument for a negative limit.
  virtual core::Result<std::vector<MemoryDecision>> ListMemoryDecisionsAfter(
      const DecisionPosition& after, int limit) = 0;
  // Feedback rows with a position greater than `after` and created at or after `since_ms`,
  // tests included (is_test says so), not revoked by an undo, in position (commit) order, at
  // most `limit`, each with its decision. Paging on the last row's position never skips a row
  // committed later, whichever process or node wrote it. InvalidArgument for a negative limit.
  virtual core::Result<std::vector<MemoryFeedback>> ListMemoryFeedback(
      const FeedbackPosition& after, int64_t since_ms, int limit) = 0;
  // Feedback rows on decisions that an undo revoked, with a position greater than `after`
  // and created at or after `since_ms`, tests included (is_test says so), in position (commit)
  // order, at most `limit`. Paging on the last row's position never skips a revocation
  // committed later. Revocations made before schema version 14 are not listed.
  // InvalidArgument for a negative limit.
  virtual core::Result<std::vector<MemoryRevocation>> ListMemoryRevocations(
      const RevocationPosition& after, int64_t since_ms, int limit) = 0;

  // --- per-site settings
  // Every setting of every site (and the defaults, site_url ""), ordered by site, then name.
  virtual core::Result<std::vector<SiteSetting>> ListSiteSettings() = 0;
  // Creates or replaces the setting (site_url, name).
  virtual core::Status PutSiteSetting(const SiteSetting& setting) = 0;
  // NotFound when the site has no such setting.
  virtual core::Status DeleteSiteSetting(const std::string& site_url, const std::string& name) = 0;
  // --- moderator actions
  // Writes `action`, `feedback` (each row's action_id set to the new action's id) and the
  // webhook `events` reporting them (each event's feedback_id set to the row on the event's
  // decision_id) in one transaction: all or nothing. Returns the action with its id and
  // item_count. Durable when it returns ok. InvalidArgument when a feedback row names an
  // unknown decision or key, or an event a decision no feedback row is on.
  virtual core::Result<ModeratorAction> AppendModeratorAction(
      const ModeratorAction& action, const std::vector<FeedbackRecord>& feedback,
      const std::vector<WebhookEvent>& events) = 0;
  virtual core::Result<std::optional<ModeratorAction>> GetModeratorAction(int64_t id) = 0;
  // Actions newest first; of one moderator when `moderator` is not empty; only those still
  // in force unless `include_undone`. InvalidArgument for a negative limit.
  virtual core::Result<std::vector<ModeratorAction>> ListModeratorActions(
      const std::string& moderator, bool include_undone, int limit) = 0;
  // The feedback rows action `id` wrote, oldest first (revoked ones included).
  virtual core::Result<std::vector<FeedbackRecord>> ListActionFeedback(int64_t id) = 0;
  // Marks the action undone by `by` at now_ms, revokes its feedback rows and stores the
  // webhook `events` reporting the undo (their feedback_id as given), in one transaction;
  // returns how many rows were revoked. NotFound for an unknown id, InvalidArgument when it
  // was undone already.
  virtual core::Result<int64_t> UndoModeratorAction(int64_t id, const std::string& by,
                                                    int64_t now_ms,
                                                    const std::vector<WebhookEvent>& events) = 0;

  // --- bulk import
  // Appends decisions, then feedback rows, in one transaction: all or nothing.
  // InvalidArgument naming the record at fault (an id that exists, an unknown key ...).
  virtual core::Status AppendImported(const std::vector<DecisionRecord>& decisions,
                                      const std::vector<FeedbackRecord>& feedback) = 0;

  // --- moving an installation (`hamlet migrate`; ids and every column kept)
  // How many rows `table` holds.
  virtual core::Result<int64_t> CountInstallRows(InstallTable table) = 0;
  // Up to `limit` rows of `table` in the order they were written (decisions in insertion
  // order, so "newest first" ties break the same way after a copy), starting after `after`
  // (0: from the first row; then the previous page's `next`). InvalidArgument for limit < 1.
  virtual core::Result<InstallPage> ExportInstallRows(InstallTable table, int64_t after,
                                                      int limit) = 0;
  // Writes every row of `rows` with its id and columns as given, tables in kInstallTables
  // order, in one transaction: all or nothing; meta rows replace a value under the same name.
  // Later AddKey/AppendFeedback/... get ids above the imported ones. InvalidArgument naming
  // the row at fault (an id that exists, an unknown key or decision ...).
  virtual core::Status ImportInstallRows(const InstallRows& rows) = 0;

  // --- retention
  // Blanks the personal fields of up to `max_rows` decisions and up to `max_rows` feedback
  // rows created before `before_ms` and not purged yet, stamping purged_ms = now_ms, in one
  // transaction. Decisions: IP, user agent, referrer, author name, e-mail and URL, content,
  // honeypot value, match key, the submitted `fields`, and the reasons' detail texts (check
  // names and contributions stay); feedback: the submitted `fields`; moderator actions: the
  // `selection` text (a filter may name an e-mail or IP). Rows stay, so counts stay. Webhook
  // events that are no longer pending are deleted (their payload quotes the comment). Call
  // again until it returns zeros (short transactions never hold up checks).
  virtual core::Result<PurgeCounts> PurgePersonalData(int64_t before_ms, int64_t now_ms,
                                                      int max_rows) = 0;
  // The rows PurgePersonalData(before_ms, ...) would blank, all batches together.
  virtual core::Result<PurgeCounts> CountPurgeable(int64_t before_ms) = 0;

  // Deletes up to `max_rows` decisions created before `before_ms` with their feedback and the
  // webhook events reporting them, adding them to the per-day counts (ListDeletedCounts) in the
  // same transaction; also up to `max_rows` feedback rows created before `before_ms` that name
  // no decision, and old moderator actions none of whose feedback is left. Kept: the newest
  // decision, feedback row and action (so no id is ever handed out twice), and a decision a
  // recheck created at or after `before_ms` refers to. Call again until it returns zeros.
  // InvalidArgument for max_rows < 1.
  virtual core::Result<DeleteCounts> DeleteOldDecisions(int64_t before_ms, int max_rows) = 0;
  // About what DeleteOldDecisions(before_ms, ...) would delete, all batches together.
  virtual core::Result<DeleteCounts> CountDeletable(int64_t before_ms) = 0;
  // The counts of deleted decisions whose day starts in [since_ms, until_ms), ordered by day.
  virtual core::Result<std::vector<DeletedCount>> ListDeletedCounts(int64_t since_ms,
                                                                    int64_t until_ms) = 0;

  // --- allow and block lists
  // Every entry of every site, ordered by site, list, kind, then value.
  virtual core::Result<std::vector<ListEntry>> ListListEntries() = 0;
  // A number that changes whenever an entry is added, changed or removed (by any process on
  // the same database), so a cache can tell cheaply that it must re-read the entries.
  virtual core::Result<int64_t> ListEntriesRevision() = 0;
  // Adds `entries` in one transaction (all or none). An entry equal to a stored one (same
  // site, list, kind and value) is skipped. Returns, for each entry in order, its new id, or
  // 0 when it was skipped. InvalidArgument when list, kind or value is empty.
  virtual core::Result<std::vector<int64_t>> AddListEntries(
      const std::vector<ListEntry>& entries) = 0;
  // NotFound when there is no such entry.
  virtual core::Status RemoveListEntry(const std::string& site_url, const std::string& list,
                                       const std::string& kind, const std::string& value) = 0;

  // Decisions are added to the text index (DecisionFilter::text) after they are stored, in
  // batches, off the check path. Indexes up to `max_rows` waiting decisions in one short
  // transaction and returns how many; 0 when none wait. InvalidArgument for max_rows < 1.
  virtual core::Result<int64_t> CatchUpTextIndex(int max_rows) = 0;

  // --- model registry
  // Stores a model version as given (the bytes are not checked here: readers verify sha256
  // against them). Durable when it returns ok. Returns its id, higher than every earlier one.
  // InvalidArgument when version, model or sha256 is empty.
  virtual core::Result<int64_t> PublishModel(const PublishedModel& model) = 0;
  // Published models newest first (highest id first), without their bytes (`model` empty,
  // model_bytes set), at most `limit`: ListPublishedModels(1) is the version in force, cheap
  // enough to poll. InvalidArgument for a limit < 1.
  virtual core::Result<std::vector<PublishedModel>> ListPublishedModels(int limit) = 0;
  // The published model `id` with its bytes; nullopt when there is none.
  virtual core::Result<std::optional<PublishedModel>> GetPublishedModel(int64_t id) = 0;

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
