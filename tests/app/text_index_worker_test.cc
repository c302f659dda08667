// Tests for hamletd's text indexer: it indexes decisions stored before and after it started,
// by itself, and stops promptly.
#include "app/text_index_worker.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "store/sqlite_store.h"
#include "support/eventually.h"
#include "support/sqlite_probe.h"
#include "support/temp_dir.h"

namespace hamlet::app {
namespace {

// GCC 12 warns (-Wrestrict, a false positive) on "literal" + std::to_string(i).
std::string Numbered(const std::string& prefix, int i) {
  std::string id = prefix;
  id += std::to_string(i);
  return id;
}

store::DecisionRecord Decision(const std::string& id) {
  store::DecisionRecord r;
  r.id = id;
  r.created_ms = 1'700'000'000'000;
  r.channel = "v1";
  r.comment = core::CommentFromFields({{"comment_content", "visit my casino " + id}});
  return r;
}


}  // namespace

TEST_SUITE("app/text_index_worker") {
  TEST_CASE("indexes waiting decisions at start and new ones on later passes") {
    testing::TempDir dir;
    const std::string path = dir.File("index.db");
    auto store = testing::OpenSqliteStoreOrFail(path);
    const int before = TextIndexWorker::kBatchRows + 3;  // more than one transaction's worth
    for (int i = 0; i < before; ++i) REQUIRE(store->AppendDecision(Decision(Numbered("b", i))).ok());
    TextIndexWorker worker(*store, std::chrono::milliseconds(20));
    CHECK(testing::Eventually([&] { return worker.indexed() == before; }));
    for (int i = 0; i < 4; ++i) REQUIRE(store->AppendDecision(Decision(Numbered("a", i))).ok());
    CHECK(testing::Eventually([&] { return worker.indexed() == before + 4; }));
    worker.Stop();
    worker.Stop();  // idempotent
    // The worker, not a search, filled the index.
    CHECK(testing::QueryIntForTesting(path, "SELECT count(*) FROM fts_pending") == 0);
    CHECK(testing::QueryIntForTesting(path, "SELECT count(*) FROM decisions_fts") == before + 4);
    // Stopped: nothing more is indexed.
    REQUIRE(store->AppendDecision(Decision("after")).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(worker.indexed() == before + 4);
    CHECK(testing::QueryIntForTesting(path, "SELECT count(*) FROM fts_pending") == 1);
  }
}

}  // namespace hamlet::app
