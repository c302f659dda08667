// WordPress's Akismet plugin's account calls and Akismet 1.2 against the real hamletd:
// GET /1.1/test, get-subscription, get-stats, deactivate, usage-limit, key-sites, and a
// guid-less report plus a recheck as the plugin sends them.
#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

httplib::Result Post(const HamletdProcess& d, const std::string& path, const std::string& body) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  return c.Post(path.c_str(), {{"Host", "rest.akismet.com"}}, body,
                "application/x-www-form-urlencoded; charset=UTF-8");
}

httplib::Result Get(const HamletdProcess& d, const std::string& path) {
  httplib::Client c(d.host(), d.port());
  return c.Get(path.c_str());
}

const std::string kBlog = "blog=http%3A%2F%2F127.0.0.1%3A8000";

// One comment as the plugin sends it from the public form (bare names for empty fields).
std::string FormCheck(const std::string& key, const std::string& ak_js) {
  return "comment_post_ID=1&comment_author=Jane+Reader&comment_author_email=jane%40example.test"
         "&comment_author_url&comment_content=Thanks%2C+the+second+paragraph+helped."
         "&comment_type=comment&user_ip=127.0.0.1&user_agent=Mozilla%2F5.0+e2e"
         "&referrer=http%3A%2F%2F127.0.0.1%3A8000%2Fhello-world%2F&" + kBlog +
         "&permalink=http%3A%2F%2F127.0.0.1%3A8000%2Fhello-world%2F&POST_ak_hp_textarea"
         "&POST_ak_js=" + ak_js + "&api_key=" + key;
}

}  // namespace

