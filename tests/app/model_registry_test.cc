// The model registry against a real SQLite store and real model files: a file published by one
// set of services is taken into service by another's poll through its cache folder; corrupt,
// invalid and oddly named publications are refused (once) while the old model keeps serving.
#include "app/model_registry.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "app/wiring.h"
#include "engine/crypto.h"
#include "support/files.h"
#include "support/model_files.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

using namespace hamlet;
namespace fs = std::filesystem;

namespace {

using Outcome = app::RegistryPoll::Outcome;

// A node: services on the shared database with the tiny model, and its registry poll.
struct Node {
  explicit Node(const testing::TempDir& dir) : dir_(dir) {
    testing::InstallModelForTesting(testing::TinyModelPath(), model);
    app::Options options;
    options.db_path = dir.File("hamlet.db");
    options.model_path = model;
    auto opened = app::Open(options);
    REQUIRE_MESSAGE(opened, opened.error().ToString());
    services = std::move(opened).value();
    sync = std::make_unique<app::ModelRegistrySync>(*services->store, *services->filter,
                                                    *services->reloader, cache);
  }
  app::RegistryPoll Poll() {
    auto poll = sync->Poll();
    REQUIRE_MESSAGE(poll, poll.error().ToString());
    return *poll;
  }

  const testing::TempDir& dir_;
  const std::string model = dir_.File("node-model.ftz");
  const fs::path cache = fs::path(dir_.path()) / "cache";
  std::unique_ptr<app::Services> services;
  std::unique_ptr<app::ModelRegistrySync> sync;
};

// A publication with the right sha256 and version for `bytes`, straight into the store.
store::PublishedModel Raw(const std::string& name, const std::string& bytes) {
  store::PublishedModel m;
  m.model = bytes;
  m.sha256 = engine::Sha256Hex(bytes);
  m.version = name + "@" + m.sha256.substr(0, 8);
  m.published_ms = 1;
  m.publisher = "test";
  return m;
}

}  // namespace

