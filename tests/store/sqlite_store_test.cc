// Tests for the stores against real databases: SQLite's schema, and, on both backends (SQLite
// and PostgreSQL, support/store_backends.h), keys, meta, decision and feedback round trips,
// listing and matching. Concurrency and failure tests: sqlite_store_durability_test.cc.
#include "store/sqlite_store.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cmath>
#include <string>

#include "store/schema.h"
#include "support/sqlite_probe.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

using testing::TempDir;

std::unique_ptr<SqliteStore> OpenOrDie(const std::string& path, const SqliteOptions& options = {}) {
  return hamlet::testing::OpenSqliteStoreOrFail(path, options);
}

// A decision with every field set, distinct per `n`.
DecisionRecord MakeDecision(const std::string& id, int64_t created_ms, int64_t key_id = 0) {
  DecisionRecord r;
  r.id = id;
  r.key_id = key_id;
  r.site_url = "https://blog.example";
  r.created_ms = created_ms;
  r.channel = "akismet";
  core::Comment& c = r.comment;
  c.blog = "https://blog.example/";
  c.user_ip = "203.0.113.7";
  c.user_agent = "Mozilla/5.0";
  c.referrer = "https://ref.example/";
  c.permalink = "https://blog.example/post/1";
  c.comment_type = "comment";
  c.comment_author = "Zoë \"quotes\" O'Brien";
  c.comment_author_email = "zoe@example.org";
  c.comment_author_url = "https://zoe.example";
  c.comment_content = "Line one\nline two; DROP TABLE decisions; -- ✓ ünïcode";
  c.comment_date_gmt = "2024-01-02T03:04:05Z";
  c.blog_lang = "en_us";
  c.blog_charset = "UTF-8";
  c.user_role = "subscriber";
  c.recheck_reason = "edit";
  c.honeypot_value = "bot-filled";
  c.is_test = true;
  c.fields = {{"comment_content", c.comment_content},
              {"x_custom", "unknown field"},
              {"user_ip", c.user_ip},
              {"x_custom", "second value"}};
  r.decision.verdict = core::Verdict::kSpam;
  r.decision.score = 0.875;
  r.decision.uncertain = true;
  r.decision.reasons = {{"links.count", 1.25, "3 links in 40 words"},
                        {"classifier", -0.5, "fastText margin -0.5"}};
  r.model_version = "hamlet-default@abc123";
  r.latency_ms = 1.5;
  r.match_key = "match-" + id;
  return r;
}

void CheckSameDecision(const DecisionRecord& got, const DecisionRecord& want) {
  CHECK(got.id == want.id);
  CHECK(got.key_id == want.key_id);
  CHECK(got.site_url == want.site_url);
  CHECK(got.created_ms == want.created_ms);
  CHECK(got.channel == want.channel);
  CHECK(got.model_version == want.model_version);
  CHECK(got.latency_ms == want.latency_ms);
  CHECK(got.match_key == want.match_key);
  CHECK(got.decision.verdict == want.decision.verdict);
  CHECK(got.decision.score == want.decision.score);
  CHECK(got.decision.uncertain == want.decision.uncertain);
  REQUIRE(got.decision.reasons.size() == want.decision.reasons.size());
  for (size_t i = 0; i < want.decision.reasons.size(); ++i) {
    CHECK(got.decision.reasons[i].check == want.decision.reasons[i].check);
    CHECK(got.decision.reasons[i].contribution == want.decision.reasons[i].contribution);
    CHECK(got.decision.reasons[i].detail == want.decision.reasons[i].detail);
  }
  const core::Comment& g = got.comment;
  const core::Comment& w = want.comment;
  CHECK(g.blog == w.blog);
  CHECK(g.user_ip == w.user_ip);
  CHECK(g.user_agent == w.user_agent);
  CHECK(g.referrer == w.referrer);
  CHECK(g.permalink == w.permalink);
  CHECK(g.comment_type == w.comment_type);
  CHECK(g.comment_author == w.comment_author);
  CHECK(g.comment_author_email == w.comment_author_email);
  CHECK(g.comment_author_url == w.comment_author_url);
  CHECK(g.comment_content == w.comment_content);
  CHECK(g.comment_date_gmt == w.comment_date_gmt);
  CHECK(g.blog_lang == w.blog_lang);
  CHECK(g.blog_charset == w.blog_charset);
  CHECK(g.user_role == w.user_role);
  CHECK(g.recheck_reason == w.recheck_reason);
  CHECK(g.honeypot_value == w.honeypot_value);
  CHECK(g.is_test == w.is_test);
  CHECK(g.fields == w.fields);
}

