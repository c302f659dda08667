// Hot model reload against the real hamletd: SIGHUP and POST /v1/admin/reload, with the model
// file replaced the way `hamlet retrain` does it (write beside, rename over). On both store
// backends.
#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <utility>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"
#include "support/model_files.h"
#include "support/text_lines.h"
#include "support/tiny_model.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A bound on waiting for hamletd, so a broken build fails instead of hanging; never a
// measurement.
constexpr auto kPatience = std::chrono::seconds(15);

// The shipped model at a path of the test's own, and hamletd serving it from there.
struct Served {
  static std::string Install(const TempDir& dir) {
    const std::string path = dir.File("served.ftz");
    InstallModelForTesting(ShippedModelPath(), path);
    return path;
  }
  // `options` (a backend's database) serving the model at `path`.
  static HamletdProcess::Options WithModel(HamletdProcess::Options options,
                                           const std::string& path) {
    options.model_path = path;
    // These tests poll GET /v1 and send checks back to back from one address with one key:
    // no rate limits (tests/e2e/limits_e2e_test.cc tests those).
    options.extra_args = {"--rate-limit-ip", "0", "--rate-limit-key", "0"};
    return options;
  }

  explicit Served(HamletdProcess::Options options) : d{WithModel(std::move(options), model)} {
    const CommandResult made = d.Hamlet({"keys", "create", "--admin"});
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    admin_key = LastLine(made.out);
    REQUIRE(admin_key.size() == 12);
    shipped_version = Model();
    REQUIRE(shipped_version.find("served@") == 0);
  }

  // GET /v1's "model": the version in force.
  std::string Model() const {
    httplib::Client c(d.host(), d.port());
    auto r = c.Get("/v1");
    if (!r || r->status != 200) return "";
    return json::parse(r->body).value("model", "");
  }
  json Index() const {
    httplib::Client c(d.host(), d.port());
    auto r = c.Get("/v1");
    REQUIRE(r);
    return json::parse(r->body);
  }
  // Polls GET /v1 until `version` is in force; false when it never is.
  bool WaitForModel(const std::string& version) const {
    const auto deadline = Clock::now() + kPatience;
    while (Clock::now() < deadline) {
      if (Model() == version) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval
    }
    return false;
  }
  // Polls hamletd's log until it holds `text`; false when it never does.
  bool WaitForLog(const std::string& text) const {
    const auto deadline = Clock::now() + kPatience;
    while (Clock::now() < deadline) {
      if (d.Log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval
    }
    return false;
  }
  httplib::Result Check(const std::string& key) const {
    httplib::Client c(d.host(), d.port());
    c.set_read_timeout(std::chrono::seconds(10));
    return c.Post(
        "/v1/check", {{"Authorization", "Bearer " + key}},
        R"({"comment_content": "this song reminds me of summer", "user_ip": "203.0.113.9"})",
        "application/json");
  }
  httplib::Result Reload(const std::string& authorization, const std::string& body = "") const {
    httplib::Client c(d.host(), d.port());
    c.set_read_timeout(std::chrono::seconds(10));
    httplib::Headers headers;
    if (!authorization.empty()) headers.emplace("Authorization", authorization);
    return c.Post("/v1/admin/reload", headers, body, "application/json");
  }
  void Hangup() const { REQUIRE(::kill(d.pid(), SIGHUP) == 0); }

  TempDir models;
  const std::string model = Install(models);
  HamletdProcess d;
  std::string admin_key;
  std::string shipped_version;
};

// The version the tiny model has once installed at `s.model` ("served@<its hash>"), found by
// reloading it through the admin endpoint.
std::string InstallTinyAndReload(const Served& s) {
  InstallModelForTesting(TinyModelPath(), s.model);
  auto r = s.Reload("Bearer " + s.admin_key);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(r->body)["model"];
}

}  // namespace

