// Learning from moderators end to end: hamletd answers checks with a weak model, sites report
// spam and ham over HTTP, `hamlet retrain` (a real process) trains, compares and installs or
// refuses a candidate, `hamlet replay` lists the verdicts the new model changes, and SIGHUP
// puts the installed model in service without a restart. On both store backends.
#include <doctest/doctest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/command.h"
#include "engine/retraining.h"
#include "support/e2e_backends.h"
#include "support/files.h"
#include "support/hamletd_process.h"
#include "support/labeled_data.h"
#include "text/normalize.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

constexpr char kForm[] = "application/x-www-form-urlencoded";

std::string FormEncode(const std::string& s) { return httplib::detail::encode_query_param(s); }

httplib::Result Post(const HamletdProcess& d, const std::string& path, const std::string& body,
                     const char* content_type = kForm) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  return c.Post(path.c_str(), body, content_type);
}

std::string AkismetFields(const HamletdProcess& d, const std::string& content, bool is_test) {
  return "api_key=" + d.key() + "&blog=" + FormEncode("http://example.test/") +
         "&user_ip=203.0.113.9&comment_content=" + FormEncode(content) +
         (is_test ? "&is_test=1" : "");
}

// GET /v1's "model": the version in force ("" when the service does not answer).
std::string ModelInService(const HamletdProcess& d) {
  httplib::Client c(d.host(), d.port());
  auto r = c.Get("/v1");
  if (!r || r->status != 200) return "";
  return json::parse(r->body).value("model", "");
}

// Trains MODEL with `hamlet train` as a real process (small settings, recorded in its .json).
void TrainModel(const std::string& data, const std::string& model) {
  const CommandResult r = RunCommand({HamletBinary(), "--db", ":memory:", "train", "--data", data,
                                      "--out", model, "--no-quantize", "--dim", "8"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

// The three counts of one row ("base", "feedback") of retrain's example table.
std::vector<long> TableRow(const std::string& out, const std::string& name) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first != name) continue;
    std::vector<long> counts(3);
    words >> counts[0] >> counts[1] >> counts[2];
    return counts;
  }
  return {};
}

}  // namespace

