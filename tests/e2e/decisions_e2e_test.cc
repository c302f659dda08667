// GET /v1/decisions against the real hamletd: a site's decisions and moderator outcomes (and
// their undos) after a cursor, paged; another site's key sees none of them; errors are JSON 4xx. Both backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"
#include "support/json_error.h"
#include "support/text_lines.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

std::string NewKey(const HamletdProcess& d, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"keys", "create"};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult made = d.Hamlet(argv);
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  return LastLine(made.out);
}

std::string Check(const HamletdProcess& d, const std::string& key, const std::string& content) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  auto r = c.Post("/v1/check", {{"Authorization", "Bearer " + key}},
                  json{{"comment_content", content},
                       {"comment_author_email", "reader@example.org"},
                       {"user_ip", "203.0.113.9"},
                       {"permalink", "http://example.test/p/2"}}
                      .dump(),
                  "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(r->body)["id"];
}

httplib::Result Get(const HamletdProcess& d, const std::string& key, const std::string& query) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  httplib::Headers headers;
  if (!key.empty()) headers.emplace("Authorization", "Bearer " + key);
  return c.Get(("/v1/decisions" + query).c_str(), headers);
}

json Page(const HamletdProcess& d, const std::string& key, const std::string& query) {
  auto r = Get(d, key, query);
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  CHECK(r->get_header_value("Content-Type") == "application/json");
  return json::parse(r->body);
}

std::vector<std::string> Ids(const json& page) {
  std::vector<std::string> ids;
  for (const auto& item : page["decisions"]) ids.push_back(item["id"]);
  return ids;
}

}  // namespace

TEST_SUITE("e2e/decisions") {
  TEST_CASE_TEMPLATE("GET /v1/decisions pages through a site's decisions and then its new labels",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string other_key = NewKey(d, {"--site", "http://other.test/"});
    std::vector<std::string> mine;
    for (int i = 0; i < 5; ++i) {
      mine.push_back(Check(d, d.key(), "Comment number " + std::to_string(i) + " about bread."));
    }
    const std::string theirs = Check(d, other_key, "A comment on the other site.");

    // Pages of 2 in the order the decisions were made.
    std::vector<std::string> seen;
    std::string cursor;
    int pages = 0;
    for (;;) {
      const json page = Page(d, d.key(), "?limit=2" + (cursor.empty() ? "" : "&since=" + cursor));
      ++pages;
      for (const auto& id : Ids(page)) seen.push_back(id);
      CHECK(page["decisions"].size() <= 2);
      REQUIRE(page["next"].is_string());
      cursor = page["next"];
      if (!page["more"].get<bool>()) break;
      REQUIRE(pages < 10);
    }
    CHECK(seen == mine);
    CHECK(pages == 3);

    // Nothing new: an empty page and the same cursor.
    json idle = Page(d, d.key(), "?since=" + cursor);
    CHECK(idle["decisions"].empty());
    CHECK(idle["next"] == cursor);
    CHECK(idle["more"] == false);

    // A moderator's verdict is a change: the decision comes back with its label.
    auto marked = d.Hamlet({"mark-spam", mine[1], "--moderator", "alice"});
    REQUIRE_MESSAGE(marked.exit_code == 0, marked.err);
    json changed = Page(d, d.key(), "?since=" + cursor);
    REQUIRE(changed["decisions"].size() == 1);
    const json& item = changed["decisions"][0];
    CHECK(item["id"] == mine[1]);
    CHECK(item["label"] == "spam");
    CHECK(item["moderator"] == "alice");
    CHECK(item["labeled_by"] == "hamlet");
    CHECK(item["labeled"].is_string());
    CHECK(item["verdict"].is_string());
    CHECK(item["permalink"] == "http://example.test/p/2");
    CHECK(item["excerpt"] == "Comment number 1 about bread.");
    // No personal data by default.
    CHECK(changed.dump().find("reader@example.org") == std::string::npos);
    CHECK(changed.dump().find("203.0.113.9") == std::string::npos);
    CHECK_FALSE(item.contains("user_ip"));

    // So is its undo: the decision comes back with no label (hamlet's verdict stands again).
    auto undone = d.Hamlet({"undo", "--moderator", "alice"});
    REQUIRE_MESSAGE(undone.exit_code == 0, undone.err);
    json reverted = Page(d, d.key(), "?since=" + changed["next"].get<std::string>());
    REQUIRE(reverted["decisions"].size() == 1);
    CHECK(reverted["decisions"][0]["id"] == mine[1]);
    CHECK(reverted["decisions"][0]["label"].is_null());
    CHECK(reverted["decisions"][0]["moderator"].is_null());
    CHECK(Page(d, d.key(), "?since=" + reverted["next"].get<std::string>())["decisions"].empty());

    // With the site's opt-in, it is there (settings reach hamletd within 2 s).
    REQUIRE(d.Hamlet({"sites", "set", "http://example.test/", "outcome_personal_data=true"})
                .exit_code == 0);
    json personal;
    for (int i = 0; i < 60; ++i) {
      personal = Page(d, d.key(), "?limit=1");
      if (personal["decisions"][0].contains("user_ip")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(personal["decisions"][0]["user_ip"] == "203.0.113.9");
    CHECK(personal["decisions"][0]["comment_author_email"] == "reader@example.org");

    // The other site's key sees its own decision only, and none of this site's labels.
    const json other = Page(d, other_key, "");
    CHECK(Ids(other) == std::vector<std::string>{theirs});
    const json other_later = Page(d, other_key, "?since=" + other["next"].get<std::string>());
    CHECK(other_later["decisions"].empty());
  }

  TEST_CASE_TEMPLATE("GET /v1/decisions errors are JSON 4xx", Backend, SqliteBackend,
                     PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string admin_key = NewKey(d, {"--admin"});
    JsonErrorOf(Get(d, "", ""), 401, "unauthenticated");
    JsonErrorOf(Get(d, "0123456789ab", ""), 401, "unauthenticated");
    // A key in the query string is not read: keys do not belong in URLs (and logs).
    JsonErrorOf(Get(d, "", "?api_key=" + d.key()), 401, "unauthenticated");
    JsonErrorOf(Get(d, admin_key, ""), 403, "permission_denied");
    JsonErrorOf(Get(d, d.key(), "?since=not-a-cursor"), 400, "invalid_argument");
    JsonErrorOf(Get(d, d.key(), "?since=1.2.3"), 400, "invalid_argument");
    for (const char* limit : {"0", "1001", "-5", "abc", "", "2.5"}) {
      CAPTURE(limit);
      JsonErrorOf(Get(d, d.key(), std::string("?limit=") + limit), 400, "invalid_argument");
    }
    httplib::Client c(d.host(), d.port());
    auto post = c.Post("/v1/decisions", "{}", "application/json");
    JsonErrorOf(post, 405, "invalid_argument");

    // GET /v1 lists the route.
    auto index = c.Get("/v1");
    REQUIRE(index);
    bool listed = false;
    const json routes = json::parse(index->body)["routes"];
    for (const auto& r : routes) {
      listed |= r["path"] == "/v1/decisions" && r["method"] == "GET";
    }
    CHECK(listed);
  }
}

}  // namespace hamlet::testing