FeedbackRecord MakeFeedback(const std::string& decision_id, const std::string& label,
                            int64_t created_ms) {
  FeedbackRecord f;
  f.decision_id = decision_id;
  f.label = label;
  f.source = "cli";
  f.moderator = "alice";
  f.created_ms = created_ms;
  f.fields = {{"comment_content", "hello"}, {"reporter", "alice"}};
  return f;
}

int64_t UserVersion(const std::string& path) {
  return hamlet::testing::QueryIntForTesting(path, "PRAGMA user_version");
}

TEST_SUITE("store/sqlite_store") {
  TEST_CASE("creates the schema in a new file and reopens it without migrating again") {
    TempDir dir;
    const std::string path = dir.File("hamlet.db");
    {
      auto store = OpenOrDie(path);
      CHECK(store->Ping().ok());
      REQUIRE(store->PutMetaIfAbsent("salt", "s1").has_value());
    }
    CHECK(UserVersion(path) == schema::LatestVersion());
    auto store = OpenOrDie(path);
    auto salt = store->GetMeta("salt");
    REQUIRE(salt.has_value());
    CHECK(salt->value_or("") == "s1");
    CHECK(UserVersion(path) == schema::LatestVersion());
  }

  TEST_CASE("migrates a version-2 database: existing keys become site keys") {
    TempDir dir;
    const std::string path = dir.File("v2.db");
    // Keys as a version-2 build wrote them: no role column.
    testing::CreateDatabaseAtVersionForTesting(
        path, 2,
        "INSERT INTO site_keys (site_url, key_hash, key_hint, created_ms, revoked_ms) VALUES"
        " ('https://old.example/', 'hash-old', 'ab', 10, NULL),"
        " ('https://gone.example/', 'hash-gone', 'cd', 20, 30);");
    REQUIRE(UserVersion(path) == 2);

    auto store = OpenOrDie(path);
    CHECK(UserVersion(path) == schema::LatestVersion());
    auto keys = store->ListKeys();
    REQUIRE(keys);
    REQUIRE(keys->size() == 2);
    CHECK((*keys)[0].role == KeyRole::kSite);
    CHECK((*keys)[0].site_url == "https://old.example/");
    CHECK((*keys)[1].role == KeyRole::kSite);
    CHECK((*keys)[1].revoked_ms == std::optional<int64_t>(30));
    auto admin = store->AddKey(KeyRole::kAdmin, "", "hash-admin", "ef", 40);
    REQUIRE(admin);
    auto found = store->FindKeyByHash("hash-admin");
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->role == KeyRole::kAdmin);
    CHECK((*found)->site_url.empty());
  }

  TEST_CASE("refuses a key row whose role this build does not know") {
    TempDir dir;
    const std::string path = dir.File("v3.db");
    // The CHECK constraint keeps other roles out; without it (a hand-edited file), reads fail.
    testing::CreateDatabaseAtVersionForTesting(
        path, schema::LatestVersion(),
        "PRAGMA ignore_check_constraints = ON;"
        "INSERT INTO site_keys (site_url, key_hash, key_hint, created_ms, role) VALUES"
        " ('https://x.example/', 'hash-x', 'ab', 10, 'root');");
    auto store = OpenOrDie(path);
    auto found = store->FindKeyByHash("hash-x");
    REQUIRE_FALSE(found);
    CHECK(found.error().code() == core::StatusCode::kInternal);
    CHECK(found.error().message().find("root") != std::string::npos);
  }

  TEST_CASE("opens an in-memory database through the interface") {
    auto store = OpenSqliteStore(":memory:");
    REQUIRE(store.has_value());
    CHECK((*store)->Ping().ok());
    CHECK((*store)->AppendDecision(MakeDecision("a1", 1)).ok());
    auto got = (*store)->GetDecision("a1");
    REQUIRE(got.has_value());
    CHECK(got->has_value());
  }

  TEST_CASE_TEMPLATE("adds, finds, lists and revokes keys", Backend, testing::SqliteBackend,
                     testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto a = store->AddKey(KeyRole::kSite, "https://a.example", "hash-a", "abcd", 100);
    auto b = store->AddKey(KeyRole::kSite, "https://b.example", "hash-b", "efgh", 200);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(a->id != b->id);
    CHECK_FALSE(a->revoked());

    auto dup = store->AddKey(KeyRole::kSite, "https://c.example", "hash-a", "zzzz", 300);
    REQUIRE_FALSE(dup.has_value());
    CHECK(dup.error().code() == core::StatusCode::kInvalidArgument);

    auto found = store->FindKeyByHash("hash-b");
    REQUIRE(found.has_value());
    REQUIRE(found->has_value());
    CHECK((*found)->id == b->id);
    CHECK((*found)->site_url == "https://b.example");
    CHECK((*found)->key_hint == "efgh");
    CHECK((*found)->created_ms == 200);
    auto missing = store->FindKeyByHash("nope");
    REQUIRE(missing.has_value());
    CHECK_FALSE(missing->has_value());

    CHECK(store->RevokeKey(a->id, 500).ok());
    CHECK(store->RevokeKey(a->id, 900).ok());  // the first revocation time stays
    core::Status unknown = store->RevokeKey(9999, 500);
    CHECK(unknown.code() == core::StatusCode::kNotFound);

    auto keys = store->ListKeys();
    REQUIRE(keys.has_value());
    REQUIRE(keys->size() == 2);
    CHECK((*keys)[0].id == a->id);
    CHECK((*keys)[0].revoked_ms == std::optional<int64_t>(500));
    CHECK_FALSE((*keys)[1].revoked());
    auto revoked = store->FindKeyByHash("hash-a");
    REQUIRE(revoked.has_value());
    CHECK((*revoked)->revoked());
  }

  TEST_CASE_TEMPLATE("keeps the first value stored under a meta name", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto none = store->GetMeta("salt");
    REQUIRE(none.has_value());
    CHECK_FALSE(none->has_value());
    auto first = store->PutMetaIfAbsent("salt", "one");
    REQUIRE(first.has_value());
    CHECK(*first == "one");
    auto second = store->PutMetaIfAbsent("salt", "two");
    REQUIRE(second.has_value());
    CHECK(*second == "one");
    auto got = store->GetMeta("salt");
    REQUIRE(got.has_value());
    CHECK(got->value_or("") == "one");
  }

  TEST_CASE_TEMPLATE("round-trips a decision with every field, unknown fields and reasons", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto key = store->AddKey(KeyRole::kSite, "https://blog.example", "h", "hint", 1);
    REQUIRE(key.has_value());
    DecisionRecord want = MakeDecision("0123456789abcdef0123456789abcdef", 1700000000123, key->id);
    want.comment.comment_author_url = std::string("nul\0byte", 8);
    REQUIRE(store->AppendDecision(want).ok());
    auto got = store->GetDecision(want.id);
    REQUIRE(got.has_value());
    REQUIRE(got->has_value());
    CheckSameDecision(**got, want);
    CHECK_FALSE((*got)->feedback_label.has_value());

    auto missing = store->GetDecision("ffff");
    REQUIRE(missing.has_value());
    CHECK_FALSE(missing->has_value());
  }

  TEST_CASE_TEMPLATE("rejects a decision for an unknown key, an empty id or a NaN score", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    CHECK(store->AppendDecision(MakeDecision("k", 1, /*key_id=*/42)).code() ==
          core::StatusCode::kInvalidArgument);
    CHECK(store->AppendDecision(MakeDecision("", 1)).code() == core::StatusCode::kInvalidArgument);
    DecisionRecord nan = MakeDecision("nan", 1);
    nan.decision.score = std::nan("");
    CHECK(store->AppendDecision(nan).code() == core::StatusCode::kInvalidArgument);
    CHECK(store->AppendDecision(MakeDecision("ok", 1)).ok());
  }

  TEST_CASE_TEMPLATE("lists decisions newest first with filters and the latest feedback label",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto key = store->AddKey(KeyRole::kSite, "https://blog.example", "h", "hint", 1);
    REQUIRE(key.has_value());
    auto add = [&](const std::string& id, int64_t t, core::Verdict v, bool uncertain,
                   int64_t key_id) {
      DecisionRecord r = MakeDecision(id, t, key_id);
      r.decision.verdict = v;
      r.decision.uncertain = uncertain;
      REQUIRE(store->AppendDecision(r).ok());
    };
    add("ham-old", 10, core::Verdict::kHam, false, key->id);
    add("spam", 20, core::Verdict::kSpam, false, key->id);
    add("ham-unsure", 30, core::Verdict::kHam, true, 0);
    add("discard", 30, core::Verdict::kDiscard, false, key->id);  // same time: later row first
    add("ham-new", 40, core::Verdict::kHam, false, 0);

    REQUIRE(store->AppendFeedback(MakeFeedback("spam", "ham", 50)).has_value());
    REQUIRE(store->AppendFeedback(MakeFeedback("spam", "spam", 60)).has_value());
    REQUIRE(store->AppendFeedback(MakeFeedback("ham-new", "ham", 70)).has_value());

    auto ids = [&](const DecisionFilter& f) {
      auto list = store->ListDecisions(f);
      REQUIRE(list.has_value());
      std::vector<std::string> out;
      for (const DecisionRecord& r : *list) out.push_back(r.id);
      return out;
    };
    using V = std::vector<std::string>;
    // DecisionFilter with designated initializers trips -Wmissing-field-initializers.
    auto filter = [](bool flagged, bool unreviewed, std::optional<int64_t> key_id = std::nullopt,
                     int limit = 50, int offset = 0) {
      DecisionFilter f;
      f.flagged_only = flagged;
      f.unreviewed_only = unreviewed;
      f.key_id = key_id;
      f.limit = limit;
      f.offset = offset;
      return f;
    };
    CHECK(ids({}) == V{"ham-new", "discard", "ham-unsure", "spam", "ham-old"});
    CHECK(ids(filter(true, false)) == V{"discard", "ham-unsure", "spam"});
    CHECK(ids(filter(false, true)) == V{"discard", "ham-unsure", "ham-old"});
    CHECK(ids(filter(true, true)) == V{"discard", "ham-unsure"});
    CHECK(ids(filter(false, false, key->id)) == V{"discard", "spam", "ham-old"});
    CHECK(ids(filter(false, false, 0)) == V{"ham-new", "ham-unsure"});
    CHECK(ids(filter(false, false, std::nullopt, 2, 1)) == V{"discard", "ham-unsure"});
    CHECK(ids(filter(false, false, std::nullopt, 0)).empty());
    CHECK(store->ListDecisions(filter(false, false, std::nullopt, -1)).error().code() ==
          core::StatusCode::kInvalidArgument);

    auto all = store->ListDecisions({});
    REQUIRE(all.has_value());
    for (const DecisionRecord& r : *all) {
      if (r.id == "spam") CHECK(r.feedback_label == std::optional<std::string>("spam"));
      if (r.id == "ham-new") CHECK(r.feedback_label == std::optional<std::string>("ham"));
      if (r.id == "discard") CHECK_FALSE(r.feedback_label.has_value());
    }
    auto one = store->GetDecision("spam");
    REQUIRE(one.has_value());
    CHECK((*one)->feedback_label == std::optional<std::string>("spam"));
  }

  TEST_CASE_TEMPLATE("finds the newest decision with a match key for that key only", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto k1 = store->AddKey(KeyRole::kSite, "https://a.example", "h1", "a", 1);
    auto k2 = store->AddKey(KeyRole::kSite, "https://b.example", "h2", "b", 1);
    REQUIRE(k1.has_value());
    REQUIRE(k2.has_value());
    auto add = [&](const std::string& id, int64_t t, int64_t key_id, const std::string& mk) {
      DecisionRecord r = MakeDecision(id, t, key_id);
      r.match_key = mk;
      REQUIRE(store->AppendDecision(r).ok());
    };
    add("old", 10, k1->id, "m");
    add("new", 20, k1->id, "m");
    add("other-key", 30, k2->id, "m");
    add("other-match", 40, k1->id, "x");
    add("no-key", 50, 0, "m");

    auto found = store->FindDecisionByMatchKey(k1->id, "m");
    REQUIRE(found.has_value());
    REQUIRE(found->has_value());
    CHECK((*found)->id == "new");
    auto keyless = store->FindDecisionByMatchKey(0, "m");
    REQUIRE(keyless.has_value());
    REQUIRE(keyless->has_value());
    CHECK((*keyless)->id == "no-key");
    auto none = store->FindDecisionByMatchKey(k2->id, "x");
    REQUIRE(none.has_value());
    CHECK_FALSE(none->has_value());
  }

  TEST_CASE_TEMPLATE("round-trips feedback, linked and unlinked, oldest first", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto key = store->AddKey(KeyRole::kSite, "https://blog.example", "h", "hint", 1);
    REQUIRE(key.has_value());
    REQUIRE(store->AppendDecision(MakeDecision("d1", 1)).ok());
    FeedbackRecord first = MakeFeedback("d1", "spam", 10);
    first.key_id = key->id;
    first.source = "akismet";
    first.is_test = true;
    first.fields.emplace_back("x_unknown", "kept");
    auto id1 = store->AppendFeedback(first);
    auto id2 = store->AppendFeedback(MakeFeedback("d1", "ham", 5));
    auto unlinked = store->AppendFeedback(MakeFeedback("", "spam", 20));
    REQUIRE(id1.has_value());
    REQUIRE(id2.has_value());
    REQUIRE(unlinked.has_value());
    CHECK(*id1 < *id2);

    auto list = store->ListFeedback("d1");
    REQUIRE(list.has_value());
    REQUIRE(list->size() == 2);
    const FeedbackRecord& got = (*list)[0];
    CHECK(got.id == *id1);
    CHECK(got.decision_id == "d1");
    CHECK(got.key_id == key->id);
    CHECK(got.label == "spam");
    CHECK(got.source == "akismet");
    CHECK(got.moderator == "alice");
    CHECK(got.created_ms == 10);
    CHECK(got.is_test);
    CHECK(got.fields == first.fields);
    CHECK((*list)[1].id == *id2);
    CHECK((*list)[1].key_id == 0);

    auto unknown_decision = store->AppendFeedback(MakeFeedback("nope", "spam", 1));
    REQUIRE_FALSE(unknown_decision.has_value());
    CHECK(unknown_decision.error().code() == core::StatusCode::kInvalidArgument);
    auto bad_label = store->AppendFeedback(MakeFeedback("d1", "maybe", 1));
    REQUIRE_FALSE(bad_label.has_value());
    CHECK(bad_label.error().code() == core::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace hamlet::store
