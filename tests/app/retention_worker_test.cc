// Tests for hamletd's background retention: it purges (and, given an age, deletes) by itself,
// at start and then every interval, and stops promptly.
#include "app/retention_worker.h"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "store/sqlite_store.h"
#include "support/eventually.h"
#include "support/manual_clock.h"

namespace hamlet::app {
namespace {

store::DecisionRecord Decision(const std::string& id, int64_t at) {
  store::DecisionRecord r;
  r.id = id;
  r.created_ms = at;
  r.channel = "v1";
  r.comment =
      core::CommentFromFields({{"comment_content", "personal text"}, {"user_ip", "203.0.113.1"}});
  return r;
}


}  // namespace

TEST_SUITE("app/retention_worker") {
  TEST_CASE("purges old rows at start and again each interval as time passes") {
    testing::ManualClock clock;
    auto store = store::OpenSqliteStore(":memory:").value();
    const int64_t hour = 3600LL * 1000;
    REQUIRE(store->AppendDecision(Decision("old", clock.now - 2 * hour)).ok());
    REQUIRE(store->AppendDecision(Decision("young", clock.now - 10)).ok());
    engine::Retention retention(*store, clock);
    RetentionWorker worker(retention, hour, std::chrono::milliseconds(20));
    auto purged = [&](const char* id) { return (*store->GetDecision(id))->purged_ms.has_value(); };
    CHECK(testing::Eventually([&] { return purged("old"); }));
    CHECK((*store->GetDecision("old"))->comment.comment_content.empty());
    CHECK_FALSE(purged("young"));
    // Two hours later the young one is old too; the worker finds it on a later pass.
    clock.now += 2 * hour;
    CHECK(testing::Eventually([&] { return purged("young"); }));
    CHECK(testing::Eventually([&] { return worker.passes() >= 2; }));
    worker.Stop();
    const uint64_t passes = worker.passes();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(worker.passes() == passes);
    worker.Stop();  // idempotent
  }

  TEST_CASE("deletes old decisions by itself when given a deletion age and keeps their counts") {
    testing::ManualClock clock;
    auto store = store::OpenSqliteStore(":memory:").value();
    const int64_t day = 24LL * 3600 * 1000;
    REQUIRE(store->AppendDecision(Decision("ancient", clock.now - 40 * day)).ok());
    REQUIRE(store->AppendDecision(Decision("young", clock.now - 10)).ok());
    engine::Retention retention(*store, clock);
    // Deletion only (no purge): the young decision keeps its text.
    RetentionWorker worker(retention, std::nullopt, std::chrono::milliseconds(20), 30 * day);
    CHECK(testing::Eventually([&] { return !store->GetDecision("ancient")->has_value(); }));
    CHECK((*store->GetDecision("young"))->comment.comment_content == "personal text");
    CHECK_FALSE((*store->GetDecision("young"))->purged_ms.has_value());
    auto kept = store->ListDeletedCounts(0, clock.now);
    REQUIRE(kept.has_value());
    REQUIRE(kept->size() == 1);
    CHECK(kept->front().decisions == 1);
    worker.Stop();
  }
}

}  // namespace hamlet::app
