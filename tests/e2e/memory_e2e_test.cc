// The memory of earlier comments in the running hamletd: a campaign caught from its third
// sender, reputation after submit-spam and `hamlet mark-spam`, a trusted commenter after
// `hamlet mark-ham`, a burst from one IP, and all of it surviving a restart.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

constexpr const char* kSite = "http://example.test/";

// Long enough to fingerprint; the shipped model finds it suspicious but not spam (log-odds
// about +3, under the threshold of about +4), so a campaign, not the text alone, catches it.
const std::string kCampaignText =
    "I absolutely love your blog and find almost all of your posts to be exactly what I'm "
    "looking for. Would you offer guest writers to write content for you? I wouldn't mind "
    "writing a post.";

// The model's part of the log-odds in X-hamlet-reasons ("model=+3.00, ...").
double ModelPart(const std::string& reasons) {
  const size_t at = reasons.find("model=");
  REQUIRE(at != std::string::npos);
  return std::stod(reasons.substr(at + 6));
}

// A comment-check; `is_test` ones are judged with memory but not remembered (polling below
// must not add evidence of its own).
httplib::Result Check(const HamletdProcess& d, const std::string& ip, const std::string& content,
                      const std::string& email = "", bool is_test = false) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  httplib::Params form = {{"api_key", d.key()},
                          {"blog", kSite},
                          {"user_ip", ip},
                          {"user_agent", "Mozilla/5.0"},
                          {"comment_type", "comment"},
                          {"comment_author", "Sam"},
                          {"comment_content", content}};
  if (!email.empty()) form.emplace("comment_author_email", email);
  if (is_test) form.emplace("is_test", "1");
  return c.Post("/1.1/comment-check", form);
}

std::string Reasons(const httplib::Result& r) {
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return r->get_header_value("X-hamlet-reasons");
}

