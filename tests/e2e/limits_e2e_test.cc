// Rate limits and keys against the real hamletd: per-address and per-key limits (429 with
// Retry-After; Akismet calls answer `throttled`, never `invalid`), failed key guesses locking
// an address out, the probes never limited, /metrics behind an admin key on request, and
// personal data in the log only when asked for. Each case runs on both store backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "support/e2e_backends.h"
#include "support/e2e_http.h"
#include "support/hamletd_process.h"
#include "support/text_lines.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

const std::string kBlog = "blog=http%3A%2F%2Fexample.test%2F";

httplib::Result Check(const HamletdProcess& d, const std::string& key) {
  return PostTo(d, "/1.1/comment-check",
                "api_key=" + key + "&" + kBlog + "&user_ip=192.0.2.7&comment_content=hello");
}

httplib::Result V1Check(const HamletdProcess& d, const std::string& key) {
  return PostTo(d, "/v1/check", R"({"comment_content": "hello"})", "application/json",
                {{"Authorization", "Bearer " + key}});
}

httplib::Result Verify(const HamletdProcess& d, const std::string& key) {
  return PostTo(d, "/1.1/verify-key", "key=" + key + "&" + kBlog);
}

}  // namespace

TEST_SUITE("e2e/limits") {
  TEST_CASE_TEMPLATE(
      "a key over its rate: Akismet 429 throttled, /v1 429 rate_limited, both Retry-After", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--rate-limit-key", "1"};  // 1/s, bursts of 2
    HamletdProcess d(options);
    CHECK(Check(d, d.key())->status == 200);
    CHECK(Check(d, d.key())->status == 200);
    auto akismet = Check(d, d.key());
    REQUIRE(akismet);
    CHECK(akismet->status == 429);
    CHECK(akismet->body == "throttled");
    CHECK(akismet->get_header_value("Retry-After") == "1");
    CHECK(akismet->get_header_value("X-akismet-debug-help").find("this key") != std::string::npos);
    CHECK_FALSE(akismet->has_header("X-akismet-guid"));
    // verify-key over the limit is not `invalid` either (WordPress would call the key wrong).
    auto verify = Verify(d, d.key());
    REQUIRE(verify);
    CHECK(verify->status == 429);
    CHECK(verify->body == "throttled");
    auto v1 = V1Check(d, d.key());
    REQUIRE(v1);
    CHECK(v1->status == 429);
    CHECK(v1->get_header_value("Retry-After") == "1");
    CHECK(json::parse(v1->body)["error"]["code"] == "rate_limited");
    CHECK(MetricValue(d, "hamlet_rate_limited_total{scope=\"key\"}") == 3);
    CHECK(StoredDecisions(d) == 2);  // only the two answered checks
  }

  TEST_CASE_TEMPLATE("an address over its rate gets 429 on the API but never on the probes",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--rate-limit-ip", "1"};  // 1/s, bursts of 2
    HamletdProcess d(options);
    int limited = 0;
    for (int i = 0; i < 20; ++i) {
      auto r = Check(d, d.key());
      REQUIRE(r);
      if (r->status == 429) {
        ++limited;
        CHECK(r->body == "throttled");
        CHECK(r->get_header_value("X-akismet-debug-help").find("your address") !=
              std::string::npos);
      }
    }
    CHECK(limited >= 5);
    httplib::Client c(d.host(), d.port());
    for (int i = 0; i < 20; ++i) {
      for (const char* probe : {"/healthz", "/readyz", "/metrics"}) {
        auto r = c.Get(probe);
        REQUIRE(r);
        CHECK(r->status == 200);
      }
    }
    // Off the Akismet paths the refusal is JSON.
    httplib::Result index = c.Get("/v1");
    for (int i = 0; i < 10 && index && index->status != 429; ++i) index = c.Get("/v1");
    REQUIRE(index);
    CHECK(index->status == 429);
    CHECK(json::parse(index->body)["error"]["code"] == "rate_limited");
  }

  TEST_CASE_TEMPLATE("failed key guesses lock the address out, even for the right key, then let go",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--max-auth-failures", "10"};  // 10 at once, then one per 6 s
    HamletdProcess d(options);
    // A wrong key is answered as Akismet does while guesses are allowed.
    for (int i = 0; i < 10; ++i) {
      auto r = Verify(d, "0123456789ab");
      REQUIRE(r);
      REQUIRE(r->body == "invalid");
    }
    // Locked out: every key check is refused without looking at the key.
    for (int call = 0; call < 3; ++call) {
      CAPTURE(call);
      auto r = call == 0 ? Verify(d, d.key()) : call == 1 ? Check(d, d.key()) : V1Check(d, d.key());
      REQUIRE(r);
      CHECK(r->status == 429);
      CHECK(r->has_header("Retry-After"));
    }
    CHECK(Verify(d, d.key())->get_header_value("X-akismet-debug-help").find("failed key checks") !=
          std::string::npos);
    CHECK(MetricValue(d, "hamlet_auth_failures_total") == 10);
    CHECK(MetricValue(d, "hamlet_auth_refused_total") == 4);
    // One guess per 6 s comes back: the right key works again.
    bool valid_again = false;
    for (int i = 0; i < 50 && !valid_again; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(250));  // poll, not a sync
      auto r = Verify(d, d.key());
      valid_again = r && r->body == "valid";
    }
    CHECK(valid_again);
    // Missing keys are not guesses.
    for (int i = 0; i < 100; ++i) {
      auto r = PostTo(d, "/1.1/verify-key", kBlog);
      REQUIRE(r);
      REQUIRE(r->body == "invalid");
    }
    CHECK(Verify(d, d.key())->body == "valid");
  }

  TEST_CASE_TEMPLATE("with --metrics-auth admin, /metrics wants an admin key", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--metrics-auth", "admin"};
    HamletdProcess d(options);
    const CommandResult made = d.Hamlet({"keys", "create", "--admin"});
    REQUIRE(made.exit_code == 0);
    const std::string admin = LastLine(made.out);
    httplib::Client c(d.host(), d.port());
    auto open = c.Get("/metrics");
    REQUIRE(open);
    CHECK(open->status == 401);
    auto site = c.Get("/metrics", {{"Authorization", "Bearer " + d.key()}});
    REQUIRE(site);
    CHECK(site->status == 403);
    auto ok = c.Get("/metrics", {{"Authorization", "Bearer " + admin}});
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(ok->get_header_value("Content-Type").starts_with("text/plain; version=0.0.4"));
    CHECK(ok->body.find("# TYPE hamlet_http_requests_total counter") != std::string::npos);
    // The probes stay open.
    CHECK(c.Get("/readyz")->status == 200);
    CHECK(c.Get("/healthz")->status == 200);
  }

  TEST_CASE_TEMPLATE("the log masks IPs and e-mail addresses unless --log-personal-data", Backend,
                     SqliteBackend, PostgresBackend) {
    for (const bool unmasked : {false, true}) {
      CAPTURE(unmasked);
      HAMLET_E2E_OPTIONS(options, Backend);
      if (unmasked) options.extra_args = {"--log-personal-data"};
      HamletdProcess d(options);
      auto r = PostTo(d, "/1.1/comment-check",
                      "api_key=" + d.key() + "&" + kBlog +
                          "&user_ip=203.0.113.77&comment_author_email=alice%40example.com"
                          "&comment_content=hi");
      REQUIRE(r);
      REQUIRE(r->status == 200);
      REQUIRE(d.Stop() == 0);
      const std::string log = d.Log();
      CHECK((log.find("203.0.113.77") != std::string::npos) == unmasked);
      CHECK((log.find("alice@example.com") != std::string::npos) == unmasked);
      CHECK((log.find(" ip=127.0.0.1") != std::string::npos) == unmasked);
      CHECK((log.find("203.0.113.x") != std::string::npos) == !unmasked);
      CHECK((log.find("a***@example.com") != std::string::npos) == !unmasked);
      CHECK(log.find(d.key()) == std::string::npos);  // never the key
    }
  }
}

}  // namespace hamlet::testing
