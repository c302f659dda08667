// Tests for the store's batched text index against real SQLite: a stored decision waits in
// fts_pending until CatchUpTextIndex (hamletd's indexer) or a text search indexes it, and the
// index follows later changes (a purge) of decisions already indexed.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "store/sqlite_store.h"
#include "support/sqlite_probe.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-14

// GCC 12 warns (-Wrestrict, a false positive) on "literal" + std::to_string(i).
std::string Numbered(const std::string& prefix, int i) {
  std::string id = prefix;
  id += std::to_string(i);
  return id;
}

DecisionRecord Decision(const std::string& id, int64_t created_ms, const std::string& content) {
  DecisionRecord r;
  r.id = id;
  r.created_ms = created_ms;
  r.channel = "v1";
  r.site_url = "http://blog.example/";
  r.comment = core::CommentFromFields({{"comment_content", content},
                                       {"comment_author", "Author " + id},
                                       {"user_ip", "203.0.113.7"}});
  r.decision.verdict = core::Verdict::kSpam;
  r.model_version = "m@1";
  r.match_key = "mk-" + id;
  return r;
}

int64_t Count(Store& store, const std::string& text) {
  DecisionFilter f;
  f.text = text;
  auto n = store.CountMatchingDecisions(f);
  REQUIRE_MESSAGE(n.has_value(), n.error().ToString());
  return *n;
}

}  // namespace

TEST_SUITE("store/text_index") {
  TEST_CASE("stored decisions wait for the indexer which takes at most max_rows at a time") {
    testing::TempDir dir;
    const std::string path = dir.File("queue.db");
    auto store = testing::OpenSqliteStoreOrFail(path);
    for (int i = 0; i < 5; ++i) {
      REQUIRE(store->AppendDecision(Decision(Numbered("d", i), kT0 + i, "cheap pills")).ok());
    }
    // Stored, not yet indexed: the check path wrote no index segment.
    CHECK(testing::QueryIntForTesting(path, "SELECT count(*) FROM fts_pending") == 5);
    CHECK(testing::QueryIntForTesting(path, "SELECT count(*) FROM decisions_fts") == 0);
    CHECK(*store->CatchUpTextIndex(2) == 2);
    CHECK(*store->CatchUpTextIndex(2) == 2);
    CHECK(*store->CatchUpTextIndex(2) == 1);
    CHECK(*store->CatchUpTextIndex(2) == 0);
    CHECK(testing::QueryIntForTesting(path, "SELECT count(*) FROM fts_pending") == 0);
    CHECK(testing::QueryIntForTesting(path, "SELECT count(*) FROM decisions_fts") == 5);
    CHECK(Count(*store, "pills") == 5);
    CHECK(store->CatchUpTextIndex(0).error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("indexing commits without its own fsync and leaves decisions' commits fsynced") {
    testing::TempDir dir;
    auto store = testing::OpenSqliteStoreOrFail(dir.File("sync.db"));
    CHECK(*store->WriterSynchronousForTesting() == 2);  // FULL
    REQUIRE(store->AppendDecision(Decision("d1", kT0, "cheap pills")).ok());
    REQUIRE(*store->CatchUpTextIndex(10) == 1);
    CHECK(*store->WriterSynchronousForTesting() == 2);
    // A later decision and a search's own catch-up keep FULL too.
    REQUIRE(store->AppendDecision(Decision("d2", kT0 + 1, "cheap pills")).ok());
    CHECK(*store->WriterSynchronousForTesting() == 2);
    CHECK(Count(*store, "pills") == 2);
    CHECK(*store->WriterSynchronousForTesting() == 2);
  }

  TEST_CASE("a text search first indexes everything waiting even beyond one batch") {
    auto store = testing::OpenSqliteStoreOrFail(":memory:");
    const int n = SqliteStore::kTextIndexBatch * 2 + 7;
    for (int i = 0; i < n; ++i) {
      const std::string content = i % 2 == 0 ? "casino bonus" : "lovely garden";
      REQUIRE(store->AppendDecision(Decision(Numbered("d", i), kT0 + i, content)).ok());
    }
    CHECK(Count(*store, "casino") == (n + 1) / 2);
    CHECK(Count(*store, "garden") == n / 2);
    CHECK(*store->CatchUpTextIndex(1) == 0);
    // Filters without text leave the queue alone.
    REQUIRE(store->AppendDecision(Decision("late", kT0 + n, "casino")).ok());
    DecisionFilter all;
    CHECK(*store->CountMatchingDecisions(all) == n + 1);
    CHECK(*store->CatchUpTextIndex(10) == 1);
  }

  TEST_CASE("a decision purged after it was indexed leaves the index and one purged while queued never enters it") {
    auto store = testing::OpenSqliteStoreOrFail(":memory:");
    REQUIRE(store->AppendDecision(Decision("indexed", kT0, "essay writing service")).ok());
    REQUIRE(*store->CatchUpTextIndex(10) == 1);
    REQUIRE(store->AppendDecision(Decision("queued", kT0 + 1, "essay writing service")).ok());
    REQUIRE(store->AppendDecision(Decision("young", kT0 + 1000, "essay writing service")).ok());
    auto purged = store->PurgePersonalData(kT0 + 500, kT0 + 1000, 100);
    REQUIRE_MESSAGE(purged.has_value(), purged.error().ToString());
    CHECK(purged->decisions == 2);
    DecisionFilter f;
    f.text = "essay";
    f.limit = 10;
    auto found = store->ListDecisions(f);
    REQUIRE(found.has_value());
    REQUIRE(found->size() == 1);
    CHECK(found->front().id == "young");
    CHECK(Count(*store, "\"Author indexed\"") == 0);
    CHECK(Count(*store, "\"Author queued\"") == 0);
  }

  TEST_CASE("a read-only store still searches what was indexed") {
    testing::TempDir dir;
    const std::string path = dir.File("ro.db");
    {
      auto store = testing::OpenSqliteStoreOrFail(path);
      REQUIRE(store->AppendDecision(Decision("a", kT0, "pharmacy online")).ok());
      REQUIRE(*store->CatchUpTextIndex(10) == 1);
      REQUIRE(store->AppendDecision(Decision("b", kT0 + 1, "pharmacy online")).ok());
    }
    SqliteOptions read_only;
    read_only.read_only = true;
    auto store = testing::OpenSqliteStoreOrFail(path, read_only);
    CHECK_FALSE(store->CatchUpTextIndex(10).has_value());
    // "b" waits for a writer; the search answers with what the index holds.
    CHECK(Count(*store, "pharmacy") == 1);
  }
}

}  // namespace hamlet::store
