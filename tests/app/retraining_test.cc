// The app side of retraining: candidate paths, training settings from a sidecar, the install.
#include "app/retraining.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/training.h"
#include "support/temp_dir.h"

using namespace hamlet;

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

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
}
