// Metrics: counting requests and verdicts, and the Prometheus text it renders.
#include "http/metrics.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

namespace hamlet::http {
namespace {

bool HasLine(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l)) {
    if (l == line) return true;
  }
  return false;
}

}  // namespace

TEST_SUITE("http/metrics") {
  TEST_CASE("requests are counted by endpoint, method and status, unknown paths as unmatched") {
    Metrics m(Routes());
    const size_t check = m.RouteIndex("POST", "/1.1/comment-check");
    REQUIRE(check < Routes().size());
    CHECK(m.RouteIndex("GET", "/1.1/comment-check") == Routes().size());
    m.ObserveRequest(check, 200, 0.0003);
    m.ObserveRequest(check, 200, 0.002);
    m.ObserveRequest(check, 503, 2.1);
    m.ObserveRequest(Routes().size(), 404, 0.0001);
    m.ObserveRequest(check, 418, 0.0001);  // a status without a label of its own
    const std::string text = m.Render({});
    CHECK(HasLine(text, "# TYPE hamlet_http_requests_total counter"));
    CHECK(HasLine(
        text,
        R"(hamlet_http_requests_total{endpoint="/1.1/comment-check",method="POST",status="200"} 2)"));
    CHECK(HasLine(
        text,
        R"(hamlet_http_requests_total{endpoint="/1.1/comment-check",method="POST",status="503"} 1)"));
    CHECK(HasLine(
        text,
        R"(hamlet_http_requests_total{endpoint="/1.1/comment-check",method="POST",status="other"} 1)"));
    CHECK(HasLine(text,
                  R"(hamlet_http_requests_total{endpoint="unmatched",method="",status="404"} 1)"));
    // Series that never happened are left out.
    CHECK(text.find(R"(endpoint="/v1/check")") == std::string::npos);
  }

  TEST_CASE("the latency histogram is cumulative and ends with +Inf, _sum and _count") {
    Metrics m(Routes());
    const size_t check = m.RouteIndex("POST", "/1.1/comment-check");
    m.ObserveRequest(check, 200, 0.0003);
    m.ObserveRequest(check, 200, 0.002);
    m.ObserveRequest(check, 503, 20);
    const std::string text = m.Render({});
    const std::string labels = R"(endpoint="/1.1/comment-check",method="POST")";
    CHECK(HasLine(text, "# TYPE hamlet_http_request_duration_seconds histogram"));
    CHECK(HasLine(text,
                  "hamlet_http_request_duration_seconds_bucket{" + labels + R"(,le="0.0001"} 0)"));
    CHECK(HasLine(text,
                  "hamlet_http_request_duration_seconds_bucket{" + labels + R"(,le="0.0005"} 1)"));
    CHECK(HasLine(text,
                  "hamlet_http_request_duration_seconds_bucket{" + labels + R"(,le="0.0025"} 2)"));
    CHECK(
        HasLine(text, "hamlet_http_request_duration_seconds_bucket{" + labels + R"(,le="10"} 2)"));
    CHECK(HasLine(text,
                  "hamlet_http_request_duration_seconds_bucket{" + labels + R"(,le="+Inf"} 3)"));
    CHECK(HasLine(text, "hamlet_http_request_duration_seconds_count{" + labels + "} 3"));
    CHECK(text.find("hamlet_http_request_duration_seconds_sum{" + labels + "} 20.0023") !=
          std::string::npos);
  }

  TEST_CASE("verdicts, store, limits, model and readiness come out with every label") {
    Metrics m(Routes());
    m.CountVerdict(core::Verdict::kSpam, "akismet");
    m.CountVerdict(core::Verdict::kSpam, "akismet");
    m.CountVerdict(core::Verdict::kHam, "v1");
    m.CountVerdict(core::Verdict::kHam, "cli");  // not an HTTP channel: not counted
    Metrics::Inputs in;
    in.store.writes_waiting = 3;
    in.store.commits = 10;
    in.store.records_committed = 40;
    in.store.failed_writes = 2;
    in.store.faults[static_cast<size_t>(store::FaultKind::kFull)] = 5;
    in.store.commit_seconds = core::HistogramSnapshot{{0.001, 0.01}, {4, 5, 1}, 0.05, 10};
    in.store.write_wait_seconds = core::HistogramSnapshot{{0.001, 0.01}, {1, 2, 3}, 0.2, 6};
    in.judge_seconds = core::HistogramSnapshot{{0.001, 0.01}, {7, 1, 0}, 0.004, 8};
    in.guard = GuardStats{7, 8, 9, 1};
    in.connections.open = 12;
    in.connections.waiting = 4;
    in.connections.head_timeouts = 6;
    in.model_version = "hamlet-default@\"x\\y\"";
    in.model_reloads = 2;
    in.ready = true;
    const std::string text = m.Render(in);
    CHECK(HasLine(text, R"(hamlet_verdicts_total{verdict="spam",channel="akismet"} 2)"));
    CHECK(HasLine(text, R"(hamlet_verdicts_total{verdict="ham",channel="v1"} 1)"));
    CHECK(HasLine(text, R"(hamlet_verdicts_total{verdict="discard",channel="v1"} 0)"));
    CHECK(HasLine(text, "hamlet_store_write_queue_depth 3"));
    CHECK(HasLine(text, "hamlet_store_commits_total 10"));
    CHECK(HasLine(text, "hamlet_store_committed_records_total 40"));
    CHECK(HasLine(text, "hamlet_store_failed_writes_total 2"));
    CHECK(HasLine(text, R"(hamlet_store_errors_total{kind="full"} 5)"));
    CHECK(HasLine(text, R"(hamlet_store_errors_total{kind="locked"} 0)"));
    CHECK(HasLine(text, R"(hamlet_store_errors_total{kind="read_only"} 0)"));
    CHECK(HasLine(text, R"(hamlet_store_commit_duration_seconds_bucket{le="0.01"} 9)"));
    CHECK(HasLine(text, R"(hamlet_store_commit_duration_seconds_bucket{le="+Inf"} 10)"));
    CHECK(HasLine(text, R"(hamlet_store_write_wait_duration_seconds_bucket{le="0.01"} 3)"));
    CHECK(HasLine(text, "hamlet_store_write_wait_duration_seconds_count 6"));
    CHECK(HasLine(text, R"(hamlet_check_judge_duration_seconds_bucket{le="0.001"} 7)"));
    CHECK(HasLine(text, "hamlet_check_judge_duration_seconds_count 8"));
    CHECK(HasLine(text, R"(hamlet_rate_limited_total{scope="ip"} 7)"));
    CHECK(HasLine(text, R"(hamlet_rate_limited_total{scope="key"} 8)"));
    CHECK(HasLine(text, "hamlet_auth_failures_total 9"));
    CHECK(HasLine(text, "hamlet_auth_refused_total 1"));
    CHECK(HasLine(text, "hamlet_http_connections_open 12"));
    CHECK(HasLine(text, "hamlet_http_connections_waiting 4"));
    CHECK(HasLine(text, "hamlet_http_request_head_timeouts_total 6"));
    CHECK(HasLine(text, R"(hamlet_model_info{version="hamlet-default@\"x\\y\""} 1)"));
    CHECK(HasLine(text, "hamlet_model_reloads_total 2"));
    CHECK(HasLine(text, "hamlet_ready 1"));
  }

  TEST_CASE("every sample line belongs to a family declared with HELP and TYPE") {
    Metrics m(Routes());
    m.ObserveRequest(0, 200, 0.001);
    Metrics::Inputs in;
    in.model_version = "v";
    const std::string text = m.Render(in);
    std::istringstream lines(text);
    std::string line;
    std::string family;  // the last # TYPE'd name
    int samples = 0;
    while (std::getline(lines, line)) {
      CAPTURE(line);
      REQUIRE_FALSE(line.empty());
      if (line.starts_with("# HELP ")) continue;
      if (line.starts_with("# TYPE ")) {
        family = line.substr(7, line.find(' ', 7) - 7);
        continue;
      }
      ++samples;
      const std::string name = line.substr(0, line.find_first_of("{ "));
      CHECK((name == family || name == family + "_bucket" || name == family + "_sum" ||
             name == family + "_count"));
    }
    CHECK(samples > 20);
  }

  TEST_CASE("label values escape backslash, quote and newline") {
    CHECK(EscapeLabelValue("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
    CHECK(EscapeLabelValue("plain") == "plain");
  }
}

}  // namespace hamlet::http
