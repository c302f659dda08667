// The migration list: per version, SQLite's SQL (never edited once released: existing files were
// migrated with it) and PostgreSQL's. Row formats are documented in src/store/README.md; keep the
// two in step.
#include "store/schema.h"

#include <string>

namespace hamlet::store::schema {
namespace {

// Version 1: the initial schema. Id columns that mean "none" (no key, no linked decision) hold
// NULL rather than 0 so that foreign keys can be enforced.
constexpr std::string_view kSqliteV1 = R"sql(
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
constexpr std::string_view kSqliteV2 = R"sql(
ALTER TABLE decisions ADD COLUMN recheck_of TEXT REFERENCES decisions (id);
CREATE INDEX decisions_by_key_time ON decisions (key_id, created_ms);
)sql";

// Version 3: keys have a role. Existing keys are site keys (Akismet and /v1 comment calls);
// admin keys call only the admin endpoints (model reload).
constexpr std::string_view kSqliteV3 = R"sql(
ALTER TABLE site_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'site'
  CHECK (role IN ('site', 'admin'));
)sql";

// Version 4: per-site settings (thresholds, check weights, the uncertain answer, webhooks) as
// name/value rows; site_url '' holds the defaults for every site.
constexpr std::string_view kSqliteV4 = R"sql(
CREATE TABLE site_settings (
  site_url   TEXT NOT NULL,
  name       TEXT NOT NULL CHECK (length(name) > 0),
  value      TEXT NOT NULL,
  updated_ms INTEGER NOT NULL,
  PRIMARY KEY (site_url, name)
) WITHOUT ROWID;
)sql";

// Version 5: moderators' actions and the retention policy. A moderator action (mark-spam,
// mark-ham, a verdict in `hamlet review`) is one row here plus one feedback row per decision it
// judged; undoing it stamps undone_ms here and revoked_ms on those feedback rows, which then no
// longer count anywhere (latest label, retraining, statistics). purged_ms marks rows whose
// personal fields the retention policy blanked; the rows stay so that counts stay.
constexpr std::string_view kSqliteV5 = R"sql(
CREATE TABLE moderator_actions (
  id         INTEGER PRIMARY KEY,
  moderator  TEXT NOT NULL,
  label      TEXT NOT NULL CHECK (label IN ('spam', 'ham')),
  origin     TEXT NOT NULL,
  selection  TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  item_count INTEGER NOT NULL,
  undone_ms  INTEGER,
  undone_by  TEXT
);
CREATE INDEX moderator_actions_by_moderator ON moderator_actions (moderator, id);
ALTER TABLE feedback ADD COLUMN action_id INTEGER REFERENCES moderator_actions (id);
ALTER TABLE feedback ADD COLUMN revoked_ms INTEGER;
ALTER TABLE feedback ADD COLUMN purged_ms INTEGER;
ALTER TABLE decisions ADD COLUMN purged_ms INTEGER;
CREATE INDEX feedback_by_action ON feedback (action_id) WHERE action_id IS NOT NULL;
CREATE INDEX decisions_unpurged ON decisions (created_ms) WHERE purged_ms IS NULL;
CREATE INDEX feedback_unpurged ON feedback (created_ms) WHERE purged_ms IS NULL;
)sql";

// Version 6: full-text search over the comment fields moderators search (`hamlet queue --text`).
// A table of its own (not external content: decisions' rowids are not stable across VACUUM);
// its rows are found again by the decision id, which is indexed as a token.
constexpr std::string_view kSqliteV6 = R"sql(
CREATE VIRTUAL TABLE decisions_fts USING fts5(
  decision_id, comment_author, comment_author_email, comment_author_url, comment_content,
  tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO decisions_fts (decision_id, comment_author, comment_author_email,
                           comment_author_url, comment_content)
  SELECT id, comment_author, comment_author_email, comment_author_url, comment_content
  FROM decisions;
CREATE TRIGGER decisions_fts_insert AFTER INSERT ON decisions BEGIN
  INSERT INTO decisions_fts (decision_id, comment_author, comment_author_email,
                             comment_author_url, comment_content)
    VALUES (new.id, new.comment_author, new.comment_author_email, new.comment_author_url,
            new.comment_content);
END;
CREATE TRIGGER decisions_fts_update
  AFTER UPDATE OF comment_author, comment_author_email, comment_author_url, comment_content
  ON decisions BEGIN
  DELETE FROM decisions_fts
    WHERE decisions_fts MATCH ('decision_id : "' || replace(old.id, '"', '""') || '"')
      AND decision_id = old.id;
  INSERT INTO decisions_fts (decision_id, comment_author, comment_author_email,
                             comment_author_url, comment_content)
    SELECT new.id, new.comment_author, new.comment_author_email, new.comment_author_url,
           new.comment_content
    WHERE new.comment_author != '' OR new.comment_author_email != ''
       OR new.comment_author_url != '' OR new.comment_content != '';
END;
)sql";

