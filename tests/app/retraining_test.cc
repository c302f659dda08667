// The app side of retraining: candidate paths, training settings from a sidecar, the install.
#include "app/retraining.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "app/training.h"
#include "app/wiring.h"
#include "support/files.h"
#include "support/labeled_data.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

using namespace hamlet;
using hamlet::testing::ReadFile;
using hamlet::testing::WriteFile;

TEST_SUITE("app/retraining") {
  TEST_CASE("the candidate goes beside the model") {
    CHECK(app::CandidatePath("models/hamlet-default.ftz") == "models/hamlet-default.candidate.ftz");
    CHECK(app::CandidatePath("m.bin") == "m.candidate.bin");
  }

  TEST_CASE("training settings come from the sidecar, defaults for what is missing or odd") {
    app::ModelMeta meta;
    meta.training = {{"fasttext", {{"dim", 8}, {"epoch", 7}, {"lr", 0.25}, {"bucket", "many"}}},
                     {"quantized", false}};
    const auto options = app::TrainOptionsFromMeta(meta);
    CHECK(options.dim == 8);
    CHECK(options.epoch == 7);
    CHECK(options.lr == 0.25);
    CHECK(options.bucket == classifier::TrainOptions{}.bucket);  // a string is ignored
    CHECK_FALSE(options.quantize);
    CHECK(app::TrainOptionsFromMeta(app::ModelMeta{}).dim == classifier::TrainOptions{}.dim);
  }

  TEST_CASE("install keeps the previous model and sidecar and renames the version") {
    testing::TempDir dir;
    const auto model = dir.File("m.ftz");
    const auto candidate = dir.File("m.candidate.ftz");
    WriteFile(model, "old model");
    WriteFile(dir.File("m.json"), R"({"version": 1, "model": "m@11111111"})");
    WriteFile(candidate, "new model");
    app::ModelMeta meta;
    meta.model = "m.candidate@22222222";
    meta.thresholds = app::ModelMeta::Thresholds{};
    REQUIRE(app::WriteModelMeta(candidate, meta).ok());

    REQUIRE(app::InstallModel(candidate, model).ok());
    CHECK(ReadFile(model) == "new model");
    CHECK(ReadFile(model + ".prev") == "old model");
    CHECK(ReadFile(model + ".prev.json").find("m@11111111") != std::string::npos);
    auto installed = app::ReadModelMeta(model);
    REQUIRE(installed.has_value());
    REQUIRE(installed->has_value());
    CHECK((*installed)->model == "m@22222222");
    CHECK((*installed)->thresholds.has_value());
    CHECK_FALSE(std::filesystem::exists(candidate));
    CHECK_FALSE(std::filesystem::exists(dir.File("m.candidate.json")));

    // A model without a sidecar leaves no stale .prev.json behind.
    std::filesystem::remove(dir.File("m.json"));
    WriteFile(candidate, "newer model");
    REQUIRE(app::InstallModel(candidate, model).ok());
    CHECK(ReadFile(model + ".prev") == "new model");
    CHECK_FALSE(std::filesystem::exists(model + ".prev.json"));
  }

  TEST_CASE("install fails cleanly for a missing candidate or an unwritable place") {
    testing::TempDir dir;
    auto missing = app::InstallModel(dir.File("none.ftz"), dir.File("m.ftz"));
    CHECK(missing.code() == core::StatusCode::kNotFound);
    WriteFile(dir.File("c.ftz"), "x");
    auto nowhere = app::InstallModel(dir.File("c.ftz"), dir.File("no-dir/m.ftz"));
    CHECK(nowhere.code() == core::StatusCode::kInternal);
    CHECK(std::filesystem::exists(dir.File("c.ftz")));  // the candidate is kept
  }

  TEST_CASE("install refuses a candidate that is the model or shares its sidecar") {
    testing::TempDir dir;
    const auto model = dir.File("m.ftz");
    WriteFile(model, "model in service");
    WriteFile(dir.File("m.json"), R"({"version": 1, "model": "m@11111111"})");
    for (const std::string& candidate : {model, dir.File("./m.ftz"), dir.File("m.bin")}) {
      WriteFile(dir.File("m.bin"), "candidate");
      auto refused = app::InstallModel(candidate, model);
      CHECK(refused.code() == core::StatusCode::kInvalidArgument);
      CHECK(refused.message().find("would overwrite the model in service") != std::string::npos);
      CHECK(ReadFile(model) == "model in service");
      CHECK(ReadFile(dir.File("m.json")).find("m@11111111") != std::string::npos);
      CHECK_FALSE(std::filesystem::exists(model + ".prev"));
    }
  }

  TEST_CASE("a model that cannot be replaced puts the previous sidecar back") {
    testing::TempDir dir;
    const auto model = dir.File("m.ftz");
    WriteFile(model, "old model");
    WriteFile(dir.File("m.json"), R"({"version": 1, "model": "m@11111111"})");
    // A candidate that cannot be copied (a directory), with a readable sidecar beside it.
    const auto candidate = dir.File("c.ftz");
    std::filesystem::create_directory(candidate);
    app::ModelMeta meta;
    meta.model = "c@22222222";
    REQUIRE(app::WriteModelMeta(candidate, meta).ok());

    auto failed = app::InstallModel(candidate, model);
    CHECK(failed.code() == core::StatusCode::kInternal);
    CHECK(ReadFile(model) == "old model");
    // The old pair is intact, so the service can still start and reload.
    CHECK(ReadFile(dir.File("m.json")).find("m@11111111") != std::string::npos);
  }

  TEST_CASE("retrain refuses an output path that is the model in service") {
    testing::TempDir dir;
    const auto base = dir.File("base.jsonl");
    testing::WriteLabeledJsonl(base, testing::SeparableComments(120));
    const auto model = dir.File("current.ftz");
    std::filesystem::copy_file(testing::TinyModelPath(), model);
    const std::string before = ReadFile(model);
    app::Options options;
    options.db_path = ":memory:";
    options.model_path = model;
    auto services = app::Open(options);
    REQUIRE_MESSAGE(services, services.error().ToString());
    app::RetrainOptions retrain;
    retrain.base = {base};
    retrain.current_model = model;
    retrain.candidate_out = model;
    auto refused = app::Retrain(*(*services)->store, *(*services)->filter,
                                (*services)->model_meta, retrain);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(ReadFile(model) == before);
  }
}
