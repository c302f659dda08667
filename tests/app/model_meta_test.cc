// The model's JSON sidecar: optional, validated, and applied to the service's policy.
#include "app/model_meta.h"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "app/wiring.h"
#include "support/files.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

using namespace hamlet;

TEST_SUITE("app/model_meta") {
  TEST_CASE("sits beside the model with the extension replaced") {
    CHECK(app::ModelMetaPath("models/hamlet-default.ftz") == "models/hamlet-default.json");
    CHECK(app::ModelMetaPath("/x/y.bin") == "/x/y.json");
  }

  TEST_CASE("is optional: no file reads as nothing, and the policy stays the default") {
    testing::TempDir dir;
    auto meta = app::ReadModelMeta(dir.File("m.ftz"));
    REQUIRE(meta);
    CHECK_FALSE(meta->has_value());
    decision::Policy p = app::ApplyThresholds(app::ModelMeta{}, decision::Policy{});
    CHECK(p.spam_threshold == decision::Policy{}.spam_threshold);
    CHECK(p.discard_threshold == decision::Policy{}.discard_threshold);
  }

  TEST_CASE("round-trips input mode, training metadata and thresholds") {
    testing::TempDir dir;
    app::ModelMeta meta;
    meta.model = "m@12345678";
    meta.input = text::InputMode::kNormalized;
    meta.training = {{"seed", 1}};
    meta.thresholds = app::ModelMeta::Thresholds{0.01, 2.5, 6.0, "test"};
    REQUIRE(app::WriteModelMeta(dir.File("m.ftz"), meta).ok());
    auto read = app::ReadModelMeta(dir.File("m.ftz"));
    REQUIRE(read);
    REQUIRE(read->has_value());
    const app::ModelMeta& m = **read;
    CHECK(m.model == "m@12345678");
    CHECK(m.input == text::InputMode::kNormalized);
    CHECK(m.training["seed"] == 1);
    REQUIRE(m.thresholds);
    CHECK(m.thresholds->spam_log_odds == 2.5);
    CHECK(m.thresholds->discard_log_odds == 6.0);
    CHECK(m.thresholds->chosen_on == "test");
  }

  TEST_CASE("turns log-odds thresholds into a valid P(spam) policy") {
    app::ModelMeta meta;
    meta.thresholds = app::ModelMeta::Thresholds{0.01, 0.0, 100.0, ""};
    decision::Policy p = app::ApplyThresholds(meta, decision::Policy{});
    CHECK(p.spam_threshold == doctest::Approx(0.5));
    CHECK(p.discard_threshold < 1.0);
    CHECK(p.discard_threshold > 0.999);
    CHECK(p.Validate().ok());
    meta.thresholds = app::ModelMeta::Thresholds{0.01, 3.0, 3.0, ""};
    p = app::ApplyThresholds(meta, decision::Policy{});
    CHECK(p.spam_threshold == doctest::Approx(1.0 / (1.0 + std::exp(-3.0))));
    CHECK(p.discard_threshold == p.spam_threshold);
    CHECK(p.Validate().ok());
  }

  TEST_CASE("refuses malformed files, naming them") {
    testing::TempDir dir;
    const std::string model = dir.File("m.ftz");
    const struct {
      const char* name;
      const char* text;
    } cases[] = {
        {"not JSON", "{nope"},
        {"not an object", "[1]"},
        {"no version", R"({"input": "fields"})"},
        {"future version", R"({"version": 2})"},
        {"unknown input", R"({"version": 1, "input": "tfidf"})"},
        {"threshold not a number", R"({"version": 1, "thresholds": {"spam_log_odds": "1"}})"},
        {"discard below spam",
         R"({"version": 1, "thresholds": {"spam_log_odds": 2, "discard_log_odds": 1}})"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      testing::WriteFile(dir.File("m.json"), c.text);
      auto meta = app::ReadModelMeta(model);
      REQUIRE_FALSE(meta);
      CHECK(meta.error().code() == core::StatusCode::kInvalidArgument);
      CHECK(meta.error().message().find("m.json") != std::string::npos);
    }
  }

  TEST_CASE("the service reads the sidecar: input mode and thresholds reach the filter") {
    testing::TempDir dir;
    const std::string model = dir.File("tiny.ftz");
    std::filesystem::copy_file(testing::TinyModelPath(), model);
    core::Comment c = core::CommentFromFields({{"comment_content", "a great song i like it"}});
    app::Options options;
    options.db_path = ":memory:";
    options.model_path = model;
    auto plain = app::Open(options);
    REQUIRE(plain);
    CHECK((*plain)->model_meta.input == text::InputMode::kFields);
    auto before = (*plain)->filter->Score(c);
    REQUIRE(before);

    // A spam threshold below the comment's log-odds turns the same comment into spam.
    app::ModelMeta meta;
    meta.thresholds = app::ModelMeta::Thresholds{0.01, before->log_odds - 1.0,
                                                 before->log_odds + 50.0, "test"};
    REQUIRE(app::WriteModelMeta(model, meta).ok());
    auto tuned = app::Open(options);
    REQUIRE(tuned);
    auto after = (*tuned)->filter->Score(c);
    REQUIRE(after);
    CHECK(after->log_odds == doctest::Approx(before->log_odds));
    CHECK(after->verdict == core::Verdict::kSpam);

    options.use_model_thresholds = false;
    auto ignored = app::Open(options);
    REQUIRE(ignored);
    CHECK((*ignored)->filter->Score(c)->verdict == before->verdict);

    testing::WriteFile(app::ModelMetaPath(model), "{broken");
    auto broken = app::Open(options);
    REQUIRE_FALSE(broken);
    CHECK(broken.error().message().find("tiny.json") != std::string::npos);
  }
}