// Version 7: the operators' allow and block lists (`hamlet lists`), one row per entry; site_url
// '' applies to every site. `kind` is not constrained here: the engine validates it, so a new
// kind needs no table rewrite (rows of a kind this build does not know are skipped). The
// single-row list_revision counts changes (triggers, so even a hand edit counts): a running
// hamletd polls it instead of re-reading the entries.
constexpr std::string_view kSqliteV7 = R"sql(
CREATE TABLE list_entries (
  id         INTEGER PRIMARY KEY,
  site_url   TEXT NOT NULL,
  list       TEXT NOT NULL CHECK (list IN ('allow', 'block')),
  kind       TEXT NOT NULL CHECK (length(kind) > 0),
  value      TEXT NOT NULL CHECK (length(value) > 0),
  note       TEXT NOT NULL,
  added_by   TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE (site_url, list, kind, value)
);
CREATE TABLE list_revision (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT INTO list_revision (id, revision) VALUES (1, 0);
CREATE TRIGGER list_entries_inserted AFTER INSERT ON list_entries
  BEGIN UPDATE list_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER list_entries_updated AFTER UPDATE ON list_entries
  BEGIN UPDATE list_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER list_entries_deleted AFTER DELETE ON list_entries
  BEGIN UPDATE list_revision SET revision = revision + 1 WHERE id = 1; END;
)sql";

// Version 8: the webhook outbox. An event is written in the transaction of the feedback it
// reports, then claimed by a delivery worker for a lease (claimed_by, claimed_until_ms), so
// that several workers or nodes never send it at once. The partial index holds only what
// is still to be delivered. decisions_by_site serves GET /v1/decisions (a site's decisions
// in insertion order: SQLite indexes carry the rowid).
constexpr std::string_view kSqliteV8 = R"sql(
CREATE TABLE webhook_events (
  id               INTEGER PRIMARY KEY,
  event_id         TEXT NOT NULL UNIQUE CHECK (length(event_id) > 0),
  site_url         TEXT NOT NULL,
  type             TEXT NOT NULL CHECK (type IN ('decision.moderated', 'ping')),
  decision_id      TEXT REFERENCES decisions (id),
  feedback_id      INTEGER REFERENCES feedback (id),
  payload          TEXT NOT NULL,
  created_ms       INTEGER NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL CHECK (attempts >= 0),
  next_attempt_ms  INTEGER NOT NULL,
  claimed_by       TEXT,
  claimed_until_ms INTEGER,
  last_status      INTEGER,
  last_error       TEXT NOT NULL,
  finished_ms      INTEGER
);
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_ms) WHERE state = 'pending';
CREATE INDEX webhook_events_by_site ON webhook_events (site_url, id);
CREATE INDEX decisions_by_site ON decisions (site_url);
)sql";

// Version 9: what the engine's memory keeps of each decision (reputation, campaigns, rates),
// so it can be rebuilt at start without the raw values: the lesson learnt from the verdict,
// the text's SimHash and the comment's traits as salted hashes. NULL traits: stored before
// this version or without memory (memory then derives them from the comment). The feedback
// index by time serves the rebuild's read of recent labels.
constexpr std::string_view kSqliteV9 = R"sql(
ALTER TABLE decisions ADD COLUMN memory_lesson TEXT
  CHECK (memory_lesson IS NULL OR memory_lesson IN ('spam', 'ham'));
