// GET /metrics and GET /readyz against the real hamletd after real traffic: the counts match
// what the clients saw and what the database holds. On both store backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/e2e_backends.h"
#include "support/e2e_http.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

// Every sample line of a Prometheus text exposition, by its full name with labels.
std::map<std::string, double> Samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

}  // namespace

TEST_SUITE("e2e/metrics") {
  TEST_CASE_TEMPLATE(
      "after traffic, /metrics counts requests, verdicts, commits and names the "
      "model",
      Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    httplib::Client c(d.host(), d.port());
    int spam = 0, ham = 0;
    for (int i = 0; i < 6; ++i) {
      const std::string author = i % 2 == 0 ? "viagra-test-123" : "alice";
      auto r = c.Post("/1.1/comment-check",
                      "api_key=" + d.key() + "&blog=http%3A%2F%2Fx.test%2F&user_ip=192.0.2.1" +
                          "&comment_author=" + author + "&comment_content=message+" +
                          std::to_string(i) + (i % 2 == 0 ? "" : "&user_role=administrator"),
                      "application/x-www-form-urlencoded");
      REQUIRE(r);
      REQUIRE(r->status == 200);
      (r->body == "true" ? spam : ham)++;
    }
    auto v1 = c.Post("/v1/check", {{"Authorization", "Bearer " + d.key()}},
                     R"({"comment_content": "a v1 check", "user_role": "administrator"})",
                     "application/json");
    REQUIRE(v1);
    REQUIRE(v1->status == 200);
    CHECK(c.Get("/nope")->status == 404);
    auto index = c.Get("/v1");
    REQUIRE(index);
    const std::string model = nlohmann::json::parse(index->body)["model"];

    auto r = c.Get("/metrics");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
    auto s = Samples(r->body);
    CHECK(
        s[R"(hamlet_http_requests_total{endpoint="/1.1/comment-check",method="POST",status="200"})"] ==
        6);
    CHECK(s[R"(hamlet_http_requests_total{endpoint="/v1/check",method="POST",status="200"})"] == 1);
    CHECK(s[R"(hamlet_http_requests_total{endpoint="unmatched",method="",status="404"})"] == 1);
    CHECK(
        s[R"(hamlet_http_request_duration_seconds_count{endpoint="/1.1/comment-check",method="POST"})"] ==
        6);
    CHECK(s[R"(hamlet_verdicts_total{verdict="spam",channel="akismet"})"] +
              s[R"(hamlet_verdicts_total{verdict="discard",channel="akismet"})"] ==
          spam);
    CHECK(s[R"(hamlet_verdicts_total{verdict="ham",channel="akismet"})"] == ham);
    CHECK(s[R"(hamlet_verdicts_total{verdict="ham",channel="v1"})"] == 1);
    const int64_t stored = StoredDecisions(d);
    CHECK(stored == 7);
    CHECK(s["hamlet_store_committed_records_total"] == stored);
    CHECK(s["hamlet_store_commits_total"] >= 1);
    CHECK(s["hamlet_store_commit_duration_seconds_count"] == s["hamlet_store_commits_total"]);
    // Each stored check was judged, then waited for its commit: one observation each.
    CHECK(s["hamlet_check_judge_duration_seconds_count"] == stored);
    CHECK(s["hamlet_check_judge_duration_seconds_sum"] > 0);
    CHECK(s["hamlet_store_write_wait_duration_seconds_count"] == stored);
    CHECK(s["hamlet_store_write_wait_duration_seconds_sum"] > 0);
    CHECK(s["hamlet_store_write_queue_depth"] == 0);
    CHECK(s["hamlet_store_failed_writes_total"] == 0);
    CHECK(s["hamlet_model_info{version=\"" + model + "\"}"] == 1);
    CHECK(s["hamlet_model_reloads_total"] == 0);
    CHECK(s["hamlet_ready"] == 1);
    CHECK(s["hamlet_http_connections_open"] >= 1);  // this request's
    // Scraping again counts the first scrape.
    auto again = Samples(c.Get("/metrics")->body);
    CHECK(again[R"(hamlet_http_requests_total{endpoint="/metrics",method="GET",status="200"})"] ==
          1);
  }

  TEST_CASE_TEMPLATE("readyz answers ready while the model is loaded and the database takes writes",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    httplib::Client c(d.host(), d.port());
    auto r = c.Get("/readyz");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "ready");
    CHECK(r->has_header("X-Request-Id"));
  }
}

}  // namespace hamlet::testing
