// ModelReloader against real model files: the tiny test model and the shipped model, put at
// the configured path the way `hamlet retrain` does (write beside, rename over).
#include "app/model_reload.h"

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "app/wiring.h"
#include "core/comment.h"
#include "support/model_files.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

using namespace hamlet;

namespace {

struct Served {
  Served() {
    testing::InstallModelForTesting(testing::TinyModelPath(), model);
    app::Options options;
    options.db_path = ":memory:";
    options.model_path = model;
    auto opened = app::Open(options);
    REQUIRE_MESSAGE(opened, opened.error().ToString());
    services = std::move(opened).value();
    auto created = services->keys->Create("http://blog.example/");
    REQUIRE(created);
    key = created->record;
    tiny_version = services->filter->ModelVersion();
  }

  testing::TempDir dir;
  const std::string model = dir.File("model.ftz");
  std::unique_ptr<app::Services> services;
  store::SiteKey key;
  std::string tiny_version;
};

core::Comment Song() {
  return core::CommentFromFields(
      {{"comment_content", "this song reminds me of summer, check out my channel"}});
}

}  // namespace

TEST_SUITE("app/model_reload") {
  TEST_CASE("Open builds a reloader for the path it loaded") {
    Served s;
    REQUIRE(s.services->reloader != nullptr);
    CHECK(s.services->reloader->model_path() == s.model);
    CHECK(s.services->reloader->Stats().reloads == 0);
    CHECK(s.services->reloader->Stats().last_reload_ms == 0);
    CHECK(s.tiny_version.find("model@") == 0);
  }

  TEST_CASE("reloads a replaced model file with its sidecar, and counts the reload") {
    Served s;
    testing::InstallModelForTesting(testing::ShippedModelPath(), s.model);
    auto reloaded = s.services->reloader->Reload();
    REQUIRE_MESSAGE(reloaded, reloaded.error().ToString());
    CHECK(reloaded->previous == s.tiny_version);
    CHECK(reloaded->current != s.tiny_version);
    CHECK(reloaded->current.find("model@") == 0);
    CHECK(reloaded->reloads == 1);
    CHECK(s.services->filter->ModelVersion() == reloaded->current);
    const app::ReloadStats stats = s.services->reloader->Stats();
    CHECK(stats.reloads == 1);
    CHECK(stats.last_reload_ms > 0);

    // The sidecar came with it: the shipped model's input mode and thresholds.
    auto meta = app::ReadModelMeta(s.model);
    REQUIRE(meta);
    REQUIRE(meta->has_value());
    const auto model = s.services->filter->Model();
    CHECK(model->input == (*meta)->input);
    CHECK(model->policy.spam_threshold ==
          doctest::Approx(app::ApplyThresholds(**meta, decision::Policy{}).spam_threshold));

    auto outcome = s.services->filter->Check(Song(), s.key, "cli");
    REQUIRE(outcome);
    CHECK(outcome->model_version == reloaded->current);
    CHECK((*s.services->store->GetDecision(outcome->id))->model_version == reloaded->current);

    // And back: the reload count goes on.
    testing::InstallModelForTesting(testing::TinyModelPath(), s.model);
    auto back = s.services->reloader->Reload();
    REQUIRE(back);
    CHECK(back->previous == reloaded->current);
    CHECK(back->current == s.tiny_version);
    CHECK(back->reloads == 2);
  }

  TEST_CASE("a failed reload keeps the old model and version, and says why, naming the file") {
    Served s;
    const auto tiny_score = s.services->filter->Score(Song());
    REQUIRE(tiny_score);
    std::string file;  // the file the error must name
    core::StatusCode code = core::StatusCode::kOk;
    SUBCASE("corrupt model") {
      testing::CorruptModelForTesting(s.model);
      file = s.model;
      code = core::StatusCode::kInvalidArgument;
    }
    SUBCASE("missing model") {
      std::filesystem::remove(s.model);
      file = s.model;
      code = core::StatusCode::kNotFound;
    }
    SUBCASE("bad sidecar beside a good model") {
      testing::InstallModelForTesting(testing::ShippedModelPath(), s.model);
      file = app::ModelMetaPath(s.model);
      std::ofstream(file, std::ios::trunc) << R"({"version": 1, "input": "pictures"})";
      code = core::StatusCode::kInvalidArgument;
    }
    SUBCASE("a new model beside the sidecar of the old one (an install half done)") {
      // The shipped model's bytes, with a sidecar written for the tiny model beside them.
      testing::InstallModelForTesting(testing::ShippedModelPath(), s.model);
      const auto sidecar = app::ModelMetaPath(s.model);
      app::ModelMeta tiny_meta;
      tiny_meta.model = s.tiny_version;
      REQUIRE(app::WriteModelMeta(s.model, tiny_meta).ok());
      file = sidecar;
      code = core::StatusCode::kInvalidArgument;
    }
    auto refused = s.services->reloader->Reload();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code() == code);
    CHECK(refused.error().message().find(file) != std::string::npos);
    CHECK(refused.error().message().find("still serving " + s.tiny_version) != std::string::npos);

    CHECK(s.services->filter->ModelVersion() == s.tiny_version);
    CHECK(s.services->reloader->Stats().reloads == 0);
    auto outcome = s.services->filter->Check(Song(), s.key, "cli");
    REQUIRE(outcome);
    CHECK(outcome->model_version == s.tiny_version);
    CHECK(outcome->decision.score == doctest::Approx(tiny_score->score));

    // Open refuses the same file with the same words: the checks are shared.
    app::Options options;
    options.db_path = ":memory:";
    options.model_path = s.model;
    auto opened = app::Open(options);
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code() == code);
    CHECK(refused.error().message().find(opened.error().message()) != std::string::npos);

    // A good file at the path again: the next reload takes it.
    testing::InstallModelForTesting(testing::TinyModelPath(), s.model);
    auto fixed = s.services->reloader->Reload();
    REQUIRE(fixed);
    CHECK(fixed->reloads == 1);
  }

  TEST_CASE("checks on several threads during many reloads all succeed, each by one model") {
    Served s;
    // The score each model gives the comment: a check must match the version it records.
    std::map<std::string, double> score_of;
    score_of[s.tiny_version] = s.services->filter->Score(Song())->score;
    testing::InstallModelForTesting(testing::ShippedModelPath(), s.model);
    auto first = s.services->reloader->Reload();
    REQUIRE(first);
    score_of[first->current] = s.services->filter->Score(Song())->score;
    REQUIRE(score_of.size() == 2);
    REQUIRE(score_of.begin()->second != score_of.rbegin()->second);

    struct Seen {
      std::string id, version;
      double score = 0;
    };
    constexpr int kThreads = 3;
    constexpr int kReloads = 12;
    std::atomic<bool> done{false};
    std::atomic<int> checks{0};
    std::atomic<int> failures{0};
    std::vector<std::vector<Seen>> seen(kThreads);
    std::vector<std::thread> workers;
    for (int t = 0; t < kThreads; ++t) {
      workers.emplace_back([&, t] {
        while (!done.load()) {
          auto outcome = s.services->filter->Check(Song(), s.key, "cli");
          if (!outcome) {
            failures.fetch_add(1);
          } else {
            seen[t].push_back({outcome->id, outcome->model_version, outcome->decision.score});
          }
          checks.fetch_add(1);
        }
      });
    }
    std::vector<std::string> reload_errors;
    for (int i = 0; i < kReloads; ++i) {
      testing::InstallModelForTesting(
          i % 2 == 0 ? testing::TinyModelPath() : testing::ShippedModelPath(), s.model);
      if (auto r = s.services->reloader->Reload(); !r) reload_errors.push_back(r.error().ToString());
      // Let the workers check against this model before the next swap (a count, not a time).
      const int target = checks.load() + kThreads;
      while (checks.load() < target) std::this_thread::yield();
    }
    done = true;
    for (auto& w : workers) w.join();

    CHECK(reload_errors.empty());
    CHECK(failures.load() == 0);
    CHECK(s.services->reloader->Stats().reloads == kReloads + 1);
    size_t total = 0;
    for (const auto& thread_seen : seen) {
      for (const Seen& c : thread_seen) {
        ++total;
        REQUIRE(score_of.count(c.version) == 1);
        CHECK(c.score == doctest::Approx(score_of[c.version]));
        auto stored = s.services->store->GetDecision(c.id);
        REQUIRE(stored);
        REQUIRE(stored->has_value());
        CHECK((*stored)->model_version == c.version);
      }
    }
    CHECK(total >= static_cast<size_t>(kReloads * kThreads));
  }
}