ALTER TABLE decisions ADD COLUMN memory_fingerprint INTEGER;
ALTER TABLE decisions ADD COLUMN memory_traits TEXT;
CREATE INDEX feedback_by_time ON feedback (created_ms);
)sql";

// Version 10: the text index is filled after the fact, in batches. Indexing each decision as
// it was inserted (an FTS5 segment written per commit) halved the store's write rate and
// tripled the bytes written per decision; now an insert only queues the id in fts_pending,
// and CatchUpTextIndex (hamletd every second, and any text search first) moves queued
// decisions into decisions_fts many at a time. A purge of a decision still queued changes
// nothing in the index: the queued decision is indexed as it is then.
constexpr std::string_view kSqliteV10 = R"sql(
CREATE TABLE fts_pending (decision_id TEXT PRIMARY KEY) WITHOUT ROWID;
DROP TRIGGER decisions_fts_insert;
CREATE TRIGGER decisions_fts_queue AFTER INSERT ON decisions BEGIN
  INSERT OR IGNORE INTO fts_pending (decision_id) VALUES (new.id);
END;
DROP TRIGGER decisions_fts_update;
CREATE TRIGGER decisions_fts_update
  AFTER UPDATE OF comment_author, comment_author_email, comment_author_url, comment_content
  ON decisions
  WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE decision_id = new.id) BEGIN
  DELETE FROM decisions_fts
    WHERE decisions_fts MATCH ('decision_id : "' || replace(old.id, '"', '""') || '"')
      AND decision_id = old.id;
  INSERT INTO decisions_fts (decision_id, comment_author, comment_author_email,
                             comment_author_url, comment_content)
    SELECT new.id, new.comment_author, new.comment_author_email, new.comment_author_url,
           new.comment_content
    WHERE new.comment_author != '' OR new.comment_author_email != ''
       OR new.comment_author_url != '' OR new.comment_content != '';
END;
)sql";

// --- PostgreSQL. The same versions and the same tables, columns and meanings, in PostgreSQL's
// dialect: BIGINT identities for SQLite's INTEGER PRIMARY KEY, DOUBLE PRECISION for REAL,
// 0/1 SMALLINTs kept (not booleans) so that queries read the same. Two additions SQLite gets
// from its rowid: `seq` (insertion order, the tie-break of "newest first") and, on decisions
// and feedback, `change_stamp` (commit order for GET /v1/decisions; see kPgV8).

constexpr std::string_view kPgV1 = R"sql(
CREATE TABLE meta (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE site_keys (
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  site_url   TEXT NOT NULL,
  key_hash   TEXT NOT NULL UNIQUE,
  key_hint   TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  revoked_ms BIGINT
);

CREATE TABLE decisions (
  id                   TEXT PRIMARY KEY CHECK (length(id) > 0),
  seq                  BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  key_id               BIGINT REFERENCES site_keys (id),
  site_url             TEXT NOT NULL,
  created_ms           BIGINT NOT NULL,
  channel              TEXT NOT NULL,
  verdict              TEXT NOT NULL CHECK (verdict IN ('ham', 'spam', 'discard')),
  uncertain            SMALLINT NOT NULL CHECK (uncertain IN (0, 1)),
  score                DOUBLE PRECISION NOT NULL,
  reasons              TEXT NOT NULL,
  model_version        TEXT NOT NULL,
  latency_ms           DOUBLE PRECISION NOT NULL,
  is_test              SMALLINT NOT NULL CHECK (is_test IN (0, 1)),
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
CREATE INDEX decisions_by_time ON decisions (created_ms, seq);
CREATE INDEX decisions_by_match ON decisions (key_id, match_key, created_ms);
CREATE INDEX decisions_flagged ON decisions (created_ms)
  WHERE verdict != 'ham' OR uncertain != 0;

CREATE TABLE feedback (
  id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  decision_id TEXT REFERENCES decisions (id),
  key_id      BIGINT REFERENCES site_keys (id),
  label       TEXT NOT NULL CHECK (label IN ('spam', 'ham')),
  source      TEXT NOT NULL,
  moderator   TEXT NOT NULL,
  created_ms  BIGINT NOT NULL,
  is_test     SMALLINT NOT NULL CHECK (is_test IN (0, 1)),
  fields      TEXT NOT NULL
);
CREATE INDEX feedback_by_decision ON feedback (decision_id);
)sql";

constexpr std::string_view kPgV2 = R"sql(
ALTER TABLE decisions ADD COLUMN recheck_of TEXT REFERENCES decisions (id);
CREATE INDEX decisions_by_key_time ON decisions (key_id, created_ms);
)sql";

