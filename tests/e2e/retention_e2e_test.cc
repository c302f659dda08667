// hamletd applies the retention policy by itself: started with a tiny --retention and a short
// --purge-interval, it blanks the personal fields of a decision without being asked, while
// checks keep being answered and Akismet's get-stats still counts the purged comment. On both
// store backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

httplib::Result Post(const HamletdProcess& d, const std::string& path, const std::string& body) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  return c.Post(path.c_str(), body, "application/x-www-form-urlencoded");
}

const std::string kBlog = "blog=http%3A%2F%2Fblog.example%2F";

}  // namespace

TEST_SUITE("e2e/retention") {
  TEST_CASE_TEMPLATE(
      "hamletd purges personal fields after --retention by itself and keeps the "
      "counts",
      Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--retention", "2s", "--purge-interval", "1s"};
    HamletdProcess d(options);
    auto r =
        Post(d, "/1.1/comment-check",
             "api_key=" + d.key() + "&" + kBlog +
                 "&user_ip=203.0.113.77&comment_author=Private+Person"
                 "&comment_author_email=private%40mail.example&comment_content=my+secret+text");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const std::string id = r->get_header_value("X-akismet-guid");
    REQUIRE(id.size() == 32);
    auto first = json::parse(d.ShowJson(id));
    CHECK(first["purged"].is_null());

    // The purge runs on its own: poll up to 15 s, checking that checks are still answered.
    json shown;
    for (int i = 0; i < 150; ++i) {
      shown = json::parse(d.ShowJson(id));
      if (!shown["purged"].is_null()) break;
      auto ping = Post(d, "/1.1/verify-key", "key=" + d.key() + "&" + kBlog);
      REQUIRE(ping);
      CHECK(ping->body == "valid");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_FALSE(shown["purged"].is_null());
    CHECK(shown["fields"].empty());
    const std::string text = d.ShowJson(id);
    for (const char* personal : {"203.0.113.77", "Private", "private@mail.example", "secret"}) {
      CAPTURE(personal);
      CHECK(text.find(personal) == std::string::npos);
    }
    CHECK(d.Log().find("retention: blanked personal fields of 1 decisions") != std::string::npos);

    // Still counted.
    auto stats = Post(d, "/1.1/get-stats", "key=" + d.key() + "&" + kBlog + "&from=all");
    REQUIRE(stats);
    const auto j = json::parse(stats->body);
    CHECK((j["spam"].get<int>() + j["ham"].get<int>()) == 1);
    auto cli = d.Hamlet({"stats", "--since", "all", "--json"});
    REQUIRE(cli.exit_code == 0);
    CHECK(json::parse(cli.out)["totals"]["total"] == 1);
    CHECK(d.Stop() == 0);
  }

  TEST_CASE_TEMPLATE("hamletd refuses a bad --retention and runs with --retention off", Backend,
                     SqliteBackend, PostgresBackend) {
    auto bad =
        RunCommand({HamletdBinary(), "--db", "/tmp/never-created.db", "--retention", "soon"});
    CHECK(bad.exit_code == 1);
    CHECK(bad.err.find("--retention") != std::string::npos);
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--retention", "off"};
    HamletdProcess d(options);
    CHECK(d.Log().find("retention: off") != std::string::npos);
  }
}

}  // namespace hamlet::testing
