// hamletd deletes old decisions by itself (--delete-after) on either backend: started on a
// database holding decisions from 500 days ago, it deletes them while checks keep being
// answered, and `hamlet stats` and Akismet's get-stats report what they reported before; the
// deleted ids are named as gone by `hamlet show`, the queue lists what is left, and a restart
// (memory rebuilt from what is left) answers as before.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/e2e_backends.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

constexpr int64_t kDay = 24LL * 3600 * 1000;
const std::string kBlog = "blog=http%3A%2F%2Fblog.example%2F";

httplib::Result Post(const HamletdProcess& d, const std::string& path, const std::string& body) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  return c.Post(path.c_str(), body, "application/x-www-form-urlencoded");
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A `hamlet export` line of a decision made `days_ago`.
std::string Line(const std::string& id, const std::string& label, const std::string& verdict,
                 int64_t days_ago) {
  return json{{"id", id},
              {"label", label},
              {"verdict", verdict},
              {"created_ms", NowMs() - days_ago * kDay},
              {"score", verdict == "ham" ? 0.1 : 0.95},
              {"blog", "http://blog.example/"},
              {"comment_content", "old comment " + id},
              {"comment_author", "Old Author"},
              {"user_ip", "198.51.100.7"}}
      .dump();
}

// What `hamlet stats` and get-stats report, as text to compare.
std::string Counts(const HamletdProcess& d, const std::string& key) {
  auto stats = d.Hamlet({"stats", "--since", "all", "--json"});
  REQUIRE_MESSAGE(stats.exit_code == 0, stats.err);
  const json s = json::parse(stats.out);
  auto akismet = Post(d, "/1.1/get-stats", "key=" + key + "&" + kBlog + "&from=all");
  REQUIRE(akismet);
  REQUIRE(akismet->status == 200);
  json a = json::parse(akismet->body);
  return s["totals"].dump() + s["judged"].dump() + s["days"].dump() + a["breakdown"].dump() +
         std::to_string(a["spam"].get<int>()) + "/" + std::to_string(a["ham"].get<int>()) + "/" +
         std::to_string(a["false_positives"].get<int>());
}

}  // namespace

TEST_SUITE("e2e/retention_rows") {
  TEST_CASE_TEMPLATE("hamletd deletes decisions after --delete-after and the counts stay", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--delete-after", "off"};
    HamletdProcess first(options);
    CHECK(first.Log().find("decisions are kept (--delete-after off)") != std::string::npos);
    const std::vector<std::string> old = {std::string(31, 'a') + "1", std::string(31, 'a') + "2",
                                          std::string(31, 'a') + "3"};
    const std::string file = first.dir().File("old.jsonl");
    {
      std::ofstream out(file);
      out << Line(old[0], "ham", "spam", 500) << "\n"
          << Line(old[1], "spam", "spam", 500) << "\n"
          << Line(old[2], "ham", "ham", 499) << "\n";
    }
    auto imported = first.Hamlet({"import", file, "--key-id", "1"});
    REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
    // A recent check, reported as spam: it holds the newest rows, which always stay.
    const std::string comment = "api_key=" + first.key() + "&" + kBlog +
                                "&user_ip=203.0.113.9&comment_author=Recent"
                                "&comment_content=a+recent+comment+about+the+post";
    auto checked = Post(first, "/1.1/comment-check", comment);
    REQUIRE(checked);
    REQUIRE(checked->status == 200);
    const std::string recent = checked->get_header_value("X-akismet-guid");
    auto reported = Post(first, "/1.1/submit-spam", comment);
    REQUIRE(reported);
    REQUIRE(reported->status == 200);
    const std::string before = Counts(first, first.key());
    CHECK(json::parse(first.Hamlet({"stats", "--since", "all", "--json"}).out)["totals"]["total"] ==
          4);
    auto dry = first.Hamlet({"purge", "--delete-older-than", "400d", "--dry-run", "--json"});
    REQUIRE(dry.exit_code == 0);
    CHECK(json::parse(dry.out)["deleted"]["decisions"] == 3);
    CHECK(first.Stop() == 0);

    // The same database, now with deletion after 30 days, checked every second.
    HamletdProcess::Options deleting = options;
    deleting.db_path = first.db_path();
    deleting.create_key = false;
    deleting.extra_args = {"--delete-after", "30d", "--purge-interval", "1s"};
    HamletdProcess d(deleting);
    bool done = false;
    for (int i = 0; i < 150 && !done; ++i) {
      done = d.Log().find("retention: deleted 3 decisions") != std::string::npos;
      if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_MESSAGE(done, d.Log());
    CHECK(d.Log().find("decisions are deleted after 30d") != std::string::npos);
    // `hamlet stats` and get-stats count as they did before the rows went.
    CHECK(Counts(d, first.key()) == before);
    for (const std::string& id : old) {
      CAPTURE(id);
      auto shown = d.Hamlet({"show", id});
      CHECK(shown.exit_code == 3);
      CHECK(shown.err.find("deleted by retention") != std::string::npos);
    }
    auto queue = d.Hamlet({"queue", "--verdict", "any", "--json"});
    REQUIRE(queue.exit_code == 0);
    CHECK(json::parse(queue.out)["total"] == 1);
    CHECK(d.ShowJson(recent).find(recent) != std::string::npos);
    auto left = d.Hamlet({"purge", "--delete-older-than", "30d", "--dry-run", "--json"});
    REQUIRE(left.exit_code == 0);
    CHECK(json::parse(left.out)["deleted"]["decisions"] == 0);
    auto answered = Post(d, "/1.1/comment-check", comment);
    REQUIRE(answered);
    CHECK(answered->status == 200);
    // A restart rebuilds memory from what is left and answers as before.
    d.Restart();
    auto again = Post(d, "/1.1/comment-check", comment);
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(d.Log().find("memory rebuilt from the store") != std::string::npos);
    CHECK(d.Stop() == 0);
  }

  TEST_CASE("hamletd refuses a --delete-after under two days") {
    auto bad =
        RunCommand({HamletdBinary(), "--db", "/tmp/never-created.db", "--delete-after", "1d"});
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("--delete-after") != std::string::npos);
    auto soon =
        RunCommand({HamletdBinary(), "--db", "/tmp/never-created.db", "--delete-after", "soon"});
    CHECK(soon.exit_code == 1);
  }
}

}  // namespace hamlet::testing