TEST_SUITE("e2e/reload") {
  TEST_CASE_TEMPLATE(
      "SIGHUP reloads the replaced model file, checks and stored decisions record it", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    Served s(options);
    auto before = s.Check(s.d.key());
    REQUIRE(before);
    REQUIRE(before->status == 200);
    const json first = json::parse(before->body);
    CHECK(first["model"] == s.shipped_version);
    CHECK(json::parse(s.d.ShowJson(first["id"]))["model"] == s.shipped_version);

    InstallModelForTesting(TinyModelPath(), s.model);
    s.Hangup();
    std::string tiny_version;
    const auto deadline = Clock::now() + kPatience;
    while (Clock::now() < deadline && (tiny_version.empty() || tiny_version == s.shipped_version)) {
      tiny_version = s.Model();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval
    }
    REQUIRE(tiny_version != s.shipped_version);
    CHECK(tiny_version.find("served@") == 0);

    auto after = s.Check(s.d.key());
    REQUIRE(after);
    REQUIRE(after->status == 200);
    const json second = json::parse(after->body);
    CHECK(second["model"] == tiny_version);
    CHECK(json::parse(s.d.ShowJson(second["id"]))["model"] == tiny_version);
    // The first decision keeps the version that made it.
    CHECK(json::parse(s.d.ShowJson(first["id"]))["model"] == s.shipped_version);
    const json index = s.Index();
    CHECK(index["reloads"] == 1);
    CHECK(index["last_reload_ms"].is_number_integer());

    s.d.Stop();
    CHECK(s.d.Log().find("SIGHUP: model reloaded from '" + s.model + "': " + s.shipped_version +
                         " -> " + tiny_version) != std::string::npos);
  }

  TEST_CASE_TEMPLATE(
      "POST /v1/admin/reload: 200 with an admin key, 403 with a site key, 401 without", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    Served s(options);
    InstallModelForTesting(TinyModelPath(), s.model);

    auto none = s.Reload("");
    REQUIRE(none);
    CHECK(none->status == 401);
    CHECK(json::parse(none->body)["error"]["code"] == "unauthenticated");
    auto unknown = s.Reload("Bearer 0123456789ab");
    REQUIRE(unknown);
    CHECK(unknown->status == 401);
    auto site = s.Reload("Bearer " + s.d.key());
    REQUIRE(site);
    CHECK(site->status == 403);
    CHECK(json::parse(site->body)["error"]["code"] == "permission_denied");
    auto with_path = s.Reload("Bearer " + s.admin_key, R"({"path": "/tmp/other.ftz"})");
    REQUIRE(with_path);
    CHECK(with_path->status == 400);
    CHECK(s.Model() == s.shipped_version);  // none of these reloaded anything

    auto ok = s.Reload("Bearer " + s.admin_key);
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(ok->get_header_value("Content-Type") == "application/json");
    const json body = json::parse(ok->body);
    CHECK(body["previous"] == s.shipped_version);
    CHECK(body["model"] != s.shipped_version);
    CHECK(body["reloads"] == 1);
    CHECK(s.Model() == body["model"]);

    bool listed = false;
    const json index = s.Index();
    for (const json& route : index["routes"]) {
      listed = listed || (route["method"] == "POST" && route["path"] == "/v1/admin/reload");
    }
    CHECK(listed);
  }

  TEST_CASE_TEMPLATE("an admin key is refused by the comment endpoints", Backend, SqliteBackend,
                     PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    Served s(options);
    auto v1 = s.Check(s.admin_key);
    REQUIRE(v1);
    CHECK(v1->status == 403);
    CHECK(json::parse(v1->body)["error"]["code"] == "permission_denied");

    httplib::Client c(s.d.host(), s.d.port());
    auto check = c.Post("/1.1/comment-check",
                        "api_key=" + s.admin_key +
                            "&blog=http%3A%2F%2Fexample.test%2F&user_ip=203.0.113.9"
                            "&comment_content=hello",
                        "application/x-www-form-urlencoded");
    REQUIRE(check);
    CHECK(check->status == 200);
    CHECK(check->body == "invalid");
    auto verify =
        c.Post("/1.1/verify-key", "key=" + s.admin_key + "&blog=http%3A%2F%2Fexample.test%2F",
               "application/x-www-form-urlencoded");
    REQUIRE(verify);
    CHECK(verify->body == "invalid");
    auto site_verify =
        c.Post("/1.1/verify-key", "key=" + s.d.key() + "&blog=http%3A%2F%2Fexample.test%2F",
               "application/x-www-form-urlencoded");
    REQUIRE(site_verify);
    CHECK(site_verify->body == "valid");
  }

  TEST_CASE_TEMPLATE("POST /v1/admin/reload: a revoked admin key is 401 and reloads nothing",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    Served s(options);
    InstallModelForTesting(TinyModelPath(), s.model);
    const CommandResult revoked = s.d.Hamlet({"keys", "revoke", s.admin_key});
    REQUIRE_MESSAGE(revoked.exit_code == 0, revoked.err);

    auto r = s.Reload("Bearer " + s.admin_key);
    REQUIRE(r);
    CHECK(r->status == 401);
    const json body = json::parse(r->body);
    CHECK(body["error"]["code"] == "unauthenticated");
    CHECK(std::string(body["error"]["message"]).find("revoked") != std::string::npos);
    CHECK(s.Model() == s.shipped_version);
    CHECK(s.Index()["reloads"] == 0);
  }

  TEST_CASE_TEMPLATE("an admin key's reports are refused: Akismet invalid as a wrong key, /v1 403",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    Served s(options);
    const std::string fields =
        "&blog=http%3A%2F%2Fexample.test%2F&user_ip=203.0.113.9&comment_content=hello+there";
    httplib::Client c(s.d.host(), s.d.port());
    auto check = c.Post("/1.1/comment-check", "api_key=" + s.d.key() + fields,
                        "application/x-www-form-urlencoded");
    REQUIRE(check);
    const std::string guid = check->get_header_value("X-akismet-guid");
    REQUIRE(guid.size() == 32);

    for (const char* path : {"/1.1/submit-spam", "/1.1/submit-ham"}) {
      CAPTURE(path);
      auto admin =
          c.Post(path, "api_key=" + s.admin_key + fields, "application/x-www-form-urlencoded");
      auto wrong =
          c.Post(path, "api_key=0123456789ab" + fields, "application/x-www-form-urlencoded");
      REQUIRE(admin);
      REQUIRE(wrong);
      CHECK(admin->status == 200);
      CHECK(admin->body == "invalid");
      // The same answer as for a wrong key: the role of a key is not told to Akismet clients.
      CHECK(admin->status == wrong->status);
      CHECK(admin->body == wrong->body);
      CHECK(admin->get_header_value("X-akismet-debug-help") ==
            wrong->get_header_value("X-akismet-debug-help"));
      CHECK_FALSE(admin->get_header_value("X-akismet-debug-help").empty());
    }

    auto feedback = c.Post("/v1/feedback", {{"Authorization", "Bearer " + s.admin_key}},
                           R"({"id": ")" + guid + R"(", "label": "spam"})", "application/json");
    REQUIRE(feedback);
    CHECK(feedback->status == 403);
    CHECK(feedback->get_header_value("Content-Type") == "application/json");
    CHECK(json::parse(feedback->body)["error"]["code"] == "permission_denied");
    auto in_body =
        c.Post("/v1/feedback",
               R"({"api_key": ")" + s.admin_key + R"(", "id": ")" + guid + R"(", "label": "ham"})",
               "application/json");
    REQUIRE(in_body);
    CHECK(in_body->status == 403);
    CHECK(json::parse(in_body->body)["error"]["code"] == "permission_denied");

    // None of them was stored as a moderator's label.
    const std::string shown = s.d.ShowJson(guid);
    REQUIRE_FALSE(shown.empty());
    const json history = json::parse(shown).at("history");
    CHECK(history.is_array());
    CHECK(history.empty());
  }

  TEST_CASE_TEMPLATE(
      "a corrupt model file is refused with an error, the old version keeps answering", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    Served s(options);
    CorruptModelForTesting(s.model);

    auto refused = s.Reload("Bearer " + s.admin_key);
    REQUIRE(refused);
    CHECK(refused->status == 422);
    const json body = json::parse(refused->body);
    CHECK(body["error"]["code"] == "reload_failed");
    const std::string message = body["error"]["message"];
    CHECK(message.find(s.model) != std::string::npos);
    CHECK(message.find("still serving " + s.shipped_version) != std::string::npos);
    CHECK(body["model"] == s.shipped_version);

    s.Hangup();
    REQUIRE(s.WaitForLog("SIGHUP: reload refused, still serving " + s.shipped_version));

    auto check = s.Check(s.d.key());
    REQUIRE(check);
    CHECK(check->status == 200);
    CHECK(json::parse(check->body)["model"] == s.shipped_version);
    CHECK(s.Model() == s.shipped_version);
    CHECK(s.Index()["reloads"] == 0);
    CHECK(s.Index()["last_reload_ms"].is_null());
  }

  TEST_CASE_TEMPLATE("a client sending checks during several reloads sees no failed request",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    Served s(options);
    const std::string tiny_version = InstallTinyAndReload(s);
    std::atomic<bool> done{false};
    std::atomic<int> sent{0};
    std::atomic<int> failed{0};
    std::set<std::string> versions;  // written by the client thread only, read after join
    std::thread client([&] {
      httplib::Client c(s.d.host(), s.d.port());
      c.set_read_timeout(std::chrono::seconds(10));
      c.set_keep_alive(true);
      while (!done.load()) {
        auto r = c.Post("/v1/check", {{"Authorization", "Bearer " + s.d.key()}},
                        R"({"comment_content": "cheap pills, click here http://x.example/"})",
                        "application/json");
        if (!r || r->status != 200) {
          failed.fetch_add(1);
        } else {
          versions.insert(json::parse(r->body).value("model", ""));
        }
        sent.fetch_add(1);
      }
    });
    constexpr int kReloads = 6;
    int reload_failures = 0;
    for (int i = 0; i < kReloads; ++i) {
      const bool to_tiny = i % 2 == 1;
      InstallModelForTesting(to_tiny ? TinyModelPath() : ShippedModelPath(), s.model);
      const std::string expected = to_tiny ? tiny_version : s.shipped_version;
      if (i % 3 == 0) {
        s.Hangup();
        if (!s.WaitForModel(expected)) ++reload_failures;
      } else {
        auto r = s.Reload("Bearer " + s.admin_key);
        if (!r || r->status != 200) ++reload_failures;
      }
      // Let the client send against this model before the next swap (a count, not a time).
      const int target = sent.load() + 2;
      const auto deadline = Clock::now() + kPatience;
      while (sent.load() < target && Clock::now() < deadline) std::this_thread::yield();
    }
    done = true;
    client.join();

    CHECK(reload_failures == 0);
    CHECK(failed.load() == 0);
    CHECK(sent.load() >= 2 * kReloads);
    for (const std::string& v : versions) {
      CHECK((v == s.shipped_version || v == tiny_version));
    }
    CHECK(s.Index()["reloads"] == kReloads + 1);
  }
}

}  // namespace hamlet::testing