TEST_SUITE("e2e/retrain") {
  TEST_CASE_TEMPLATE(
      "feedback over HTTP retrains and installs a better model, replay shows the "
      "flips, SIGHUP puts it in service",
      Backend, SqliteBackend, PostgresBackend) {
    TempDir models;
    const std::string base = models.File("base.jsonl");
    WriteLabeledJsonl(base, SeparableComments(120));
    const std::string wrong = models.File("wrong.jsonl");
    WriteLabeledJsonl(wrong, SeparableComments(20), /*invert=*/true);  // a weak current model
    const std::string model = models.File("current.bin");
    TrainModel(wrong, model);
    const std::string before = ReadFile(model);

    HAMLET_E2E_OPTIONS(options, Backend);
    options.model_path = model;
    // Not polling the model registry: this case puts the installed model in service by SIGHUP
    // (model_registry_e2e_test.cc covers the poll).
    options.extra_args = {"--model-poll-interval", "off"};
    HamletdProcess d(options);
    // Spam and ham the weak model gets wrong, reported by the site with their true labels.
    std::map<std::string, std::string> reported;  // guid -> label
    std::string reported_spam;                    // the text of one reported spam
    const std::string weak_version = ModelInService(d);
    REQUIRE_FALSE(weak_version.empty());
    for (const GeneratedComment& c : SeparableComments(6, 200)) {
      if (c.is_spam) reported_spam = c.content;
      const std::string fields = AkismetFields(d, c.content, false);
      auto r = Post(d, "/1.1/comment-check", fields);
      REQUIRE(r);
      REQUIRE(r->status == 200);
      const std::string guid = r->get_header_value("X-akismet-guid");
      REQUIRE(guid.size() == 32);
      auto s = Post(d, c.is_spam ? "/1.1/submit-spam" : "/1.1/submit-ham", fields);
      REQUIRE(s);
      REQUIRE(s->status == 200);
      reported[guid] = c.is_spam ? "spam" : "ham";
    }
    // A test report (is_test) with a wrong label: it must not be learned from.
    const std::string test_fields =
        AkismetFields(d, SeparableComments(1, 210)[0].content, /*is_test=*/true);
    REQUIRE(Post(d, "/1.1/comment-check", test_fields));
    REQUIRE(Post(d, "/1.1/submit-ham", test_fields));

    const CommandResult run = d.Hamlet({"--model", model, "retrain", "--data", base});
    REQUIRE_MESSAGE(run.exit_code == 0, (run.out + run.err));
    CHECK(run.out.find("installed") != std::string::npos);
    const auto feedback = TableRow(run.out, "feedback");
    REQUIRE(feedback.size() == 3);
    CHECK(feedback[0] + feedback[1] + feedback[2] == 12);  // the test report is left out
    CHECK(ReadFile(model) != before);
    CHECK(ReadFile(model + ".prev") == before);
    CHECK(std::filesystem::exists(model + ".prev.json"));
    const json meta = json::parse(ReadFile(models.File("current.json")));
    CHECK(meta["thresholds"]["spam_log_odds"].is_number());
    CHECK(meta["thresholds"]["discard_log_odds"].is_number());
    // What it installed is published to the database's model registry, for every node.
    const CommandResult listed = d.Hamlet({"models", "list", "--json"});
    REQUIRE(listed.exit_code == 0);
    const json registry = json::parse(listed.out);
    REQUIRE(registry.size() == 1);
    CHECK(registry[0]["version"] == meta["model"]);
    CHECK(run.out.find("published " + meta["model"].get<std::string>()) != std::string::npos);

    const CommandResult replay = d.Hamlet({"replay", "--model", model, "--json"});
    REQUIRE_MESSAGE(replay.exit_code == 0, replay.err);
    const json j = json::parse(replay.out);
    CHECK(j["summary"]["scanned"] == 13);
    CHECK(j["summary"]["tests"] == 1);
    int flipped_as_reported = 0;
    for (const json& change : j["changes"]) {
      auto it = reported.find(change["id"].get<std::string>());
      if (it == reported.end()) continue;
      CHECK(change["label"] == it->second);
      const bool now_spam = change["new_verdict"] != "ham";
      if (now_spam == (it->second == "spam")) ++flipped_as_reported;
    }
    CHECK(flipped_as_reported >= 1);
    CHECK(j["summary"]["candidate_right"].get<long>() >= 1);

    // Until told, the service keeps the model it loaded; SIGHUP reloads the installed one.
    CHECK(ModelInService(d) == weak_version);
    const std::string installed = meta["model"];
    CHECK(installed != weak_version);
    REQUIRE(::kill(d.pid(), SIGHUP) == 0);
    // Generous: under ThreadSanitizer loading and checking a model took over 10 s.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline && ModelInService(d) != installed) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll interval
    }
    REQUIRE(ModelInService(d) == installed);
    // The reported spam, sent again as a new comment: judged and recorded by the new model.
    REQUIRE_FALSE(reported_spam.empty());
    auto again = Post(d, "/1.1/comment-check", AkismetFields(d, reported_spam + " again", false));
    REQUIRE(again);
    REQUIRE(again->status == 200);
    CHECK(again->body == "true");
    CHECK(json::parse(d.ShowJson(again->get_header_value("X-akismet-guid")))["model"] == installed);
  }

  TEST_CASE_TEMPLATE("a candidate poisoned by bad feedback is refused and the model stays", Backend,
                     SqliteBackend, PostgresBackend) {
    TempDir models;
    const std::string base = models.File("base.jsonl");
    WriteLabeledJsonl(base, SeparableComments(120));
    const std::string model = models.File("good.bin");
    TrainModel(base, model);  // a good current model
    const std::string before = ReadFile(model);

    HAMLET_E2E_OPTIONS(options, Backend);
    options.model_path = model;
    HamletdProcess d(options);
    // About half of the base's spam outside the test part reported as ham: the candidate
    // learns spam and "ham" from the same words, its thresholds are tuned on those "ham", and
    // it misses the test part's spam, which the current model catches.
    int poisoned = 0;
    for (const GeneratedComment& c : SeparableComments(120)) {
      const std::string normalized = text::Normalize(c.content);
      if (!c.is_spam || engine::SplitOf(normalized, 20) == engine::Split::kTest) continue;
      if ((engine::StableTextHash(normalized) / 1000) % 2 != 0) continue;
      auto r =
          Post(d, "/v1/feedback",
               json{{"api_key", d.key()}, {"label", "ham"}, {"comment_content", c.content}}.dump(),
               "application/json");
      REQUIRE(r);
      REQUIRE(r->status == 200);
      ++poisoned;
    }
    REQUIRE(poisoned > 30);

    const CommandResult run = d.Hamlet({"--model", model, "retrain", "--data", base});
    CHECK_MESSAGE(run.exit_code == cli::kExitRefused, (run.out + run.err));
    CHECK(run.out.find("refused") != std::string::npos);
    CHECK(ReadFile(model) == before);
    CHECK_FALSE(std::filesystem::exists(model + ".prev"));
    CHECK(std::filesystem::exists(models.File("good.candidate.bin")));
    CHECK(d.Hamlet({"models", "list"}).out.find("No published models") != std::string::npos);
  }
}

}  // namespace hamlet::testing