constexpr std::string_view kPgV3 = R"sql(
ALTER TABLE site_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'site'
  CHECK (role IN ('site', 'admin'));
)sql";

constexpr std::string_view kPgV4 = R"sql(
CREATE TABLE site_settings (
  site_url   TEXT NOT NULL,
  name       TEXT NOT NULL CHECK (length(name) > 0),
  value      TEXT NOT NULL,
  updated_ms BIGINT NOT NULL,
  PRIMARY KEY (site_url, name)
);
)sql";

constexpr std::string_view kPgV5 = R"sql(
CREATE TABLE moderator_actions (
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  moderator  TEXT NOT NULL,
  label      TEXT NOT NULL CHECK (label IN ('spam', 'ham')),
  origin     TEXT NOT NULL,
  selection  TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  item_count BIGINT NOT NULL,
  undone_ms  BIGINT,
  undone_by  TEXT
);
CREATE INDEX moderator_actions_by_moderator ON moderator_actions (moderator, id);
ALTER TABLE feedback ADD COLUMN action_id BIGINT REFERENCES moderator_actions (id);
ALTER TABLE feedback ADD COLUMN revoked_ms BIGINT;
ALTER TABLE feedback ADD COLUMN purged_ms BIGINT;
ALTER TABLE decisions ADD COLUMN purged_ms BIGINT;
CREATE INDEX feedback_by_action ON feedback (action_id) WHERE action_id IS NOT NULL;
CREATE INDEX decisions_unpurged ON decisions (created_ms) WHERE purged_ms IS NULL;
CREATE INDEX feedback_unpurged ON feedback (created_ms) WHERE purged_ms IS NULL;
)sql";

// Full-text search without extensions (CREATE EXTENSION unaccent needs a superuser): a stored
// generated tsvector over the four text columns, folded by hamlet_search_text (common Latin
// accents removed, lower case, punctuation to spaces so that "zoe@example.org" is three words,
// as in SQLite's unicode61 tokenizer), with the 'simple' configuration (no stemming, no stop
// words). Queries fold their terms with the same function: hamlet_phrase_query is one term of
// a query (its words in order; with `prefix`, the last word as a prefix).
constexpr std::string_view kPgV6 = R"sql(
CREATE FUNCTION hamlet_search_text(t TEXT) RETURNS TEXT
  LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
  regexp_replace(lower(translate(t,
    'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŒœŠšŽžĆćČčŁłŃńŚśŹźŻżŘřĚěŮů',
    'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyyOoSsZzCcCcLlNnSsZzZzRrEeUu')),
    '[[:space:][:punct:]]+', ' ', 'g');
CREATE FUNCTION hamlet_phrase_query(t TEXT, prefix BOOLEAN) RETURNS tsquery
  LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
  CASE WHEN prefix AND numnode(phraseto_tsquery('simple'::regconfig, hamlet_search_text(t))) > 0
    THEN (phraseto_tsquery('simple'::regconfig, hamlet_search_text(t))::TEXT || ':*')::tsquery
    ELSE phraseto_tsquery('simple'::regconfig, hamlet_search_text(t)) END;
ALTER TABLE decisions ADD COLUMN search tsvector GENERATED ALWAYS AS (
  to_tsvector('simple'::regconfig, hamlet_search_text(
    comment_author || ' ' || comment_author_email || ' ' || comment_author_url || ' ' ||
    comment_content))) STORED;
CREATE INDEX decisions_search ON decisions USING gin (search);
)sql";

