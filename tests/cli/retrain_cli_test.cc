// `hamlet retrain` and `hamlet replay` run in-process against a real SQLite database, with
// real fastText models trained in the test (a deliberately wrong current model, then a
// candidate from separable base data).
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "support/cli_run.h"
#include "support/files.h"
#include "support/labeled_data.h"
#include "support/temp_dir.h"
#include "support/text_lines.h"

using namespace hamlet;

namespace {

testing::CliRun Hamlet(const std::string& db, const std::string& model,
                       std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db, "--model", model});
  return testing::RunHamletCli(args);
}

// A temp dir with base.jsonl (separable), a wrong current model m.bin (trained on inverted
// labels, small settings recorded in m.json) and an empty database with one key.
struct Setup {
  testing::TempDir dir;
  std::string db = dir.File("h.db");
  std::string model = dir.File("m.bin");
  std::string base = dir.File("base.jsonl");
  std::string key;

  Setup() {
    testing::WriteLabeledJsonl(base, testing::SeparableComments(120));
    const std::string wrong = dir.File("wrong.jsonl");
    testing::WriteLabeledJsonl(wrong, testing::SeparableComments(20), /*invert=*/true);
    auto trained = Hamlet(db, model, {"train", "--data", wrong, "--out", model, "--no-quantize",
                                      "--dim", "8", "--epoch", "20"});
    REQUIRE_MESSAGE(trained.code == 0, trained.err);
    auto created = Hamlet(db, model, {"keys", "create", "--site", "http://blog.example/"});
    REQUIRE(created.code == 0);
    key = testing::LastLine(created.out);
  }

  std::string Check(const std::string& content) {
    auto r = Hamlet(db, model, {"check", "--key", key, "--content", content, "--json"});
    REQUIRE_MESSAGE(r.code == 0, r.err);
    return nlohmann::json::parse(r.out)["id"];
  }
};

}  // namespace

