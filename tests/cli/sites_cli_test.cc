// `hamlet sites`: per-site settings through the CLI against a real database.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/temp_dir.h"

namespace hamlet::testing {
namespace {

CliRun Sites(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db, "sites"});
  return RunHamletCli(args);
}

}  // namespace

TEST_SUITE("cli/sites") {
  TEST_CASE("set, show, list and unset settings for a site and for every site") {
    TempDir dir;
    const std::string db = dir.File("h.db");
    const std::string site = "https://blog.example/";
    auto set = Sites(db, {"set", site, "spam_threshold=0.99", "weight.links=0.5"});
    REQUIRE_MESSAGE(set.code == 0, set.err);
    CHECK(set.out.find("set spam_threshold") != std::string::npos);
    REQUIRE(Sites(db, {"set", "*", "uncertain_answer=true", "webhook_secret=0123456789abcdef0123"})
                .code == 0);

    auto shown = Sites(db, {"show", site, "--json"});
    REQUIRE(shown.code == 0);
    auto rows = nlohmann::json::parse(shown.out);
    REQUIRE(rows.size() == 4);  // two defaults it inherits, two of its own
    bool secret_hidden = false;
    for (const auto& r : rows) {
      if (r["name"] == "webhook_secret") secret_hidden = r["value"].is_null();
    }
    CHECK(secret_hidden);

    auto listed = Sites(db, {"list"});
    REQUIRE(listed.code == 0);
    CHECK(listed.out.find("* (every site)") != std::string::npos);
    CHECK(listed.out.find("0123456789abcdef") == std::string::npos);  // never printed

    CHECK(Sites(db, {"unset", site, "spam_threshold"}).code == 0);
    auto missing = Sites(db, {"unset", site, "spam_threshold"});
    CHECK(missing.code == 3);
    CHECK(nlohmann::json::parse(Sites(db, {"show", site, "--json"}).out).size() == 3);
  }

  TEST_CASE("a bad setting is refused with the reason and nothing of the command is stored") {
    TempDir dir;
    const std::string db = dir.File("h.db");
    auto bad = Sites(db, {"set", "*", "uncertain_band=2", "spam_threshold=7"});
    CHECK(bad.code == 2);
    CHECK(bad.err.find("spam_threshold") != std::string::npos);
    auto typo = Sites(db, {"set", "*", "spam-threshold"});
    CHECK(typo.code == 2);
    CHECK(typo.err.find("NAME=VALUE") != std::string::npos);
    auto unknown = Sites(db, {"set", "*", "weight.nosuch=1"});
    CHECK(unknown.code == 2);
    CHECK(unknown.err.find("links") != std::string::npos);  // lists the known families
    CHECK(nlohmann::json::parse(Sites(db, {"list", "--json"}).out).empty());
  }

  TEST_CASE("sites --help documents every setting") {
    auto help = RunHamletCli({"sites", "set", "--help"});
    CHECK(help.code == 0);
    for (const char* name :
         {"spam_threshold", "discard_threshold", "uncertain_band", "uncertain_answer",
          "min_seconds_to_submit", "weight.", "webhook_url", "webhook_secret"}) {
      CHECK(help.out.find(name) != std::string::npos);
    }
  }
}

}  // namespace hamlet::testing