constexpr std::string_view kPgV7 = R"sql(
CREATE TABLE list_entries (
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  site_url   TEXT NOT NULL,
  list       TEXT NOT NULL CHECK (list IN ('allow', 'block')),
  kind       TEXT NOT NULL CHECK (length(kind) > 0),
  value      TEXT NOT NULL CHECK (length(value) > 0),
  note       TEXT NOT NULL,
  added_by   TEXT NOT NULL,
  created_ms BIGINT NOT NULL,
  UNIQUE (site_url, list, kind, value)
);
CREATE TABLE list_revision (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  revision BIGINT NOT NULL
);
INSERT INTO list_revision (id, revision) VALUES (1, 0);
CREATE FUNCTION list_entries_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE list_revision SET revision = revision + 1 WHERE id = 1;
  RETURN NULL;
END $$;
CREATE TRIGGER list_entries_changed AFTER INSERT OR UPDATE OR DELETE ON list_entries
  FOR EACH ROW EXECUTE FUNCTION list_entries_changed();
)sql";

// The outbox as in SQLite. GET /v1/decisions needs a cursor that never skips a row committed
// after a page was read; identity values are handed out at insert, not at commit, so they do
// not give that order. change_clock is a one-row counter: the first decision or feedback row
// a transaction writes takes the next value (row-locking the counter until the transaction
// ends) and every row the transaction writes carries it as change_stamp. Transactions that
// write such rows therefore commit in stamp order, and a reader that has seen stamp S has
// seen every row of stamps <= S. Group commit makes that one counter update per batch.
constexpr std::string_view kPgV8 = R"sql(
CREATE TABLE webhook_events (
  id               BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  event_id         TEXT NOT NULL UNIQUE CHECK (length(event_id) > 0),
  site_url         TEXT NOT NULL,
  type             TEXT NOT NULL CHECK (type IN ('decision.moderated', 'ping')),
  decision_id      TEXT REFERENCES decisions (id),
  feedback_id      BIGINT REFERENCES feedback (id),
  payload          TEXT NOT NULL,
  created_ms       BIGINT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL CHECK (attempts >= 0),
  next_attempt_ms  BIGINT NOT NULL,
  claimed_by       TEXT,
  claimed_until_ms BIGINT,
  last_status      INTEGER,
  last_error       TEXT NOT NULL,
  finished_ms      BIGINT
);
CREATE INDEX webhook_events_due ON webhook_events (next_attempt_ms) WHERE state = 'pending';
CREATE INDEX webhook_events_by_site ON webhook_events (site_url, id);

CREATE TABLE change_clock (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value BIGINT NOT NULL
);
INSERT INTO change_clock (id, value) VALUES (1, 0);
CREATE FUNCTION hamlet_change_stamp() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  stamp BIGINT := nullif(current_setting('hamlet.change_stamp', true), '')::BIGINT;
  txn   TEXT := pg_current_xact_id()::TEXT;
BEGIN
  IF stamp IS NULL OR current_setting('hamlet.change_txn', true) IS DISTINCT FROM txn THEN
    UPDATE change_clock SET value = value + 1 WHERE id = 1 RETURNING value INTO stamp;
    PERFORM set_config('hamlet.change_stamp', stamp::TEXT, true);
    PERFORM set_config('hamlet.change_txn', txn, true);
  END IF;
  RETURN stamp;
END $$;
ALTER TABLE decisions ADD COLUMN change_stamp BIGINT NOT NULL DEFAULT hamlet_change_stamp();
ALTER TABLE feedback ADD COLUMN change_stamp BIGINT NOT NULL DEFAULT hamlet_change_stamp();
CREATE INDEX decisions_by_site ON decisions (site_url, change_stamp, seq);
CREATE INDEX feedback_by_change ON feedback (change_stamp, id);
)sql";

constexpr std::string_view kPgV9 = R"sql(
ALTER TABLE decisions ADD COLUMN memory_lesson TEXT
  CHECK (memory_lesson IS NULL OR memory_lesson IN ('spam', 'ham'));
ALTER TABLE decisions ADD COLUMN memory_fingerprint BIGINT;
ALTER TABLE decisions ADD COLUMN memory_traits TEXT;
CREATE INDEX feedback_by_time ON feedback (created_ms);
)sql";

