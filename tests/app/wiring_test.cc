#include <doctest/doctest.h>

#include <fstream>

#include "app/wiring.h"
#include "support/env_guard.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

using namespace hamlet;

TEST_SUITE("app/wiring") {
  TEST_CASE("opens the store and the model and builds the engine") {
    testing::TempDir dir;
    app::Options options;
    options.db_path = dir.File("h.db");
    options.model_path = testing::TinyModelPath();
    auto services = app::Open(options);
    REQUIRE(services);
    CHECK((*services)->filter != nullptr);
    CHECK((*services)->store->Ping().ok());
    CHECK((*services)->filter->ModelVersion().find("tiny@") == 0);
  }

  TEST_CASE("a missing model is NotFound and names the file") {
    testing::TempDir dir;
    app::Options options;
    options.db_path = ":memory:";
    options.model_path = dir.File("absent.ftz");
    auto services = app::Open(options);
    REQUIRE_FALSE(services);
    CHECK(services.error().code() == core::StatusCode::kNotFound);
    CHECK(services.error().message().find("absent.ftz") != std::string::npos);
  }

  TEST_CASE("store-only commands open without any model") {
    app::Options options;
    options.db_path = ":memory:";
    options.model_path = "/nonexistent/model.ftz";
    options.load_model = false;
    auto services = app::Open(options);
    REQUIRE(services);
    CHECK((*services)->filter == nullptr);
    CHECK((*services)->keys != nullptr);
  }

  TEST_CASE("an invalid policy is refused before anything opens") {
    app::Options options;
    options.db_path = ":memory:";
    options.load_model = false;
    options.policy.spam_threshold = 2.0;
    CHECK(app::Open(options).error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("HAMLET_MODEL overrides the default model path") {
    testing::EnvGuard model("HAMLET_MODEL");
    model.Set("/somewhere/else.ftz");
    CHECK(app::DefaultModelPath() == "/somewhere/else.ftz");
    model.Unset();
    CHECK(app::DefaultModelPath().find("hamlet-default.ftz") != std::string::npos);
  }
}
