// The CLI run in-process against a real SQLite database and a real (tiny) fastText model.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "support/cli_run.h"
#include "support/model_files.h"
#include "support/temp_dir.h"
#include "support/text_lines.h"
#include "support/tiny_model.h"

using namespace hamlet;

namespace {

testing::CliRun Hamlet(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db, "--model", testing::TinyModelPath()});
  return testing::RunHamletCli(args);
}

}  // namespace

TEST_SUITE("cli/commands") {
  TEST_CASE("keys create prints the key last, keys list and revoke work") {
    testing::TempDir dir;
    const auto db = dir.File("h.db");
    auto created = Hamlet(db, {"keys", "create", "--site", "http://blog.example/"});
    REQUIRE(created.code == 0);
    const auto key = testing::LastLine(created.out);
    CHECK(key.size() == 12);
    auto listed = Hamlet(db, {"keys", "list", "--json"});
    REQUIRE(listed.code == 0);
    auto json = nlohmann::json::parse(listed.out);
    REQUIRE(json.size() == 1);
    CHECK(json[0]["site"] == "http://blog.example/");
    CHECK(json[0]["revoked"].is_null());
    CHECK(listed.out.find(key) == std::string::npos);  // never printed again
    CHECK(Hamlet(db, {"keys", "revoke", key}).code == 0);
    CHECK_FALSE(nlohmann::json::parse(Hamlet(db, {"keys", "list", "--json"}).out)[0]["revoked"].is_null());
    auto missing = Hamlet(db, {"keys", "revoke", "77"});
    CHECK(missing.code == 3);
    CHECK(missing.err.find("not found") != std::string::npos);
  }

  TEST_CASE("keys create --admin makes an admin key, keys list shows every key's role") {
    testing::TempDir dir;
    const auto db = dir.File("h.db");
    REQUIRE(Hamlet(db, {"keys", "create", "--site", "http://blog.example/"}).code == 0);
    auto admin = Hamlet(db, {"keys", "create", "--admin"});
    REQUIRE(admin.code == 0);
    CHECK(admin.out.find("admin key") != std::string::npos);
    const auto key = testing::LastLine(admin.out);
    CHECK(key.size() == 12);
    REQUIRE(Hamlet(db, {"keys", "create", "--admin", "--site", "https://ops.example/"}).code == 0);

    auto listed = Hamlet(db, {"keys", "list", "--json"});
    REQUIRE(listed.code == 0);
    auto json = nlohmann::json::parse(listed.out);
    REQUIRE(json.size() == 3);
    CHECK(json[0]["role"] == "site");
    CHECK(json[1]["role"] == "admin");
    CHECK(json[1]["site"] == "");
    CHECK(json[2]["role"] == "admin");
    CHECK(json[2]["site"] == "https://ops.example/");
    CHECK(listed.out.find(key) == std::string::npos);
    auto text = Hamlet(db, {"keys", "list"});
    REQUIRE(text.code == 0);
    CHECK(text.out.find("ROLE") != std::string::npos);
    CHECK(text.out.find("admin") != std::string::npos);
    CHECK(text.out.find("site ") != std::string::npos);

    // An admin key does not score comments for a site.
    auto check = Hamlet(db, {"check", "--content", "hello", "--key", key});
    CHECK(check.code == 2);
    CHECK(check.err.find("admin key") != std::string::npos);
    CHECK(Hamlet(db, {"keys", "create", "--admin", "--site", "ops"}).code == 2);
  }

  TEST_CASE("bad usage exits 2 with a message, --help exits 0") {
    testing::TempDir dir;
    auto bad = Hamlet(dir.File("h.db"), {"keys", "create", "--site", "not-a-url"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("http") != std::string::npos);
    CHECK(Hamlet(dir.File("h.db"), {"keys", "create"}).code == 2);  // missing --site
    CHECK(Hamlet(dir.File("h.db"), {"no-such-command"}).code == 2);
    auto help = Hamlet(dir.File("h.db"), {"queue", "--help"});
    CHECK(help.code == 0);
    CHECK(help.out.find("Example") != std::string::npos);
  }

  TEST_CASE("check with a key records the decision, queue, show and mark see it") {
    testing::TempDir dir;
    const auto db = dir.File("h.db");
    const auto key =
        testing::LastLine(Hamlet(db, {"keys", "create", "--site", "http://blog.example/"}).out);
    auto checked = Hamlet(db, {"check", "--key", key, "--author", "viagra-test-123", "--content",
                               "cheap pills \x1b[31mnow", "--json"});
    REQUIRE(checked.code == 0);
    auto decision = nlohmann::json::parse(checked.out);
    CHECK(decision["verdict"] == "spam");
    const std::string id = decision["id"];
    REQUIRE(id.size() == 32);

    auto queue = Hamlet(db, {"queue"});
    REQUIRE(queue.code == 0);
    CHECK(queue.out.find(id) != std::string::npos);
    CHECK(queue.out.find('\x1b') == std::string::npos);  // the ANSI escape is not emitted raw

    REQUIRE(Hamlet(db, {"mark-ham", id, "--moderator", "alice"}).code == 0);
    auto shown = Hamlet(db, {"show", id});
    REQUIRE(shown.code == 0);
    CHECK(shown.out.find("akismet.test_spam") != std::string::npos);
    CHECK(shown.out.find("alice") != std::string::npos);
    CHECK(shown.out.find('\x1b') == std::string::npos);
    auto shown_json = nlohmann::json::parse(Hamlet(db, {"show", id, "--json"}).out);
    CHECK(shown_json["feedback"] == "ham");
    CHECK(shown_json["history"][0]["moderator"] == "alice");
    CHECK(Hamlet(db, {"show", "ffffffffffffffffffffffffffffffff"}).code == 3);
    CHECK(Hamlet(db, {"mark-spam", "ffff"}).code == 3);
  }

  TEST_CASE("check without a key only scores, a wrong key is refused") {
    testing::TempDir dir;
    const auto db = dir.File("h.db");
    auto scored = Hamlet(db, {"check", "--content", "thanks for the clear article", "--json"});
    REQUIRE(scored.code == 0);
    CHECK(nlohmann::json::parse(scored.out)["id"].is_null());
    CHECK(Hamlet(db, {"check", "--key", "0123456789ab", "--content", "x"}).code == 2);
    CHECK(Hamlet(db, {"check"}).code == 2);
  }

  TEST_CASE("eval prints the metrics as one JSON object") {
    testing::TempDir dir;
    const auto data = dir.File("labeled.jsonl");
    {
      std::ofstream out(data);
      out << R"({"label":"spam","comment_content":"buy cheap pills online now"})" << "\n"
          << R"({"label":"spam","comment_author":"viagra-test-123","comment_content":"hello"})" << "\n"
          << R"({"label":"ham","comment_content":"thanks for the clear article"})" << "\n"
          << R"({"label":"ham","comment_content":"great reporting on the council vote"})" << "\n";
    }
    auto run = Hamlet(dir.File("unused.db"), {"eval", "--data", data, "--json"});
    REQUIRE(run.code == 0);
    auto m = nlohmann::json::parse(run.out);
    for (const char* k : {"precision", "recall", "f1", "fpr", "auc", "tp", "fp", "tn", "fn"}) {
      CHECK(m.contains(k));
    }
    CHECK(m["tp"].get<int>() + m["fn"].get<int>() == 2);
    CHECK(m["fp"].get<int>() + m["tn"].get<int>() == 2);
    CHECK(m["tp"].get<int>() >= 1);  // the test hook at least
    auto missing = Hamlet(dir.File("unused.db"), {"eval", "--data", dir.File("nope.jsonl")});
    CHECK(missing.code == 3);
  }

  TEST_CASE("eval --write-thresholds writes them in the sidecar of the model it loaded") {
    testing::TempDir dir;
    const auto model = dir.File("copy.ftz");
    testing::InstallModelForTesting(testing::TinyModelPath(), model);
    const auto data = dir.File("labeled.jsonl");
    {
      std::ofstream out(data);
      out << R"({"label":"spam","comment_content":"buy cheap pills online now"})" << "\n"
          << R"({"label":"spam","comment_content":"cheap pills casino prize click"})" << "\n"
          << R"({"label":"ham","comment_content":"thanks for the clear article"})" << "\n"
          << R"({"label":"ham","comment_content":"great reporting on the council vote"})" << "\n";
    }
    auto run = Hamlet(dir.File("unused.db"),
                      {"eval", "--data", data, "--model", model, "--write-thresholds"});
    REQUIRE_MESSAGE(run.code == 0, run.err);
    CHECK(run.out.find("wrote thresholds to " + dir.File("copy.json")) != std::string::npos);
    std::ifstream meta(dir.File("copy.json"));
    REQUIRE(meta);
    CHECK(nlohmann::json::parse(meta)["thresholds"].is_object());
  }

  TEST_CASE("eval --scores writes one line per comment, in input order, with its log-odds") {
    testing::TempDir dir;
    const auto data = dir.File("labeled.jsonl");
    {
      std::ofstream out(data);
      out << R"({"label":"ham","comment_content":"thanks for the clear article"})" << "\n"
          << R"({"label":"spam","comment_author":"viagra-test-123","comment_content":"hello"})" << "\n"
          << R"({"label":"spam","comment_content":"buy cheap pills online now"})" << "\n";
    }
    const auto scores = dir.File("scores.jsonl");
    auto run = Hamlet(dir.File("unused.db"), {"eval", "--data", data, "--scores", scores, "--json"});
    REQUIRE(run.code == 0);
    std::ifstream in(scores);
    std::vector<nlohmann::json> rows;
    for (std::string line; std::getline(in, line);) rows.push_back(nlohmann::json::parse(line));
    REQUIRE(rows.size() == 3);
    CHECK(rows[0]["label"] == "ham");
    CHECK(rows[0]["comment_content"] == "thanks for the clear article");
    CHECK(rows[1]["label"] == "spam");
    CHECK(rows[2]["comment_content"] == "buy cheap pills online now");
    CHECK(rows[0]["log_odds"].is_number());
    // The test hook settles its comment alone: infinite log-odds, which JSON writes as null.
    CHECK(rows[1]["log_odds"].is_null());

    auto unwritable = Hamlet(dir.File("unused.db"),
                             {"eval", "--data", data, "--scores", dir.File("no/such/dir/s.jsonl")});
    CHECK(unwritable.code == 2);
    CHECK(unwritable.err.find("cannot write --scores file") != std::string::npos);
  }

  TEST_CASE("a corrupt model gives a clear error, not a crash") {
    testing::TempDir dir;
    const auto bad = dir.File("bad.ftz");
    { std::ofstream(bad) << "this is not a model"; }
    std::vector<const char*> argv = {"hamlet", "--db", ":memory:", "--model", bad.c_str(),
                                     "check", "--content", "hi"};
    std::ostringstream out, err;
    int code = cli::RunCli(static_cast<int>(argv.size()), argv.data(), out, err);
    CHECK(code == 2);
    CHECK(err.str().find("not a valid fastText model") != std::string::npos);
  }

  TEST_CASE("train takes several data files as --data a --data b and as --data a b") {
    testing::TempDir dir;
    testing::WriteGeneratedExamples(dir.File("a.jsonl"), 200, /*jsonl=*/true);
    testing::WriteGeneratedExamples(dir.File("b.jsonl"), 100, /*jsonl=*/true, 200);
    for (const auto& form : {std::vector<std::string>{"--data", dir.File("a.jsonl"), "--data",
                                                      dir.File("b.jsonl")},
                             std::vector<std::string>{"--data", dir.File("a.jsonl"),
                                                      dir.File("b.jsonl")}}) {
      std::vector<std::string> args = {"train", "--out", dir.File("m.ftz"), "--epoch", "5",
                                       "--dim", "8"};
      args.insert(args.end(), form.begin(), form.end());
      auto trained = Hamlet(dir.File("h.db"), args);
      CAPTURE(trained.err);
      REQUIRE(trained.code == 0);
      CHECK(trained.out.find("from 2 file(s)") != std::string::npos);
      CHECK(trained.out.find("examples 300 (150 spam, 150 ham)") != std::string::npos);
      std::ifstream meta(dir.File("m.json"));
      auto json = nlohmann::json::parse(meta);
      CHECK(json["training"]["data"].size() == 2);
      CHECK_FALSE(json["training"].contains("autotune"));
    }
  }

  TEST_CASE("train --autotune-seconds writes a small model whose sidecar records the choice") {
    testing::TempDir dir;
    testing::WriteGeneratedExamples(dir.File("train.jsonl"), 400, /*jsonl=*/true);
    testing::WriteGeneratedExamples(dir.File("valid.jsonl"), 100, /*jsonl=*/true, 400);
    auto tuned = Hamlet(dir.File("h.db"), {"train", "--data", dir.File("train.jsonl"), "--out",
                                           dir.File("auto.ftz"), "--validation",
                                           dir.File("valid.jsonl"), "--autotune-seconds", "2",
                                           "--dim", "8", "--max-model-bytes", "300000"});
    CAPTURE(tuned.out);
    CAPTURE(tuned.err);
    // A search that fastText does not stop is killed at its deadline: exit 1 with this error.
    if (tuned.code == 1 && tuned.err.find("did not finish within 36 s") != std::string::npos) {
      CHECK_FALSE(std::filesystem::exists(dir.File("auto.ftz")));
      return;
    }
    REQUIRE(tuned.code == 0);
    CHECK(tuned.out.find("autotune chose dim ") != std::string::npos);
    CHECK(tuned.err.find("training: ") != std::string::npos);  // the usual progress lines
    CHECK(std::filesystem::file_size(dir.File("auto.ftz")) <= 300u * 1000);
    std::ifstream meta(dir.File("auto.json"));
    auto json = nlohmann::json::parse(meta);
    const auto& training = json["training"];
    CHECK(training["autotune"]["seconds"] == 2);
    CHECK(training["autotune"]["metric"] == "f1:__label__spam");
    CHECK(training["autotune"]["validation"] == "valid.jsonl");
    CHECK(training["fasttext"]["dim"] == 8);  // autotune keeps dim and bucket
    CHECK(training["fasttext"]["epoch"].get<int>() > 0);
    CHECK(training["quantized"] == true);
    CHECK(training["max_model_bytes"] == 300000);  // --max-model-bytes
    CHECK(training["model_bytes"].get<int64_t>() <= training["max_model_bytes"].get<int64_t>());
    // The model loads and scores.
    testing::TempDir db_dir;
    std::vector<std::string> argv_s = {"hamlet", "--db", db_dir.File("h.db"), "--model",
                                       dir.File("auto.ftz"), "check", "--content",
                                       "buy cheap pills offer2 http://shop2.example.com"};
    std::vector<const char*> argv;
    for (const auto& a : argv_s) argv.push_back(a.c_str());
    std::ostringstream out, err;
    CHECK(cli::RunCli(static_cast<int>(argv.size()), argv.data(), out, err) == 0);
  }

  TEST_CASE("train --autotune-seconds without --validation or with N <= 0 exits 2") {
    testing::TempDir dir;
    testing::WriteGeneratedExamples(dir.File("train.jsonl"), 40, /*jsonl=*/true);
    const std::vector<std::string> base = {"train", "--data", dir.File("train.jsonl"), "--out",
                                           dir.File("m.ftz")};
    auto no_validation = base;
    no_validation.insert(no_validation.end(), {"--autotune-seconds", "2"});
    auto r = Hamlet(dir.File("h.db"), no_validation);
    CHECK(r.code == 2);
    CHECK(r.err.find("--validation") != std::string::npos);
    for (const char* n : {"-1", "many"}) {
      CAPTURE(n);
      auto bad = base;
      bad.insert(bad.end(), {"--max-model-bytes", n});
      CHECK(Hamlet(dir.File("h.db"), bad).code == 2);
    }
    for (const char* n : {"0", "-1", "soon"}) {
      CAPTURE(n);
      auto bad = base;
      bad.insert(bad.end(), {"--validation", dir.File("train.jsonl"), "--autotune-seconds", n});
      auto b = Hamlet(dir.File("h.db"), bad);
      CHECK(b.code == 2);
      CHECK_FALSE(b.err.empty());
    }
    CHECK_FALSE(std::filesystem::exists(dir.File("m.ftz")));
  }
}
