// The CLI with the memory of earlier comments: `check --key` judges with memory rebuilt from
// the database (each run is a new process), and `eval --replay` replays labeled data in date
// order so the history checks count.
#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/temp_dir.h"
#include "support/text_lines.h"
#include "support/tiny_model.h"

using namespace hamlet;

namespace {

const std::string kText =
    "Earn money from home with our simple online system, thousands of people already make "
    "five hundred dollars every single day, join today and see for yourself";

testing::CliRun Hamlet(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db, "--model", testing::TinyModelPath()});
  return testing::RunHamletCli(args);
}

double Contribution(const nlohmann::json& decision, const std::string& check) {
  for (const auto& r : decision["reasons"]) {
    if (r["check"] == check) return r["contribution"].get<double>();
  }
  return 0.0;
}

}  // namespace

TEST_SUITE("cli/memory") {
  TEST_CASE("check --key judges with the memory of earlier checks in the database") {
    testing::TempDir dir;
    const auto db = dir.File("h.db");
    const auto key =
        testing::LastLine(Hamlet(db, {"keys", "create", "--site", "http://blog.example/"}).out);
    std::vector<nlohmann::json> decisions;
    for (const char* ip : {"203.0.113.1", "198.51.100.2", "192.0.2.3"}) {
      auto run = Hamlet(db, {"check", "--key", key, "--ip", ip, "--content", kText, "--json"});
      REQUIRE_MESSAGE(run.code == 0, run.err);
      decisions.push_back(nlohmann::json::parse(run.out));
    }
    CHECK(Contribution(decisions[0], "campaign") == 0.0);
    CHECK(Contribution(decisions[1], "campaign") == doctest::Approx(1.5));
    CHECK(Contribution(decisions[2], "campaign") == doctest::Approx(3.0));
    // Without a key nothing is remembered or recalled.
    auto scored = Hamlet(db, {"check", "--ip", "192.0.2.4", "--content", kText, "--json"});
    REQUIRE(scored.code == 0);
    CHECK(Contribution(nlohmann::json::parse(scored.out), "campaign") == 0.0);
  }

  TEST_CASE("eval --replay scores in date order through a fresh memory") {
    testing::TempDir dir;
    const auto data = dir.File("labeled.jsonl");
    {
      std::ofstream out(data);
      // Input order is not date order: the copy dated last comes first.
      for (const auto& [ip, date] : std::vector<std::pair<std::string, std::string>>{
               {"192.0.2.3", "2015-01-01T00:03:00"},
               {"203.0.113.1", "2015-01-01T00:01:00"},
               {"198.51.100.2", "2015-01-01T00:02:00"}}) {
        out << nlohmann::json{{"label", "spam"}, {"comment_content", kText}, {"user_ip", ip},
                              {"comment_date_gmt", date}}
                   .dump()
            << "\n";
      }
      out << R"({"label":"ham","comment_content":"thanks for the clear article"})" << "\n";
    }
    auto read_scores = [](const std::string& path) {
      std::vector<double> out;
      std::ifstream in(path);
      for (std::string line; std::getline(in, line);) {
        out.push_back(nlohmann::json::parse(line)["log_odds"].get<double>());
      }
      return out;
    };
    const auto plain_scores = dir.File("plain.jsonl"), replay_scores = dir.File("replay.jsonl");
    auto plain = Hamlet(dir.File("unused.db"),
                        {"eval", "--data", data, "--scores", plain_scores, "--json"});
    REQUIRE_MESSAGE(plain.code == 0, plain.err);
    CHECK(nlohmann::json::parse(plain.out)["replay"] == "off");
    auto replay = Hamlet(dir.File("unused.db"),
                         {"eval", "--data", data, "--replay", "--scores", replay_scores, "--json"});
    REQUIRE_MESSAGE(replay.code == 0, replay.err);
    CHECK(nlohmann::json::parse(replay.out)["replay"] == "verdicts");
    const auto a = read_scores(plain_scores), b = read_scores(replay_scores);
    REQUIRE(a.size() == 4);
    REQUIRE(b.size() == 4);
    CHECK(b[1] == doctest::Approx(a[1]));        // the first copy in date order
    CHECK(b[2] - a[2] == doctest::Approx(1.5));  // the second: two senders
    CHECK(b[0] - a[0] == doctest::Approx(3.0));  // the third: three senders
    CHECK(b[3] == doctest::Approx(a[3]));

    auto text = Hamlet(dir.File("unused.db"), {"eval", "--data", data, "--replay-labels"});
    REQUIRE(text.code == 0);
    CHECK(text.out.find("every label learnt at once") != std::string::npos);
  }
}