TEST_SUITE("cli/retrain") {
  TEST_CASE("retrain installs a better candidate, keeps the previous model, replay shows flips") {
    Setup s;
    const std::string spam_text = testing::SeparableComments(1, 200)[0].content;
    const std::string spam_id = s.Check(spam_text);
    REQUIRE(Hamlet(s.db, s.model, {"mark-spam", spam_id}).code == 0);
    const std::string before = testing::ReadFile(s.model);

    auto run = Hamlet(s.db, s.model, {"retrain", "--data", s.base});
    REQUIRE_MESSAGE(run.code == 0, (run.out + run.err));
    CHECK(run.out.find("false-pos. rate") < run.out.find("F1"));
    CHECK(run.out.find("feedback") != std::string::npos);
    CHECK(run.out.find("installed") != std::string::npos);
    CHECK(run.out.find("/v1/admin/reload") != std::string::npos);
    CHECK(testing::ReadFile(s.model) != before);
    CHECK(testing::ReadFile(s.model + ".prev") == before);
    CHECK(std::filesystem::exists(s.model + ".prev.json"));
    CHECK_FALSE(std::filesystem::exists(s.dir.File("m.candidate.bin")));
    const auto meta = nlohmann::json::parse(testing::ReadFile(s.dir.File("m.json")));
    CHECK(meta["thresholds"]["spam_log_odds"].is_number());
    CHECK(meta["model"].get<std::string>().rfind("m@", 0) == 0);
    CHECK(meta["training"]["fasttext"]["dim"] == 8);  // like for like

    auto replay = Hamlet(s.db, s.model, {"replay", "--json"});
    REQUIRE_MESSAGE(replay.code == 0, replay.err);
    const auto j = nlohmann::json::parse(replay.out);
    CHECK(j["summary"]["scanned"] == 1);
    REQUIRE(j["changes"].size() == 1);
    CHECK(j["changes"][0]["id"] == spam_id);
    CHECK(j["changes"][0]["old_verdict"] == "ham");
    CHECK(j["changes"][0]["new_verdict"] != "ham");
    CHECK(j["changes"][0]["label"] == "spam");
    CHECK(j["summary"]["candidate_right"] == 1);
    auto text = Hamlet(s.db, s.model, {"replay", "--since", "12h"});
    REQUIRE(text.code == 0);
    CHECK(text.out.find(spam_id) != std::string::npos);
    CHECK(text.out.find("1 ham->spam") != std::string::npos);
  }

  TEST_CASE("retrain --dry-run compares and installs nothing, --out names the candidate") {
    Setup s;
    const std::string before = testing::ReadFile(s.model);
    const std::string out = s.dir.File("cand.bin");
    auto run = Hamlet(s.db, s.model, {"retrain", "--data", s.base, "--dry-run", "--out", out});
    REQUIRE_MESSAGE(run.code == 0, (run.out + run.err));
    CHECK(run.out.find("dry run: would install") != std::string::npos);
    CHECK(testing::ReadFile(s.model) == before);
    CHECK_FALSE(std::filesystem::exists(s.model + ".prev"));
    CHECK(std::filesystem::exists(out));
    const auto candidate_meta = nlohmann::json::parse(testing::ReadFile(s.dir.File("cand.json")));
    CHECK(candidate_meta["thresholds"].is_object());
  }

  TEST_CASE("retrain: bad input exits 2 and says what is wrong, a broken store exits 4") {
    Setup s;
    auto missing = Hamlet(s.db, s.model, {"retrain", "--data", s.dir.File("nope.jsonl")});
    CHECK(missing.code == 2);
    CHECK(missing.err.find("nope.jsonl") != std::string::npos);
    auto nothing = Hamlet(s.db, s.model, {"retrain"});
    CHECK(nothing.code == 2);
    CHECK(nothing.err.find("no feedback") != std::string::npos);
    const std::string only_spam = s.dir.File("spam.jsonl");
    {
      auto comments = testing::SeparableComments(60);
      std::erase_if(comments, [](const auto& c) { return !c.is_spam; });
      testing::WriteLabeledJsonl(only_spam, comments);
    }
    auto one_label = Hamlet(s.db, s.model, {"retrain", "--data", only_spam});
    CHECK(one_label.code == 2);
    CHECK(one_label.err.find("no ham") != std::string::npos);
    CHECK(Hamlet(s.db, s.model, {"retrain", "--data", s.base, "--holdout-percent", "0"}).code == 2);
    CHECK(Hamlet(s.db, s.model, {"retrain", "--data", s.base, "--holdout-percent", "100"}).code ==
          2);
    auto no_store = Hamlet(s.dir.File("no-such-dir/h.db"), s.model, {"retrain", "--data", s.base});
    CHECK(no_store.code == 4);
    CHECK_FALSE(std::filesystem::exists(s.model + ".prev"));
  }

  TEST_CASE("replay: bad durations exit 2, an empty window lists nothing") {
    Setup s;
    for (const char* bad : {"30", "5x", "-1d", "0m", "soon"}) {
      CAPTURE(bad);
      auto r = Hamlet(s.db, s.model, {"replay", "--since", bad});
      CHECK(r.code == 2);
      CHECK(r.err.find("duration") != std::string::npos);
    }
    auto empty = Hamlet(s.db, s.model, {"replay", "--since", "all", "--json"});
    REQUIRE(empty.code == 0);
    const auto j = nlohmann::json::parse(empty.out);
    CHECK(j["changes"].empty());
    CHECK(j["summary"]["scanned"] == 0);
    auto missing_model = Hamlet(s.db, s.dir.File("none.ftz"), {"replay"});
    CHECK(missing_model.code == 3);  // a missing model file is "not found"
    CHECK(missing_model.err.find("none.ftz") != std::string::npos);
  }

  TEST_CASE("replay output is terminal-safe") {
    Setup s;
    const std::string id = s.Check("get cheap pills casino now \x1b[2J\x1b]0;owned\x07");
    auto r = Hamlet(s.db, s.model, {"check", "--key", s.key, "--content",
                                    "get cheap viagra prize now", "--json"});
    REQUIRE(r.code == 0);
    // Install a candidate so the stored (wrong) verdicts flip.
    REQUIRE(Hamlet(s.db, s.model, {"retrain", "--data", s.base}).code == 0);
    auto text = Hamlet(s.db, s.model, {"replay"});
    REQUIRE(text.code == 0);
    CHECK(text.out.find(id) != std::string::npos);
    CHECK(text.out.find('\x1b') == std::string::npos);
    CHECK(text.out.find('\x07') == std::string::npos);
  }
}