TEST_SUITE("e2e/akismet_account") {
  TEST_CASE_TEMPLATE("the settings page's calls: test, get-subscription, get-stats, deactivate",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto r = Get(d, "/1.1/test");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "connected");

    r = Post(d, "/1.1/get-subscription", "key=" + d.key() + "&" + kBlog);
    REQUIRE(r);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    CHECK(json::parse(r->body)["status"] == "active");
    r = Post(d, "/1.1/get-subscription", "key=000000000000&" + kBlog);
    CHECK(r->body == "invalid");

    REQUIRE(Post(d, "/1.1/comment-check", FormCheck(d.key(), "1700000000001"))->body == "false");
    r = Post(d, "/1.1/get-stats", kBlog + "&key=" + d.key() + "&from=all&api_key=" + d.key());
    REQUIRE(r);
    const json stats = json::parse(r->body);
    CHECK(stats["ham"] == 1);
    CHECK(stats["spam"] == 0);
    CHECK(stats["breakdown"].size() == 1);
    r = Post(d, "/1.1/get-stats", kBlog + "&key=" + d.key() + "&from=forever");
    CHECK(r->body == "invalid");

    r = Post(d, "/1.1/deactivate", "key=" + d.key() + "&" + kBlog + "&api_key=" + d.key());
    CHECK(r->body == "deactivated");
    CHECK(Post(d, "/1.1/verify-key", "key=" + d.key() + "&" + kBlog)->body == "valid");
  }

  TEST_CASE_TEMPLATE("1.2 usage-limit and key-sites by GET query or POST form", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    REQUIRE(Post(d, "/1.1/comment-check", FormCheck(d.key(), "1"))->body == "false");
    auto r = Get(d, "/1.2/usage-limit?api_key=" + d.key());
    REQUIRE(r);
    const json usage = json::parse(r->body);
    CHECK(usage["usage"] == 1);
    CHECK(usage["limit"] == "none");
    r = Post(d, "/1.2/usage-limit", "api_key=" + d.key());
    CHECK(json::parse(r->body)["usage"] == 1);
    r = Get(d, "/1.2/usage-limit?api_key=000000000000");
    CHECK(r->body == "invalid");
    r = Get(d, "/1.2/usage-limit");
    CHECK(r->body == "invalid");
    CHECK(r->get_header_value("Content-Type").starts_with("text/plain"));

    r = Get(d, "/1.2/key-sites?api_key=" + d.key());
    REQUIRE(r);
    const json sites = json::parse(r->body);
    CHECK(sites["total"] == 1);
    bool found = false;
    for (const auto& [month, rows] : sites.items()) {
      if (!rows.is_array()) continue;
      CHECK(rows[0]["site"] == "http://127.0.0.1:8000");
      CHECK(rows[0]["ham"] == 1);
      found = true;
    }
    CHECK(found);
    r = Post(d, "/1.2/key-sites", "api_key=" + d.key() + "&format=csv");
    CHECK(r->body.find("\nhttp://127.0.0.1:8000,1,0,1,0,0,false\n") != std::string::npos);
    r = Get(d, "/1.2/key-sites?api_key=" + d.key() + "&month=soon");
    CHECK(r->body == "invalid");
  }

  TEST_CASE_TEMPLATE("a guid-less submit-spam links to its check, a recheck links, uncounted",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto first = Post(d, "/1.1/comment-check", FormCheck(d.key(), "1700000000001"));
    auto twin = Post(d, "/1.1/comment-check", FormCheck(d.key(), "1700000000002"));
    REQUIRE(first);
    REQUIRE(twin);
    const std::string guid = first->get_header_value("X-akismet-guid");
    // submit-spam as the plugin sends it: no guid, no referrer, reporter = the moderator.
    auto r = Post(d, "/1.1/submit-spam",
                  "comment_ID=2&comment_post_ID=1&comment_author=Jane+Reader"
                  "&comment_author_email=jane%40example.test&comment_author_url"
                  "&comment_author_IP=127.0.0.1&comment_date=2026-11-25+09%3A19%3A39"
                  "&comment_content=Thanks%2C+the+second+paragraph+helped.&comment_approved=spam"
                  "&comment_agent=Mozilla%2F5.0+e2e&user_ip=127.0.0.1&user_agent=Mozilla%2F5.0+e2e&" +
                      kBlog + "&permalink=http%3A%2F%2F127.0.0.1%3A8000%2Fhello-world%2F"
                      "&POST_ak_hp_textarea&POST_ak_js=1700000000001&reporter=admin&user_role"
                      "&api_key=" + d.key());
    REQUIRE(r);
    CHECK(r->body == "Thanks for making the web a better place.");
    const json shown = json::parse(d.ShowJson(guid));
    REQUIRE(shown["history"].size() == 1);
    CHECK(shown["history"][0]["label"] == "spam");
    CHECK(shown["history"][0]["decision_id"] == guid);
    CHECK(shown["history"][0]["moderator"] == "admin");

    // "Check for Spam": a recheck built from the database row (no POST_* fields).
    r = Post(d, "/1.1/comment-check",
             "comment_ID=2&comment_post_ID=1&comment_author=Jane+Reader"
             "&comment_author_email=jane%40example.test&comment_author_url"
             "&comment_content=Thanks%2C+the+second+paragraph+helped.&user_ip=127.0.0.1"
             "&user_agent=Mozilla%2F5.0+e2e&referrer&" + kBlog +
                 "&permalink=http%3A%2F%2F127.0.0.1%3A8000%2Fhello-world%2F"
                 "&recheck_reason=recheck_queue&user_role&api_key=" + d.key());
    REQUIRE(r);
    const json recheck = json::parse(d.ShowJson(r->get_header_value("X-akismet-guid")));
    CHECK(recheck["recheck_of"] == twin->get_header_value("X-akismet-guid"));
    const json stats =
        json::parse(Post(d, "/1.1/get-stats", kBlog + "&key=" + d.key() + "&from=all")->body);
    CHECK(stats["api_calls"] == 3);
    CHECK(stats["ham"] == 2);
    CHECK(stats["missed_spam"] == 1);
  }
}

}  // namespace hamlet::testing