TEST_SUITE("app/model_registry") {
  TEST_CASE("a published model is taken into service by the poll and cached beside it") {
    testing::TempDir dir;
    Node node(dir);
    const std::string tiny_version = node.services->filter->ModelVersion();
    CHECK(node.Poll().outcome == Outcome::kEmpty);

    // Published from a file elsewhere (with its sidecar), by a second set of services.
    const std::string shipped = dir.File("pub/hamlet-default.ftz");
    fs::create_directories(dir.File("pub"));
    testing::InstallModelForTesting(testing::ShippedModelPath(), shipped);
    app::Options options;
    options.db_path = dir.File("hamlet.db");
    options.load_model = false;
    auto publisher = app::Open(options);
    REQUIRE(publisher);
    auto published = app::PublishModelFile(*(*publisher)->store, shipped, "alice@h1", 5000);
    REQUIRE_MESSAGE(published, published.error().ToString());
    CHECK(published->version.find("hamlet-default@") == 0);
    CHECK(published->sha256 == engine::Sha256Hex(testing::ReadFile(shipped)));
    CHECK(published->model.empty());
    CHECK_FALSE(published->meta_json.empty());

    const app::RegistryPoll poll = node.Poll();
    REQUIRE(poll.outcome == Outcome::kReloaded);
    CHECK(poll.reload.previous == tiny_version);
    CHECK(poll.reload.current == published->version);
    CHECK(node.services->filter->ModelVersion() == published->version);
    CHECK(node.services->reloader->Stats().reloads == 1);
    const fs::path cached = node.cache / std::to_string(published->id) / "hamlet-default.ftz";
    CHECK(node.services->reloader->model_path() == cached.string());
    CHECK(testing::ReadFile(cached.string()) == testing::ReadFile(shipped));
    CHECK(testing::ReadFile(app::ModelMetaPath(cached.string())) ==
          testing::ReadFile(app::ModelMetaPath(shipped)));
    // The sidecar came along: the shipped model's thresholds are in force.
    CHECK(node.services->filter->Model()->input == text::InputMode::kFields);

    // Nothing new: nothing done. A SIGHUP-style reload reloads the cached file.
    CHECK(node.Poll().outcome == Outcome::kCurrent);
    auto again = node.services->reloader->Reload();
    REQUIRE(again);
    CHECK(again->current == published->version);

    // A newer publication replaces it, and the older cache folder is removed.
    const std::string tiny_copy = dir.File("pub/tiny.ftz");
    testing::InstallModelForTesting(testing::TinyModelPath(), tiny_copy);
    auto newer = app::PublishModelFile(*(*publisher)->store, tiny_copy, "bob@h2", 6000);
    REQUIRE(newer);
    CHECK(node.Poll().outcome == Outcome::kReloaded);
    CHECK(node.services->filter->ModelVersion() == newer->version);
    CHECK(newer->version.find("tiny@") == 0);
    CHECK_FALSE(fs::exists(cached.parent_path()));
    CHECK(fs::exists(node.cache / std::to_string(newer->id) / "tiny.ftz"));
  }

  TEST_CASE("corrupt invalid or oddly named publications are refused once and the model stays") {
    testing::TempDir dir;
    Node node(dir);
    store::Store& store = *node.services->store;
    const std::string serving = node.services->filter->ModelVersion();
    const std::string shipped_bytes = testing::ReadFile(testing::ShippedModelPath());

    // The bytes changed after the sha256 was taken (a corrupt blob).
    store::PublishedModel corrupt = Raw("hamlet-default", shipped_bytes);
    corrupt.model[corrupt.model.size() / 2] ^= 0x5a;
    REQUIRE(store.PublishModel(corrupt));
    app::RegistryPoll poll = node.Poll();
    REQUIRE(poll.outcome == Outcome::kRefused);
    CHECK(poll.why.find("do not match its sha256") != std::string::npos);
    CHECK(node.services->filter->ModelVersion() == serving);
    CHECK(node.Poll().outcome == Outcome::kRefusedBefore);  // not tried (or logged) again

    // Right sha256, but not a model: LoadModel refuses it, its cache folder is removed.
    auto not_model = store.PublishModel(Raw("junk", "this is not a fastText model"));
    REQUIRE(not_model);
    poll = node.Poll();
    REQUIRE(poll.outcome == Outcome::kRefused);
    CHECK(poll.why.find("not a valid fastText model") != std::string::npos);
    CHECK_FALSE(fs::exists(node.cache / std::to_string(*not_model)));

    // A version that is no file name, or does not name its bytes.
    REQUIRE(store.PublishModel(Raw("../escape", shipped_bytes)));
    poll = node.Poll();
    REQUIRE(poll.outcome == Outcome::kRefused);
    CHECK(poll.why.find("is not NAME@") != std::string::npos);
    store::PublishedModel wrong_version = Raw("hamlet-default", shipped_bytes);
    wrong_version.version = "hamlet-default@00000000";
    REQUIRE(store.PublishModel(wrong_version));
    CHECK(node.Poll().outcome == Outcome::kRefused);

    CHECK(node.services->filter->ModelVersion() == serving);
    CHECK(node.services->reloader->Stats().reloads == 0);
    CHECK_FALSE(fs::exists(node.cache / "..escape.ftz"));

    // A good publication after them goes into service.
    REQUIRE(store.PublishModel(Raw("hamlet-default", shipped_bytes)));
    CHECK(node.Poll().outcome == Outcome::kReloaded);
    CHECK(node.services->filter->ModelVersion().find("hamlet-default@") == 0);
  }

  TEST_CASE("publishing refuses a missing file and a file that is not a model") {
    testing::TempDir dir;
    app::Options options;
    options.db_path = dir.File("hamlet.db");
    options.load_model = false;
    auto services = app::Open(options);
    REQUIRE(services);
    store::Store& store = *(*services)->store;
    auto missing = app::PublishModelFile(store, dir.File("absent.ftz"), "a", 1);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code() == core::StatusCode::kNotFound);
    { std::ofstream(dir.File("text.ftz")) << "hello"; }
    auto junk = app::PublishModelFile(store, dir.File("text.ftz"), "a", 1);
    REQUIRE_FALSE(junk);
    CHECK(junk.error().code() == core::StatusCode::kInvalidArgument);
    auto listed = store.ListPublishedModels(5);
    REQUIRE(listed);
    CHECK(listed->empty());
  }
}
