// `hamlet lists`: add, show, remove, import and export against a real database.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "support/cli_run.h"
#include "support/files.h"
#include "support/temp_dir.h"

namespace hamlet::testing {
namespace {

CliRun Lists(const std::string& db, std::vector<std::string> args) {
  args.insert(args.begin(), {"--db", db, "lists"});
  return RunHamletCli(args);
}

}  // namespace

TEST_SUITE("cli/lists") {
  TEST_CASE("add, show and remove entries for every site and for one site") {
    TempDir dir;
    const std::string db = dir.File("h.db");
    const std::string site = "https://blog.example/";
    auto added =
        Lists(db, {"add", "block", "ip", "203.0.113.0/24", "--note", "spam wave", "--by", "alice"});
    REQUIRE_MESSAGE(added.code == 0, added.err);
    CHECK(added.out.find("added ip 203.0.113.0/24 to the block list of every site") !=
          std::string::npos);
    auto canonical = Lists(db, {"add", "allow", "email", "Editor@News.Example", "--site", site});
    REQUIRE(canonical.code == 0);
    CHECK(canonical.out.find("editor@news.example") != std::string::npos);
    auto again = Lists(db, {"add", "block", "ip", "203.0.113.0/24"});
    CHECK(again.code == 0);
    CHECK(again.out.find("already on the block list") != std::string::npos);

    auto shown = Lists(db, {"show", "--json"});
    REQUIRE(shown.code == 0);
    auto rows = nlohmann::json::parse(shown.out);
    // The two stored entries (the database's data dir has no list files of its own, but the
    // shipped allow.txt and block.txt only hold comments).
    REQUIRE(rows.size() == 2);
    CHECK(rows[0]["site"] == "");
    CHECK(rows[0]["note"] == "spam wave");
    CHECK(rows[0]["added_by"] == "alice");
    CHECK(rows[1]["site"] == site);

    auto text = Lists(db, {"show", "block"});
    REQUIRE(text.code == 0);
    CHECK(text.out.find("203.0.113.0/24") != std::string::npos);
    CHECK(text.out.find("by alice: spam wave") != std::string::npos);
    CHECK(text.out.find("editor@news.example") == std::string::npos);  // the allow list

    // A site's view: every site's entries and its own; another site sees only the shared ones.
    CHECK(nlohmann::json::parse(Lists(db, {"show", "--site", site, "--json"}).out).size() == 2);
    CHECK(
        nlohmann::json::parse(Lists(db, {"show", "--site", "https://other.example/", "--json"}).out)
            .size() == 1);

    CHECK(Lists(db, {"remove", "allow", "email", "editor@news.example", "--site", site}).code == 0);
    auto missing = Lists(db, {"remove", "allow", "email", "editor@news.example", "--site", site});
    CHECK(missing.code == 3);
    CHECK(missing.err.find("not on the allow list") != std::string::npos);
  }

  TEST_CASE("bad entries are refused with the reason and nothing is stored") {
    TempDir dir;
    const std::string db = dir.File("h.db");
    struct Row {
      std::vector<std::string> args;
      const char* says;
    };
    const Row rows[] = {
        {{"add", "deny", "ip", "203.0.113.7"}, "not a list"},
        {{"add", "block", "domain", "spam.example"}, "not a kind"},
        {{"add", "block", "ip", "203.0.113.7/24"}, "203.0.113.0/24"},
        {{"add", "block", "ip", "0.0.0.0/0"}, "too wide"},
        {{"add", "block", "regex", "(a)\\1"}, "RE2"},
        {{"add", "block", "regex", "casino(?=bonus)"}, "RE2"},
        {{"add", "block", "word", "see cheap-pills.com"}, "markers"},
        {{"add", "block", "email", "nobody"}, "not an e-mail address"},
    };
    for (const Row& row : rows) {
      const std::string shown_says = row.says;
      CAPTURE(shown_says);
      auto r = Lists(db, row.args);
      CHECK(r.code == 2);
      CHECK(r.err.find(row.says) != std::string::npos);
    }
    CHECK(nlohmann::json::parse(Lists(db, {"show", "--json"}).out).empty());
  }

  TEST_CASE("import is all or nothing and export reads back through import") {
    TempDir dir;
    const std::string db = dir.File("h.db");
    const std::string bad = dir.File("bad.txt");
    WriteFile(bad, "# spammers\nip 203.0.113.0/24\nword casino\nip 300.1.1.1\nregex (x)\\1\n");
    auto refused = Lists(db, {"import", "block", bad});
    CHECK(refused.code == 2);
    CHECK(refused.err.find("line 4: ip '300.1.1.1'") != std::string::npos);
    CHECK(refused.err.find("line 5: regex") != std::string::npos);
    CHECK(refused.err.find("nothing was imported") != std::string::npos);
    CHECK(nlohmann::json::parse(Lists(db, {"show", "--json"}).out).empty());

    const std::string good = dir.File("good.txt");
    WriteFile(good,
              "# spammers\nip 203.0.113.0/24\nword Casino Bonus\nurl_domain pills.example\n"
              "regex earn \\$\\d+ a day\n");
    auto imported = Lists(db, {"import", "block", good, "--note", "from the forum", "--by", "bob"});
    REQUIRE_MESSAGE(imported.code == 0, imported.err);
    CHECK(imported.out.find("imported 4 entries") != std::string::npos);
    auto twice = Lists(db, {"import", "block", good});
    CHECK(twice.out.find("imported 0 entries") != std::string::npos);
    CHECK(twice.out.find("4 already there") != std::string::npos);

    auto exported = Lists(db, {"export", "block"});
    REQUIRE(exported.code == 0);
    CHECK(exported.out.find("word casino bonus\n") != std::string::npos);
    CHECK(exported.out.find("regex earn \\$\\d+ a day\n") != std::string::npos);
    CHECK(exported.out.find("# from the forum (by bob)") != std::string::npos);

    // Into a fresh database: the same entries come back.
    const std::string copy_db = dir.File("copy.db");
    const std::string file = dir.File("export.txt");
    WriteFile(file, exported.out);
    REQUIRE(Lists(copy_db, {"import", "block", file}).code == 0);
    auto original = nlohmann::json::parse(Lists(db, {"export", "--json"}).out);
    auto copied = nlohmann::json::parse(Lists(copy_db, {"export", "--json"}).out);
    REQUIRE(original.size() == copied.size());
    for (size_t i = 0; i < original.size(); ++i) {
      CHECK(original[i]["kind"] == copied[i]["kind"]);
      CHECK(original[i]["value"] == copied[i]["value"]);
    }
    CHECK(Lists(db, {"import", "block", dir.File("nope.txt")}).code == 3);
  }
}

}  // namespace hamlet::testing