// Version 10 for PostgreSQL: its text index (the generated `search` column, version 6) is
// written with the row and costs no extra commit, so nothing waits and CatchUpTextIndex has
// nothing to do. The version exists so both backends count the same migrations.
constexpr std::string_view kPgV10 = R"sql(
COMMENT ON COLUMN decisions.search IS
  'full-text search over author, e-mail, author URL and content; written with the row';
)sql";

// Version 11: the model registry. `hamlet retrain` and `hamlet models publish` add a row; every
// hamletd on the database polls the newest (highest id) and hot-reloads it. Rows are kept (a
// rollback publishes an older file again); each holds a whole model file.
constexpr std::string_view kSqliteV11 = R"sql(
CREATE TABLE published_models (
  id           INTEGER PRIMARY KEY,
  version      TEXT NOT NULL CHECK (length(version) > 0),
  model        BLOB NOT NULL,
  meta_json    TEXT NOT NULL,
  sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
  published_ms INTEGER NOT NULL,
  publisher    TEXT NOT NULL
);
)sql";

constexpr std::string_view kPgV11 = R"sql(
CREATE TABLE published_models (
  id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  version      TEXT NOT NULL CHECK (length(version) > 0),
  model        BYTEA NOT NULL,
  meta_json    TEXT NOT NULL,
  sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
  published_ms BIGINT NOT NULL,
  publisher    TEXT NOT NULL
);
)sql";

// Version 12: memory's catch-up reads the decisions other nodes stored by position
// (Store::ListMemoryDecisionsAfter). SQLite's position is the rowid, the table's own key, so it
// needs nothing; PostgreSQL's is (change_stamp, seq), which decisions_by_site (version 8)
// orders only within one site.
constexpr std::string_view kSqliteV12 = R"sql(
-- Nothing to change: memory's catch-up pages decisions by rowid.
)sql";

constexpr std::string_view kPgV12 = R"sql(
CREATE INDEX decisions_by_change ON decisions (change_stamp, seq);
)sql";

// Version 13: retention deletes old decisions (Store::DeleteOldDecisions) and keeps their
// counts here, one row per UTC day and everything statistics group or filter by, written in
// the transaction that deletes them. Indexes on the columns that refer to a decision or a
// feedback row, so each deletion finds its referring rows without a scan (foreign key checks
// included); a delete trigger takes a deleted decision out of the text index.
constexpr std::string_view kSqliteV13 = R"sql(
CREATE TABLE decision_days (
  day_ms     INTEGER NOT NULL,
  key_id     INTEGER NOT NULL,
  site_url   TEXT NOT NULL,
  blog       TEXT NOT NULL,
  verdict    TEXT NOT NULL CHECK (verdict IN ('ham', 'spam', 'discard')),
  uncertain  INTEGER NOT NULL CHECK (uncertain IN (0, 1)),
  label      TEXT NOT NULL CHECK (label IN ('', 'spam', 'ham')),
  is_test    INTEGER NOT NULL CHECK (is_test IN (0, 1)),
  recheck    INTEGER NOT NULL CHECK (recheck IN (0, 1)),
  linked     INTEGER NOT NULL CHECK (linked IN (0, 1)),
  decisions  INTEGER NOT NULL CHECK (decisions > 0),
  PRIMARY KEY (day_ms, key_id, site_url, blog, verdict, uncertain, label, is_test, recheck,
               linked)
) WITHOUT ROWID;
CREATE INDEX decisions_by_recheck ON decisions (recheck_of) WHERE recheck_of IS NOT NULL;
CREATE INDEX webhook_events_by_decision ON webhook_events (decision_id)
  WHERE decision_id IS NOT NULL;
CREATE INDEX webhook_events_by_feedback ON webhook_events (feedback_id)
  WHERE feedback_id IS NOT NULL;
CREATE TRIGGER decisions_fts_delete AFTER DELETE ON decisions BEGIN
  DELETE FROM fts_pending WHERE decision_id = old.id;
  DELETE FROM decisions_fts
    WHERE decisions_fts MATCH ('decision_id : "' || replace(old.id, '"', '""') || '"')
      AND decision_id = old.id;
END;
)sql";

