// Per-site settings reach a running hamletd: `hamlet sites set` on its database changes the
// next answers within seconds, and the Akismet answer carries hamlet's verdict and reasons.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <thread>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

constexpr const char* kSite = "http://example.test/";

httplib::Result Check(const HamletdProcess& d, const std::string& content) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  httplib::Params form = {{"api_key", d.key()},
                          {"blog", kSite},
                          {"user_ip", "198.51.100.23"},
                          {"comment_author", "Maria"},
                          {"comment_content", content}};
  return c.Post("/1.1/comment-check", form);
}

// Checks until the answer's X-hamlet-verdict is `want` (settings refresh every 2 s).
httplib::Result CheckUntilVerdict(const HamletdProcess& d, const std::string& content,
                                  const std::string& want) {
  httplib::Result r = Check(d, content);
  for (int i = 0; i < 60 && r && r->get_header_value("X-hamlet-verdict") != want; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    r = Check(d, content);
  }
  return r;
}

}  // namespace

TEST_SUITE("e2e/site_settings") {
  TEST_CASE_TEMPLATE("a site's uncertain answer and band apply to the running service", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string ham = "Thanks, the second recipe worked well for me with less sugar.";
    auto r = Check(d, ham);
    REQUIRE(r);
    CHECK(r->body == "false");
    CHECK(r->get_header_value("X-hamlet-verdict") == "ham");
    CHECK(r->get_header_value("X-hamlet-reasons").starts_with("model="));

    // A low threshold with a band of 10 log-odds makes this ordinary comment uncertain (still
    // ham); the site wants uncertain comments in its spam folder.
    auto set = d.Hamlet({"sites", "set", kSite, "spam_threshold=0.01", "uncertain_band=10",
                         "uncertain_answer=true"});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);
    r = CheckUntilVerdict(d, ham, "ham; uncertain");
    REQUIRE(r);
    CHECK(r->get_header_value("X-hamlet-verdict") == "ham; uncertain");
    CHECK(r->body == "true");

    // Another site's settings do not apply to this key's site.
    REQUIRE(
        d.Hamlet({"sites", "unset", kSite, "spam_threshold", "uncertain_band", "uncertain_answer"})
            .exit_code == 0);
    REQUIRE(d.Hamlet({"sites", "set", "https://other.example/", "spam_threshold=0.01",
                      "uncertain_band=10", "uncertain_answer=true"})
                .exit_code == 0);
    r = CheckUntilVerdict(d, ham, "ham");
    REQUIRE(r);
    CHECK(r->get_header_value("X-hamlet-verdict") == "ham");
    CHECK(r->body == "false");
  }

  TEST_CASE_TEMPLATE("a site's weight of 0 switches a check off in the running service", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string form_with_honeypot = "honeypot_field_name=hp_field&hp_field=filled";
    httplib::Client c(d.host(), d.port());
    auto post = [&] {
      return c.Post("/1.1/comment-check",
                    "api_key=" + d.key() + "&blog=http%3A%2F%2Fexample.test%2F&user_ip=1.2.3.4" +
                        "&comment_content=Nice+post&" + form_with_honeypot,
                    "application/x-www-form-urlencoded");
    };
    auto r = post();
    REQUIRE(r);
    CHECK(r->get_header_value("X-hamlet-reasons").find("honeypot=") != std::string::npos);
    REQUIRE(d.Hamlet({"sites", "set", "*", "weight.honeypot=0"}).exit_code == 0);
    for (int i = 0; i < 60; ++i) {
      r = post();
      if (r && r->get_header_value("X-hamlet-reasons").find("honeypot") == std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(r);
    CHECK(r->get_header_value("X-hamlet-reasons").find("honeypot") == std::string::npos);
  }
}

}  // namespace hamlet::testing
