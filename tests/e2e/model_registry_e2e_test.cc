// The model registry end to end: real hamletd nodes polling one database. A model published
// with `hamlet models publish` on one host is in service on every node within the poll
// interval, their decisions record its version and /metrics shows the reload; a corrupt
// publication is refused and the model in service keeps answering. Three nodes on PostgreSQL;
// one node per backend for the CLI's paths (SQLite takes the same code path).
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/crypto.h"
#include "store/open_store.h"
#include "support/e2e_backends.h"
#include "support/e2e_http.h"
#include "support/files.h"
#include "support/hamletd_process.h"
#include "support/model_files.h"
#include "support/pg_cluster.h"
#include "support/skip.h"
#include "support/temp_dir.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

// GET /v1's "model": the version in service ("" when the node does not answer).
std::string ModelInService(const HamletdProcess& d) {
  auto r = GetFrom(d, "/v1");
  if (!r || r->status != 200) return "";
  return json::parse(r->body).value("model", "");
}

// The model version a new check on `d` is recorded with.
std::string VersionOfNextDecision(const HamletdProcess& d, const std::string& text) {
  auto r = PostTo(d, "/1.1/comment-check",
                  "api_key=" + d.key() + "&blog=http%3A%2F%2Fexample.test%2F&user_ip=192.0.2.7" +
                      "&comment_content=" + text);
  if (!r || r->status != 200) return "";
  const std::string shown = d.ShowJson(r->get_header_value("X-akismet-guid"));
  if (shown.empty()) return "";
  return json::parse(shown).value("model", "");
}

