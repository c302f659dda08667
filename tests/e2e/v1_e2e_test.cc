// The native JSON API (/v1/check, /v1/feedback, GET /v1) against the real hamletd, on both
// store backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"
#include "support/json_error.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

httplib::Result PostJson(const HamletdProcess& d, const std::string& path, const std::string& body,
                         httplib::Headers headers = {}) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  return c.Post(path.c_str(), headers, body, "application/json");
}

}  // namespace

TEST_SUITE("e2e/v1") {
  TEST_CASE_TEMPLATE("POST /v1/check answers id, verdict, score, reasons and model, and stores it",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto r = PostJson(d, "/v1/check",
                      json{{"api_key", d.key()},
                           {"user_ip", "203.0.113.7"},
                           {"comment_author", "viagra-test-123"},
                           {"comment_content", "hello"},
                           {"is_test", true},
                           {"comment_context", {"a", "b"}}}
                          .dump());
    REQUIRE(r);
    CHECK(r->status == 200);
    const json body = json::parse(r->body);
    CHECK(std::regex_match(body["id"].get<std::string>(), std::regex("[0-9a-f]{32}")));
    CHECK((body["verdict"] == "spam" || body["verdict"] == "discard"));
    CHECK(body["score"].get<double>() >= 0.0);
    CHECK(body["score"].get<double>() <= 1.0);
    REQUIRE(body["reasons"].is_array());
    REQUIRE_FALSE(body["reasons"].empty());
    for (const auto& reason : body["reasons"]) {
      CHECK(reason["check"].is_string());
      CHECK(reason["contribution"].is_number());
      CHECK(reason["detail"].is_string());
    }
    CHECK(body["model"].is_string());

    const json row = json::parse(d.ShowJson(body["id"]));
    CHECK(row["channel"] == "v1");
    CHECK(row["verdict"] == body["verdict"]);
    CHECK(row["model"] == body["model"]);
    CHECK(row["is_test"] == true);
  }

  TEST_CASE_TEMPLATE("POST /v1/check takes the key from Authorization: Bearer", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto r = PostJson(d, "/v1/check",
                      R"({"user_ip":"1.2.3.4","user_role":"administrator","comment_content":"hi"})",
                      {{"Authorization", "Bearer " + d.key()}});
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(json::parse(r->body)["verdict"] == "ham");
  }

  TEST_CASE_TEMPLATE("POST /v1/check errors are JSON with the right status", Backend, SqliteBackend,
                     PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string key = d.key();
    JsonErrorOf(
        PostJson(d, "/v1/check", "{\"comment_content\":", {{"Authorization", "Bearer " + key}}),
        400, "invalid_argument");
    JsonErrorOf(PostJson(d, "/v1/check", "[1,2,3]", {{"Authorization", "Bearer " + key}}), 400,
                "invalid_argument");
    json e = JsonErrorOf(PostJson(d, "/v1/check", R"({"comment_content":"x","user_ip":7})",
                                  {{"Authorization", "Bearer " + key}}),
                         400, "invalid_argument");
    CHECK(e["message"].get<std::string>().find("user_ip") != std::string::npos);
    e = JsonErrorOf(
        PostJson(d, "/v1/check", R"({"user_ip":"1.2.3.4"})", {{"Authorization", "Bearer " + key}}),
        400, "invalid_argument");
    CHECK(e["message"].get<std::string>().find("comment_content") != std::string::npos);
    JsonErrorOf(PostJson(d, "/v1/check", "{\"comment_content\":\"\xFF\"}",
                         {{"Authorization", "Bearer " + key}}),
                400, "invalid_argument");
    JsonErrorOf(PostJson(d, "/v1/check", R"({"comment_content":"x"})"), 401, "unauthenticated");
    JsonErrorOf(PostJson(d, "/v1/check", R"({"comment_content":"x","api_key":"0123456789ab"})"),
                401, "unauthenticated");
    JsonErrorOf(PostJson(d, "/v1/check", R"({"comment_content":"x"})",
                         {{"Authorization", "Bearer 0123456789ab"}}),
                401, "unauthenticated");
    JsonErrorOf(
        PostJson(d, "/v1/check",
                 json{{"api_key", key}, {"comment_content", std::string(70 * 1024, 'a')}}.dump()),
        413, "invalid_argument");
  }

  TEST_CASE_TEMPLATE("POST /v1/feedback links a label to a decision by id", Backend, SqliteBackend,
                     PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto r = PostJson(d, "/v1/check",
                      json{{"api_key", d.key()}, {"comment_content", "nice photos"}}.dump());
    REQUIRE(r);
    const std::string id = json::parse(r->body)["id"];
    r = PostJson(d, "/v1/feedback",
                 json{{"api_key", d.key()}, {"id", id}, {"label", "spam"}}.dump());
    REQUIRE(r);
    CHECK(r->status == 200);
    const json body = json::parse(r->body);
    CHECK(body["feedback_id"].get<long>() > 0);
    CHECK(body["decision_id"] == id);
    const json row = json::parse(d.ShowJson(id));
    REQUIRE(row["history"].size() == 1);
    CHECK(row["history"][0]["label"] == "spam");
    CHECK(row["history"][0]["source"] == "v1");

    JsonErrorOf(
        PostJson(d, "/v1/feedback", json{{"api_key", d.key()}, {"id", id}, {"label", "x"}}.dump()),
        400, "invalid_argument");
    JsonErrorOf(PostJson(d, "/v1/feedback", json{{"id", id}, {"label", "ham"}}.dump()), 401,
                "unauthenticated");
  }

  TEST_CASE_TEMPLATE("GET /v1 lists every route with method, path and description", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    httplib::Client c(d.host(), d.port());
    auto r = c.Get("/v1");
    REQUIRE(r);
    CHECK(r->status == 200);
    const json body = json::parse(r->body);
    std::set<std::string> listed;
    for (const auto& route : body["routes"]) {
      CHECK_FALSE(route["description"].get<std::string>().empty());
      listed.insert(route["method"].get<std::string>() + " " + route["path"].get<std::string>());
    }
    for (const char* expected : {"POST /1.1/verify-key", "POST /1.1/comment-check",
                                 "POST /1.1/submit-spam", "POST /1.1/submit-ham", "POST /v1/check",
                                 "POST /v1/feedback", "GET /v1", "GET /healthz"}) {
      CHECK(listed.count(expected) == 1);
    }
  }

  TEST_CASE_TEMPLATE("unknown paths are 404 and wrong methods 405, as JSON off the Akismet paths",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    httplib::Client c(d.host(), d.port());
    JsonErrorOf(c.Get("/nope"), 404, "not_found");
    auto r = c.Get("/v1/check");
    REQUIRE(r);
    CHECK(r->status == 405);
    CHECK(r->get_header_value("Allow") == "POST");
    r = c.Post("/1.1/nope", "a=b", "application/x-www-form-urlencoded");
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(r->body == "invalid");
    r = c.Get("/1.1/comment-check");
    CHECK(r->status == 405);
  }
}

}  // namespace hamlet::testing
