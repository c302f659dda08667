// ModelHolder and Filter::ReplaceModel: a check is judged and recorded by one snapshot.
#include "engine/model_holder.h"

#include <doctest/doctest.h>

#include <memory>

#include "core/comment.h"
#include "engine/filter.h"
#include "engine/key_service.h"
#include "store/sqlite_store.h"
#include "support/fake_classifier.h"

using namespace hamlet;

namespace {

std::shared_ptr<const engine::ModelSnapshot> Snapshot(std::string version, double margin,
                                                      double spam_threshold = 0.5) {
  auto classifier = std::make_shared<testing::FakeClassifier>(std::move(version));
  classifier->fixed_margin = margin;
  auto snapshot = std::make_shared<engine::ModelSnapshot>();
  snapshot->classifier = std::move(classifier);
  snapshot->policy.spam_threshold = spam_threshold;
  return snapshot;
}

}  // namespace

TEST_SUITE("engine/model_holder") {
  TEST_CASE("Replace puts the new snapshot in force and returns the old one") {
    auto a = Snapshot("a@00000001", -4.0);
    auto b = Snapshot("b@00000002", 4.0);
    engine::ModelHolder holder(a);
    CHECK(holder.Current() == a);
    CHECK(holder.Current()->version() == "a@00000001");
    auto previous = holder.Replace(b);
    CHECK(previous == a);
    CHECK(holder.Current() == b);
    CHECK(holder.Replace(a)->version() == "b@00000002");
    CHECK(holder.Current()->version() == "a@00000001");
  }

  TEST_CASE("a snapshot taken before a replacement stays alive and unchanged") {
    engine::ModelHolder holder(Snapshot("a@00000001", -4.0));
    auto held = holder.Current();
    holder.Replace(Snapshot("b@00000002", 4.0));
    // The holder dropped its reference; ours keeps the old model usable.
    CHECK(held.use_count() == 1);
    CHECK(held->version() == "a@00000001");
    CHECK(held->classifier->Predict("x")->margin == doctest::Approx(-4.0));
  }
}

TEST_SUITE("engine/filter") {
  TEST_CASE("after ReplaceModel, checks are judged by the new model and record its version") {
    core::SystemClock clock;
    auto store = store::OpenSqliteStore(":memory:");
    REQUIRE(store);
    engine::KeyService keys(**store, clock);
    auto key = keys.Create("http://blog.example/");
    REQUIRE(key);
    engine::Filter filter(Snapshot("ham-model@00000001", -4.0), **store, clock);
    const core::Comment comment = core::CommentFromFields({{"comment_content", "hello"}});

    auto before = filter.Check(comment, key->record, "cli");
    REQUIRE(before);
    CHECK(before->decision.verdict == core::Verdict::kHam);
    CHECK(before->model_version == "ham-model@00000001");
    CHECK(filter.ModelVersion() == "ham-model@00000001");

    auto old = filter.ReplaceModel(Snapshot("spam-model@00000002", 4.0));
    CHECK(old->version() == "ham-model@00000001");
    CHECK(filter.ModelVersion() == "spam-model@00000002");
    CHECK(filter.Model()->version() == "spam-model@00000002");
    CHECK(filter.Score(comment)->verdict == core::Verdict::kSpam);
    auto after = filter.Check(comment, key->record, "cli");
    REQUIRE(after);
    CHECK(after->decision.verdict == core::Verdict::kSpam);
    CHECK(after->model_version == "spam-model@00000002");
    auto stored = (*store)->GetDecision(after->id);
    REQUIRE(stored);
    REQUIRE(stored->has_value());
    CHECK((*stored)->model_version == "spam-model@00000002");
    // The earlier decision keeps the version that made it.
    CHECK((*(*store)->GetDecision(before->id))->model_version == "ham-model@00000001");
  }

  TEST_CASE("the policy travels with the snapshot") {
    core::SystemClock clock;
    auto store = store::OpenSqliteStore(":memory:");
    REQUIRE(store);
    // The same margin (P(spam) ~ 0.73) under two thresholds.
    engine::Filter filter(Snapshot("m@00000001", 1.0, /*spam_threshold=*/0.9), **store, clock);
    const core::Comment comment = core::CommentFromFields({{"comment_content", "hello"}});
    CHECK(filter.Score(comment)->verdict == core::Verdict::kHam);
    filter.ReplaceModel(Snapshot("m@00000002", 1.0, /*spam_threshold=*/0.6));
    CHECK(filter.Score(comment)->verdict == core::Verdict::kSpam);
  }
}
