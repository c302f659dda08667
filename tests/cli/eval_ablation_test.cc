// `hamlet eval --without` and `--ablation`: single check families switched off, so each one's
// effect on false positives and recall shows.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/temp_dir.h"
#include "support/tiny_model.h"

namespace hamlet::testing {
namespace {

CliRun Eval(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", dir.File("unused.db"), "--model", TinyModelPath(), "eval"});
  return RunHamletCli(args);
}

// Two spam comments only checks can catch (a test hook and a filled honeypot) and two ham.
std::string WriteData(const TempDir& dir) {
  const std::string path = dir.File("labeled.jsonl");
  std::ofstream out(path);
  out << R"({"label":"spam","comment_author":"viagra-test-123","comment_content":"hello"})"
      << "\n"
      << R"({"label":"spam","comment_content":"thanks for the clear article",)"
      << R"("honeypot_field_name":"hp","hp":"bot was here"})"
      << "\n"
      << R"({"label":"ham","comment_content":"thanks for the clear article"})"
      << "\n"
      << R"({"label":"ham","comment_content":"great reporting on the council vote"})"
      << "\n";
  return path;
}

// A threshold 3 below the honeypot comment's log-odds: it is caught with the honeypot's +6
// and missed without it, whatever the tiny model thinks of its text.
std::string HoneypotThreshold(const TempDir& dir, const std::string& data) {
  const std::string scores = dir.File("scores.jsonl");
  REQUIRE(Eval(dir, {"--data", data, "--scores", scores}).code == 0);
  std::ifstream in(scores);
  std::string line;
  for (int i = 0; i < 2; ++i) REQUIRE(std::getline(in, line));
  const double honeypot = nlohmann::json::parse(line)["log_odds"].get<double>();
  return std::to_string(honeypot - 3.0);
}

}  // namespace

TEST_SUITE("cli/eval_ablation") {
  TEST_CASE("--without switches a family off and the spam it alone caught is missed") {
    TempDir dir;
    const std::string data = WriteData(dir);
    const std::string threshold = HoneypotThreshold(dir, data);
    auto all = Eval(dir, {"--data", data, "--json", "--threshold", threshold});
    REQUIRE_MESSAGE(all.code == 0, all.err);
    const auto with = nlohmann::json::parse(all.out);
    CHECK(with["tp"] == 2);

    auto off = Eval(dir, {"--data", data, "--json", "--threshold", threshold, "--without",
                          "akismet,honeypot,author"});
    REQUIRE_MESSAGE(off.code == 0, off.err);
    const auto without = nlohmann::json::parse(off.out);
    CHECK(without["tp"] == 0);
    CHECK(without["without"] == nlohmann::json({"akismet", "honeypot", "author"}));
  }

  TEST_CASE("--ablation measures every family switched off in turn") {
    TempDir dir;
    const std::string data = WriteData(dir);
    const std::string threshold = HoneypotThreshold(dir, data);
    auto run = Eval(dir, {"--data", data, "--json", "--threshold", threshold, "--ablation"});
    REQUIRE_MESSAGE(run.code == 0, run.err);
    const auto out = nlohmann::json::parse(run.out);
    const auto& rows = out["ablation"];
    REQUIRE(rows.size() >= 4);  // every check on, then one row per family
    CHECK(rows[0]["without"].is_null());
    CHECK(rows[0]["tp"] == 2);
    bool saw_honeypot = false;
    for (const auto& row : rows) {
      if (row["without"] == "honeypot") {
        saw_honeypot = true;
        CHECK(row["tp"] == 1);  // the honeypot's spam is missed, the test hook's still caught
        CHECK(row["fp"] == rows[0]["fp"]);
      }
    }
    CHECK(saw_honeypot);
    CHECK(out["ablation_threshold"].get<double>() == doctest::Approx(std::stod(threshold)));

    auto text = Eval(dir, {"--data", data, "--threshold", threshold, "--ablation"});
    REQUIRE(text.code == 0);
    CHECK(text.out.find("-honeypot") != std::string::npos);
    CHECK(text.out.find("dFN") != std::string::npos);
  }

  TEST_CASE("--without refuses names that are not check families") {
    TempDir dir;
    const std::string data = WriteData(dir);
    auto bad = Eval(dir, {"--data", data, "--without", "nosuch"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("known:") != std::string::npos);
    auto check_name = Eval(dir, {"--data", data, "--without", "links.count"});
    CHECK(check_name.code == 2);
  }
}

}  // namespace hamlet::testing