// PostgreSQL's text index is a column of the row: it goes with it.
constexpr std::string_view kPgV13 = R"sql(
CREATE TABLE decision_days (
  day_ms     BIGINT NOT NULL,
  key_id     BIGINT NOT NULL,
  site_url   TEXT NOT NULL,
  blog       TEXT NOT NULL,
  verdict    TEXT NOT NULL CHECK (verdict IN ('ham', 'spam', 'discard')),
  uncertain  SMALLINT NOT NULL CHECK (uncertain IN (0, 1)),
  label      TEXT NOT NULL CHECK (label IN ('', 'spam', 'ham')),
  is_test    SMALLINT NOT NULL CHECK (is_test IN (0, 1)),
  recheck    SMALLINT NOT NULL CHECK (recheck IN (0, 1)),
  linked     SMALLINT NOT NULL CHECK (linked IN (0, 1)),
  decisions  BIGINT NOT NULL CHECK (decisions > 0),
  PRIMARY KEY (day_ms, key_id, site_url, blog, verdict, uncertain, label, is_test, recheck,
               linked)
);
CREATE INDEX decisions_by_recheck ON decisions (recheck_of) WHERE recheck_of IS NOT NULL;
CREATE INDEX webhook_events_by_decision ON webhook_events (decision_id)
  WHERE decision_id IS NOT NULL;
CREATE INDEX webhook_events_by_feedback ON webhook_events (feedback_id)
  WHERE feedback_id IS NOT NULL;
)sql";

// Version 14: an undo is a change too. revoke_stamp orders revocations in commit order, as
// change_stamp orders new rows (version 8): GET /v1/decisions shows the decision again with the
// label now in force, and every hamletd's memory unlearns the revoked label without a restart
// (Store::ListMemoryRevocations). SQLite's stamp counts undos in meta ('revoke_clock'),
// advanced in the undo's write transaction; PostgreSQL's is the change clock's. Revocations made before
// this version keep NULL: they were reported already (webhooks) or are in memory's rebuild.
constexpr std::string_view kSqliteV14 = R"sql(
ALTER TABLE feedback ADD COLUMN revoke_stamp INTEGER;
CREATE INDEX feedback_by_revocation ON feedback (revoke_stamp, id) WHERE revoke_stamp IS NOT NULL;
)sql";

constexpr std::string_view kPgV14 = R"sql(
ALTER TABLE feedback ADD COLUMN revoke_stamp BIGINT;
CREATE INDEX feedback_by_revocation ON feedback (revoke_stamp, id) WHERE revoke_stamp IS NOT NULL;
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial schema: meta, site_keys, decisions, feedback", kSqliteV1, kPgV1},
    {2, "decisions.recheck_of links a recheck to the earlier decision; per-key time index",
     kSqliteV2, kPgV2},
    {3, "site_keys.role: site (the default, all existing keys) or admin", kSqliteV3, kPgV3},
    {4, "site_settings: per-site settings as name/value rows ('' = every site)", kSqliteV4, kPgV4},
    {5, "moderator_actions; feedback.action_id/revoked_ms/purged_ms; decisions.purged_ms",
     kSqliteV5, kPgV5},
    {6, "decisions_fts: full-text search over author, e-mail, author URL and content", kSqliteV6,
     kPgV6},
    {7, "list_entries: operators' allow/block lists ('' = every site); list_revision", kSqliteV7,
     kPgV7},
    {8, "webhook_events: the webhook outbox; decisions_by_site for GET /v1/decisions", kSqliteV8,
     kPgV8},
    {9, "decisions.memory_*: what memory keeps of a decision (lesson, fingerprint, hashed traits)",
     kSqliteV9, kPgV9},
    {10, "fts_pending: decisions are text-indexed in batches after they are stored", kSqliteV10,
     kPgV10},
    {11, "published_models: the model registry (model bytes, sidecar, sha256, publisher)",
     kSqliteV11, kPgV11},
    {12, "decisions_by_change: memory's catch-up reads other nodes' decisions in commit order",
     kSqliteV12, kPgV12},
    {13, "decision_days: counts of decisions retention deleted; indexes for the deletion",
     kSqliteV13, kPgV13},
    {14, "feedback.revoke_stamp: undos in commit order, for GET /v1/decisions and memory",
     kSqliteV14, kPgV14},
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