// Checks until X-hamlet-reasons names `check` (labels given by another process are learnt
// within 2 s); returns the last answer's reasons.
std::string CheckUntilReason(const HamletdProcess& d, const std::string& ip,
                             const std::string& content, const std::string& email,
                             const std::string& check) {
  std::string reasons;
  for (int i = 0; i < 50; ++i) {
    reasons = Reasons(Check(d, ip, content, email, /*is_test=*/true));
    if (reasons.find(check + "=") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return reasons;
}

bool Names(const std::string& reasons, const std::string& check) {
  return reasons.find(check + "=") != std::string::npos;
}

}  // namespace

TEST_SUITE("e2e/memory") {
  TEST_CASE_TEMPLATE("the same text from three IPs: the first passes and the third is caught",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    auto first = Check(d, "203.0.113.10", kCampaignText);
    REQUIRE(first);
    // The premise: alone the text is not spam, and with the campaign's +3 it clearly is (out
    // of the uncertain band). A new shipped model may need a new text here.
    const double model = ModelPart(Reasons(first));
    REQUIRE_MESSAGE(model > 2.6, "recalibrate kCampaignText: model part " << model);
    REQUIRE_MESSAGE(model < 4.0, "recalibrate kCampaignText: model part " << model);
    CHECK(first->body == "false");
    CHECK_FALSE(first->get_header_value("X-hamlet-verdict").starts_with("spam"));
    CHECK_FALSE(Names(Reasons(first), "campaign"));
    auto second = Check(d, "198.51.100.20", kCampaignText);
    CHECK(Names(Reasons(second), "campaign"));
    auto third = Check(d, "192.0.2.30", kCampaignText);
    const std::string reasons = Reasons(third);
    CHECK(reasons.find("campaign=+3.00") != std::string::npos);
    CHECK(third->body == "true");
    CHECK(third->get_header_value("X-hamlet-verdict").starts_with("spam"));
    // The stored decision explains it in words.
    const std::string shown = d.ShowJson(third->get_header_value("X-akismet-guid"));
    CHECK(shown.find("earlier copies of this text") != std::string::npos);
  }

  TEST_CASE_TEMPLATE("submit-spam teaches the IP's reputation at once", Backend, SqliteBackend,
                     PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string ip = "203.0.113.44";
    const std::string text = "Could you post the recipe for the lemon cake you mentioned?";
    auto checked = Check(d, ip, text);
    CHECK_FALSE(Names(Reasons(checked), "reputation.ip"));
    httplib::Client c(d.host(), d.port());
    auto submitted = c.Post("/1.1/submit-spam", httplib::Params{{"api_key", d.key()},
                                                                {"blog", kSite},
                                                                {"user_ip", ip},
                                                                {"user_agent", "Mozilla/5.0"},
                                                                {"comment_type", "comment"},
                                                                {"comment_author", "Sam"},
                                                                {"comment_content", text}});
    REQUIRE(submitted);
    REQUIRE(submitted->body == "Thanks for making the web a better place.");
    const std::string reasons =
        Reasons(Check(d, ip, "Another question: does the cake freeze well?"));
    CHECK(Names(reasons, "reputation.ip"));
  }

  TEST_CASE_TEMPLATE("hamlet mark-spam in another process reaches the running service", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string ip = "198.51.100.77";
    auto checked = Check(d, ip, "What time does the library open on Sundays?", "q@mail.example");
    const std::string id = checked->get_header_value("X-akismet-guid");
    REQUIRE(id.size() == 32);
    const CommandResult marked = d.Hamlet({"mark-spam", id, "--moderator", "alice"});
    REQUIRE_MESSAGE(marked.exit_code == 0, marked.err);
    const std::string reasons =
        CheckUntilReason(d, ip, "And on Saturdays?", "q@mail.example", "reputation.email");
    CHECK(Names(reasons, "reputation.email"));
    CHECK(Names(reasons, "reputation.ip"));
  }

  TEST_CASE_TEMPLATE(
      "a commenter a moderator approved with hamlet mark-ham is trusted on this site", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string email = "regular@mail.example";
    auto checked = Check(d, "192.0.2.88", "Great write-up on the bus lanes, thanks.", email);
    const std::string id = checked->get_header_value("X-akismet-guid");
    const CommandResult marked = d.Hamlet({"mark-ham", id, "--moderator", "alice"});
    REQUIRE_MESSAGE(marked.exit_code == 0, marked.err);
    const std::string reasons = CheckUntilReason(
        d, "192.0.2.89", "One more thought on the cycling numbers.", email, "trust.email");
    CHECK(Names(reasons, "trust.email"));
    // The same through /v1/check: the reason comes with its human text.
    httplib::Client c(d.host(), d.port());
    auto r = c.Post("/v1/check",
                    nlohmann::json{{"api_key", d.key()},
                                   {"user_ip", "192.0.2.90"},
                                   {"comment_author_email", email},
                                   {"comment_content", "And about the parking survey."}}
                        .dump(),
                    "application/json");
    REQUIRE(r);
    CAPTURE(r->body);
    const nlohmann::json body = nlohmann::json::parse(r->body);
    bool found = false;
    for (const auto& reason : body["reasons"]) {
      if (reason["check"] == "trust.email") {
        found = true;
        CHECK(reason["contribution"].get<double>() < 0);
        CHECK(reason["detail"].get<std::string>().find("approved by moderators") !=
              std::string::npos);
      }
    }
    CHECK(found);
  }

  TEST_CASE_TEMPLATE("a burst of comments from one IP is named in the reasons", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    std::string reasons;
    for (int i = 0; i < 6; ++i) {
      reasons = Reasons(Check(d, "203.0.113.99", "Short comment number " + std::to_string(i)));
    }
    CHECK(Names(reasons, "rate.ip"));
    // Another IP is not affected.
    CHECK_FALSE(Names(Reasons(Check(d, "203.0.114.1", "A calm comment.")), "rate.ip"));
  }

  TEST_CASE_TEMPLATE("memory survives a restart of hamletd", Backend, SqliteBackend,
                     PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const std::string ip = "198.51.100.123";
    const std::string text = "Which bakery sells the sourdough you used?";
    auto checked = Check(d, ip, text);
    httplib::Client c(d.host(), d.port());
    REQUIRE(c.Post("/1.1/submit-spam", httplib::Params{{"api_key", d.key()},
                                                       {"blog", kSite},
                                                       {"user_ip", ip},
                                                       {"user_agent", "Mozilla/5.0"},
                                                       {"comment_type", "comment"},
                                                       {"comment_author", "Sam"},
                                                       {"comment_content", text}}));
    Check(d, "203.0.113.1", kCampaignText);
    Check(d, "203.0.114.2", kCampaignText);
    d.Restart();
    CHECK(d.Log().find("memory rebuilt from the store") != std::string::npos);
    CHECK(Names(Reasons(Check(d, ip, "Is it open on Mondays?")), "reputation.ip"));
    const std::string third = Reasons(Check(d, "203.0.115.3", kCampaignText));
    CHECK(Names(third, "campaign"));
  }

  TEST_CASE("hamletd refuses memory options out of range") {
    TempDir dir;
    for (const std::vector<std::string>& bad :
         {std::vector<std::string>{"--memory-half-life-days", "0"},
          std::vector<std::string>{"--campaign-window-hours", "0.5"},
          std::vector<std::string>{"--memory-max-entries", "10"}}) {
      std::vector<std::string> argv = {HamletdBinary(), "--db", dir.File("h.db"), "--listen",
                                       "127.0.0.1:1"};
      argv.insert(argv.end(), bad.begin(), bad.end());
      const CommandResult run = RunCommand(argv);
      CAPTURE(bad[0]);
      CHECK(run.exit_code != 0);
      CHECK(run.err.find(bad[0]) != std::string::npos);
    }
  }

  TEST_CASE("hamletd --no-memory switches the history checks off") {
    HamletdProcess::Options options;
    options.extra_args = {"--no-memory"};
    HamletdProcess d(options);
    Check(d, "203.0.113.1", kCampaignText);
    Check(d, "198.51.100.2", kCampaignText);
    CHECK_FALSE(Names(Reasons(Check(d, "192.0.2.3", kCampaignText)), "campaign"));
  }
}

}  // namespace hamlet::testing
