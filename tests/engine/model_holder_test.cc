// ModelHolder and Filter::ReplaceModel: a check is judged and recorded by one snapshot.
#include "engine/model_holder.h"

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

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

  // Regression (scripts/tsan.sh): with std::atomic<std::shared_ptr>, ThreadSanitizer reported
  // a data race between Replace and Current, from libstdc++ 12's relaxed unlock in load().
  TEST_CASE("concurrent readers and a replacing writer always see a whole snapshot") {
    auto a = Snapshot("a@00000001", -4.0);
    auto b = Snapshot("b@00000002", 4.0);
    engine::ModelHolder holder(a);
    std::atomic<bool> done{false};
    std::atomic<int> torn{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 4; ++r) {
      readers.emplace_back([&] {
        while (!done.load()) {
          auto s = holder.Current();
          const double margin = s->classifier->Predict("x")->margin;
          if (!((s->version() == "a@00000001" && margin < 0) ||
                (s->version() == "b@00000002" && margin > 0))) {
            ++torn;
          }
        }
      });
    }
    for (int i = 0; i < 2000; ++i) holder.Replace(i % 2 == 0 ? b : a);
    done = true;
    for (auto& t : readers) t.join();
    CHECK(torn.load() == 0);
    CHECK(holder.Current() == a);
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
