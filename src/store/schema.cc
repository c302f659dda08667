// The migration list. Row formats are documented in src/store/README.md; keep the two in step.
#include "store/schema.h"

#include <string>

namespace hamlet::store::schema {
namespace {

// Version 1: the initial schema. Id columns that mean "none" (no key, no linked decision) hold
// NULL rather than 0 so that foreign keys can be enforced.
constexpr std::string_view kV1 = R"sql(
PRAGMA application_id = 1214344556;

CREATE TABLE meta (
  name  TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE site_keys (
  id         INTEGER PRIMARY KEY,
  site_url   TEXT NOT NULL,
  key_hash   TEXT NOT NULL UNIQUE,
  key_hint   TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  revoked_ms INTEGER
);

CREATE TABLE decisions (
  id                   TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
  key_id               INTEGER REFERENCES site_keys (id),
  site_url             TEXT NOT NULL,
  created_ms           INTEGER NOT NULL,
  channel              TEXT NOT NULL,
  verdict              TEXT NOT NULL CHECK (verdict IN ('ham', 'spam', 'discard')),
  uncertain            INTEGER NOT NULL CHECK (uncertain IN (0, 1)),
  score                REAL NOT NULL,
  reasons              TEXT NOT NULL,
  model_version        TEXT NOT NULL,
  latency_ms           REAL NOT NULL,
  is_test              INTEGER NOT NULL CHECK (is_test IN (0, 1)),
  match_key            TEXT NOT NULL,
  blog                 TEXT NOT NULL,
  user_ip              TEXT NOT NULL,
  user_agent           TEXT NOT NULL,
  referrer             TEXT NOT NULL,
  permalink            TEXT NOT NULL,
  comment_type         TEXT NOT NULL,
  comment_author       TEXT NOT NULL,
  comment_author_email TEXT NOT NULL,
  comment_author_url   TEXT NOT NULL,
  comment_content      TEXT NOT NULL,
  comment_date_gmt     TEXT NOT NULL,
  blog_lang            TEXT NOT NULL,
  blog_charset         TEXT NOT NULL,
  user_role            TEXT NOT NULL,
  recheck_reason       TEXT NOT NULL,
  honeypot_value       TEXT NOT NULL,
  fields               TEXT NOT NULL
);
CREATE INDEX decisions_by_time ON decisions (created_ms);
CREATE INDEX decisions_by_match ON decisions (key_id, match_key, created_ms);
CREATE INDEX decisions_flagged ON decisions (created_ms)
  WHERE verdict != 'ham' OR uncertain != 0;

CREATE TABLE feedback (
  id          INTEGER PRIMARY KEY,
  decision_id TEXT REFERENCES decisions (id),
  key_id      INTEGER REFERENCES site_keys (id),
  label       TEXT NOT NULL CHECK (label IN ('spam', 'ham')),
  source      TEXT NOT NULL,
  moderator   TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  is_test     INTEGER NOT NULL CHECK (is_test IN (0, 1)),
  fields      TEXT NOT NULL
);
CREATE INDEX feedback_by_decision ON feedback (decision_id);
)sql";

// Version 2: a recheck (a check with recheck_reason, e.g. WordPress's cron retry or "Check for
// Spam") names the earlier decision on the same comment, so statistics count the comment once.
// The index serves per-key statistics (get-stats, usage-limit, key-sites).
constexpr std::string_view kV2 = R"sql(
ALTER TABLE decisions ADD COLUMN recheck_of TEXT REFERENCES decisions (id);
CREATE INDEX decisions_by_key_time ON decisions (key_id, created_ms);
)sql";

// Version 3: keys have a role. Existing keys are site keys (Akismet and /v1 comment calls);
// admin keys call only the admin endpoints (model reload).
constexpr std::string_view kV3 = R"sql(
ALTER TABLE site_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'site'
  CHECK (role IN ('site', 'admin'));
)sql";

// Version 4: per-site settings (thresholds, check weights, the uncertain answer, webhooks) as
// name/value rows; site_url '' holds the defaults for every site.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE site_settings (
  site_url   TEXT NOT NULL,
  name       TEXT NOT NULL CHECK (length(name) > 0),
  value      TEXT NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (site_url, name)
) WITHOUT ROWID;
)sql";

// Version 5: what the engine's memory keeps of each decision (reputation, campaigns, rates),
// so it can be rebuilt at start without the raw values: the lesson learnt from the verdict,
// the text's SimHash and the comment's traits as salted hashes. NULL traits: stored before
// this version or without memory (memory then derives them from the comment). The feedback
// index by time serves the rebuild's read of recent labels.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE decisions ADD COLUMN memory_lesson TEXT
  CHECK (memory_lesson IS NULL OR memory_lesson IN ('spam', 'ham'));
ALTER TABLE decisions ADD COLUMN memory_fingerprint INTEGER;
ALTER TABLE decisions ADD COLUMN memory_traits TEXT;
CREATE INDEX feedback_by_time ON feedback (created_ms);
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema: meta, site_keys, decisions, feedback", kV1},
    {2, "decisions.recheck_of links a recheck to the earlier decision; per-key time index", kV2},
    {3, "site_keys.role: site (the default, all existing keys) or admin", kV3},
    {4, "site_settings: per-site settings as name/value rows ('' = every site)", kV4},
    {5, "decisions.memory_*: what memory keeps of a decision (lesson, fingerprint, hashed traits)",
     kV5},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

core::Status Migrate(int current_version,
                     const std::function<core::Status(const Migration&)>& apply) {
  if (current_version < 0 || current_version > LatestVersion()) {
    return core::Status::InvalidArgument(
        "database schema version " + std::to_string(current_version) +
        " is not one this build knows (newest: " + std::to_string(LatestVersion()) +
        "); was it written by a newer hamlet?");
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= current_version) continue;
    if (core::Status s = apply(m); !s.ok()) return s;
  }
  return core::Status::Ok();
}

}  // namespace hamlet::store::schema