// A second model whose version really differs from the shipped one: trained here from the
// repository's seed comments with small, fast settings (its sidecar comes with it).
std::string TrainSecondModel(const TempDir& dir) {
  const std::string model = dir.File("retrained.ftz");
  const CommandResult r =
      RunCommand({HamletBinary(), "--db", ":memory:", "train", "--data",
                  std::string(HAMLET_SOURCE_DIR) + "/data/blog-comments-seed.jsonl", "--out", model,
                  "--no-quantize", "--dim", "8"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  return model;
}

HamletdProcess::Options PollingNode(HamletdProcess::Options options, const std::string& cache) {
  options.extra_args = {"--model-poll-interval", "1s", "--model-cache", cache};
  return options;
}

// The shipped model's bytes with one flipped, published under the original's sha256 and
// version: what a blob corrupted in storage or transit looks like.
store::PublishedModel CorruptPublication() {
  store::PublishedModel m;
  m.model = ReadFile(ShippedModelPath());
  m.sha256 = engine::Sha256Hex(m.model);
  m.version = "hamlet-default@" + m.sha256.substr(0, 8) + "x";
  m.model[m.model.size() / 3] ^= 0x11;
  m.published_ms = 1;
  m.publisher = "corrupt@test";
  return m;
}

}  // namespace

TEST_SUITE("e2e/model_registry") {
  TEST_CASE(
      "a model published on one host is in service on three PostgreSQL nodes and a "
      "corrupt one is refused") {
    PgCluster& cluster = PgCluster::Shared();
    if (!cluster.ok()) HAMLET_SKIP(PgUnavailableMessage(cluster));
    TempDir work;
    const std::string trained = TrainSecondModel(work);
    HamletdProcess::Options shared;
    shared.db_path = cluster.CreateDatabase();
    std::vector<std::unique_ptr<HamletdProcess>> nodes;
    for (int i = 0; i < 3; ++i) {
      nodes.push_back(std::make_unique<HamletdProcess>(
          PollingNode(shared, work.File("cache" + std::to_string(i)))));
    }
    const std::string initial = ModelInService(*nodes[0]);
    REQUIRE_FALSE(initial.empty());
    for (const auto& node : nodes) {
      CHECK(ModelInService(*node) == initial);
      CHECK(MetricValue(*node, "hamlet_model_reloads_total") == 0);
    }

    // Published from "another host": the CLI, through the second node's database.
    const CommandResult published = nodes[1]->Hamlet({"models", "publish", trained, "--json"});
    REQUIRE_MESSAGE(published.exit_code == 0, published.err);
    const std::string version = json::parse(published.out)["version"];
    CHECK(version.find("retrained@") == 0);
    REQUIRE(version != initial);

    for (size_t i = 0; i < nodes.size(); ++i) {
      CAPTURE(i);
      const HamletdProcess& node = *nodes[i];
      CHECK(WaitUntil([&] { return ModelInService(node) == version; }, std::chrono::seconds(20)));
      CHECK(VersionOfNextDecision(node, "node+" + std::to_string(i) + "+after+publish") == version);
      CHECK(MetricValue(node, "hamlet_model_reloads_total") == 1);
      CHECK(MetricValue(node, "hamlet_model_info{version=\"" + version + "\"}") == 1);
      CHECK(node.Log().find("model registry: now serving " + version) != std::string::npos);
    }

    // A corrupt blob, published behind the CLI's back: refused by every node, which keeps
    // answering with the model it has.
    auto store = store::OpenStore(shared.db_path);
    REQUIRE(store);
    REQUIRE((*store)->PublishModel(CorruptPublication()));
    for (size_t i = 0; i < nodes.size(); ++i) {
      CAPTURE(i);
      const HamletdProcess& node = *nodes[i];
      CHECK(
          WaitUntil([&] { return node.Log().find("do not match its sha256") != std::string::npos; },
                    std::chrono::seconds(20)));
      CHECK(ModelInService(node) == version);
      CHECK(VersionOfNextDecision(node, "node+" + std::to_string(i) + "+after+corrupt") == version);
      CHECK(MetricValue(node, "hamlet_model_reloads_total") == 1);
    }
  }

  TEST_CASE_TEMPLATE("hamlet models publish and list on a running node", Backend, SqliteBackend,
                     PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    TempDir work;
    const std::string trained = TrainSecondModel(work);
    HamletdProcess d(PollingNode(options, work.File("cache")));
    const std::string initial = ModelInService(d);

    const CommandResult empty = d.Hamlet({"models", "list"});
    CHECK(empty.exit_code == 0);
    CHECK(empty.out.find("No published models") != std::string::npos);

    // Refusals: nothing is published.
    CHECK(d.Hamlet({"models", "publish", work.File("absent.ftz")}).exit_code == 3);
    const std::string not_a_model = work.File("notes.ftz");
    std::ofstream(not_a_model) << "not a model\n";
    const CommandResult junk = d.Hamlet({"models", "publish", not_a_model});
    CHECK(junk.exit_code == 2);
    CHECK(junk.err.find("not a valid fastText model") != std::string::npos);

    const CommandResult published =
        d.Hamlet({"models", "publish", trained, "--publisher", "ops@build-host"});
    REQUIRE_MESSAGE(published.exit_code == 0, published.err);
    CHECK(published.out.find("published retrained@") == 0);
    const CommandResult listed = d.Hamlet({"models", "list", "--json"});
    REQUIRE(listed.exit_code == 0);
    const json rows = json::parse(listed.out);
    REQUIRE(rows.size() == 1);
    const std::string version = rows[0]["version"];
    CHECK(rows[0]["publisher"] == "ops@build-host");
    CHECK(rows[0]["sha256"] == engine::Sha256Hex(ReadFile(trained)));
    CHECK(rows[0]["has_sidecar"] == true);

    CHECK(WaitUntil([&] { return ModelInService(d) == version; }, std::chrono::seconds(20)));
    CHECK(version != initial);
    CHECK(VersionOfNextDecision(d, "judged+by+the+published+model") == version);
    CHECK(MetricValue(d, "hamlet_model_reloads_total") == 1);
  }
}

}  // namespace hamlet::testing
