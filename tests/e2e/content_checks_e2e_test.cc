// The content and form checks (honeypot, timing, links, contact) through the real hamletd:
// Akismet's comment-check with the field names WordPress's plugin sends, and /v1/check with
// the native honeypot and form_rendered_at fields. Each check's reason must reach the answer.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kSite = "http://example.test/";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Encode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// A form body as WordPress builds it: an empty value is a bare name with no '='.
std::string FormBody(const Fields& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += Encode(name);
    if (value.empty()) continue;
    body += '=';
    body += Encode(value);
  }
  return body;
}

httplib::Result CommentCheck(const HamletdProcess& d, Fields fields) {
  fields.insert(fields.begin(),
                {{"api_key", d.key()}, {"blog", kSite}, {"user_ip", "198.51.100.23"}});
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  return c.Post("/1.1/comment-check", FormBody(fields), "application/x-www-form-urlencoded");
}

// What WordPress's Akismet plugin sends for a logged-out visitor's comment-form post
// (../shared/design/wordpress/RECIPE.md, section 4), with `overrides` replacing or adding
// fields; a field set to "\x01" is left out.
Fields WordPressComment(const std::string& content, const Fields& overrides) {
  Fields fields = {{"comment_post_ID", "1"},
                   {"comment_author", "Jane Reader"},
                   {"comment_author_email", "jane@example.test"},
                   {"comment_author_url", ""},
                   {"comment_content", content},
                   {"comment_type", "comment"},
                   {"user_agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/115.0"},
                   {"referrer", "http://example.test/2026/11/25/hello-world/"},
                   {"blog_lang", "en_US"},
                   {"blog_charset", "UTF-8"},
                   {"permalink", "http://example.test/2026/11/25/hello-world/"},
                   {"akismet_comment_nonce", "passed"},
                   {"POST_comment", content},
                   {"POST_author", "Jane Reader"},
                   {"POST_comment_post_ID", "1"},
                   {"POST_akismet_comment_nonce", "0123456789"},
                   {"POST_ak_hp_textarea", ""},
                   {"POST_ak_js", std::to_string(NowMs() - 45000)},
                   {"POST_submit", "Post Comment"}};
  for (const auto& [name, value] : overrides) {
    bool replaced = false;
    for (auto& field : fields) {
      if (field.first == name) {
        field.second = value;
        replaced = true;
      }
    }
    if (!replaced) fields.emplace_back(name, value);
  }
  std::erase_if(fields, [](const auto& f) { return f.second == "\x01"; });
  return fields;
}

std::string Reasons(const httplib::Result& r) {
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return r->get_header_value("X-hamlet-reasons");
}

bool HasReason(const std::string& header, const std::string& check) {
  // "model=-6.10, links.count=+0.75": a check's name is followed by '='.
  const std::string needle = check + "=";
  for (size_t p = header.find(needle); p != std::string::npos; p = header.find(needle, p + 1)) {
    if (p == 0 || header[p - 1] == ' ') return true;
  }
  return false;
}

httplib::Result V1Check(const HamletdProcess& d, json body) {
  body["api_key"] = d.key();
  if (!body.contains("user_ip")) body["user_ip"] = "203.0.113.7";
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(10));
  return c.Post("/v1/check", body.dump(), "application/json");
}

// The reason named `check` in a /v1/check answer, or null.
json V1Reason(const httplib::Result& r, const std::string& check) {
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  const json answer = json::parse(r->body);
  for (const json& reason : answer["reasons"]) {
    if (reason["check"] == check) return reason;
  }
  return nullptr;
}

const char* const kOrdinary =
    "Thanks for the write-up. The second paragraph answered my question about the cache "
    "settings, and the diagram helped too.";

}  // namespace

TEST_SUITE("e2e/content_checks") {
  TEST_CASE_TEMPLATE("WordPress's honeypot nonce and ak_js reach the honeypot and timing checks",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    // A person: the page loaded 45 s ago, the nonce passed, the honeypot empty (a bare name).
    const std::string person = Reasons(CommentCheck(d, WordPressComment(kOrdinary, {})));
    for (const char* check : {"honeypot", "honeypot.nonce", "timing.fast", "timing.no_js"}) {
      INFO(std::string(check));
      CHECK_FALSE(HasReason(person, check));
    }

    const auto filled =
        CommentCheck(d, WordPressComment(kOrdinary, {{"POST_ak_hp_textarea", "Buy cheap pills"}}));
    CHECK(HasReason(Reasons(filled), "honeypot"));

    struct Row {
      const char* why;
      Fields overrides;
      const char* check;
    };
    const Row rows[] = {
        {"sent 0.4 s after the page loaded",
         {{"POST_ak_js", std::to_string(NowMs() - 400)}},
         "timing.fast"},
        {"the script did not run: ak_js holds its placeholder",
         {{"POST_ak_js", "137"}},
         "timing.no_js"},
        {"no ak_js at all", {{"POST_ak_js", "\x01"}}, "timing.no_js"},
        {"the comment nonce failed", {{"akismet_comment_nonce", "failed"}}, "honeypot.nonce"},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.why));
      CHECK(HasReason(Reasons(CommentCheck(d, WordPressComment(kOrdinary, row.overrides))),
                      row.check));
    }
    // A logged-in editor replying from wp-admin has no ak_js: no evidence either way.
    const std::string editor = Reasons(CommentCheck(
        d, WordPressComment(kOrdinary, {{"POST_ak_js", "\x01"}, {"user_role", "editor"}})));
    CHECK_FALSE(HasReason(editor, "timing.no_js"));
  }

  TEST_CASE_TEMPLATE("Akismet's honeypot_field_name convention fills the honeypot check", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const auto r = CommentCheck(d, {{"comment_content", kOrdinary},
                                    {"honeypot_field_name", "hp_website"},
                                    {"hp_website", "http://bot.example"}});
    CHECK(HasReason(Reasons(r), "honeypot"));
    const auto empty = CommentCheck(d, {{"comment_content", kOrdinary},
                                        {"honeypot_field_name", "hp_website"},
                                        {"hp_website", ""}});
    CHECK_FALSE(HasReason(Reasons(empty), "honeypot"));
  }

  TEST_CASE_TEMPLATE(
      "/v1/check takes honeypot and form_rendered_at in seconds milliseconds or RFC 3339", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const auto bot = V1Check(d, {{"comment_content", kOrdinary}, {"honeypot", "I filled it"}});
    const json honeypot = V1Reason(bot, "honeypot");
    REQUIRE(honeypot.is_object());
    CHECK(honeypot["contribution"].get<double>() >= 6.0);
    CHECK(honeypot["detail"].get<std::string>().find("honeypot") != std::string::npos);
    CHECK(V1Reason(V1Check(d, {{"comment_content", kOrdinary}, {"honeypot", false}}), "honeypot")
              .is_null());

    const int64_t now = NowMs();
    const std::time_t now_s = static_cast<std::time_t>(now / 1000);
    char rfc3339[32];
    std::strftime(rfc3339, sizeof rfc3339, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now_s));
    struct Row {
      const char* why;
      json form_rendered_at;
      bool fast;
    };
    const Row rows[] = {
        {"seconds, just now", now / 1000, true},
        {"milliseconds, 300 ms ago", now - 300, true},
        {"RFC 3339, just now", rfc3339, true},
        {"two minutes ago", now - 120000, false},
        {"an hour in the future", now + 3600000, false},
        {"1970", 0, false},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.why));
      const json fast = V1Reason(
          V1Check(d, {{"comment_content", kOrdinary}, {"form_rendered_at", row.form_rendered_at}}),
          "timing.fast");
      CHECK(fast.is_object() == row.fast);
      if (row.fast) {
        CHECK(fast["contribution"].get<double>() > 0.0);
        CHECK(fast["contribution"].get<double>() <= 3.0);
        CHECK(fast["detail"].get<std::string>().find("form_rendered_at") != std::string::npos);
      }
    }

    const auto bad = V1Check(d, {{"comment_content", kOrdinary}, {"form_rendered_at", "soon"}});
    REQUIRE(bad);
    CHECK(bad->status == 400);
    const json error = json::parse(bad->body)["error"];
    CHECK(error["code"] == "invalid_argument");
    CHECK(error["message"].get<std::string>().find("form_rendered_at") != std::string::npos);
  }

  TEST_CASE_TEMPLATE("a site's min_seconds_to_submit reaches the running timing check", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    const json body = {{"comment_content", kOrdinary},
                       {"form_rendered_at", NowMs() - 30000}};  // 30 s to write it
    CHECK(V1Reason(V1Check(d, body), "timing.fast").is_null());
    REQUIRE(d.Hamlet({"sites", "set", kSite, "min_seconds_to_submit=100"}).exit_code == 0);
    json fast;
    for (int i = 0; i < 60 && fast.is_null(); ++i) {
      json again = body;
      again["form_rendered_at"] = NowMs() - 30000;
      fast = V1Reason(V1Check(d, again), "timing.fast");
      if (fast.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(fast.is_object());
    CHECK(fast["detail"].get<std::string>().find("100.0 s") != std::string::npos);
  }

  TEST_CASE_TEMPLATE("each links check reaches X-hamlet-reasons and the JSON reasons", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    struct Row {
      const char* check;
      Fields fields;
    };
    const Row rows[] = {
        {"links.count",
         {{"comment_content",
           "Great list, see https://a.example.com/1 https://b.example.com/2 "
           "https://c.example.com/3 "
           "and https://d.example.com/4 for the rest of my notes on this subject"}}},
        {"links.density", {{"comment_content", "https://a.example.com https://b.example.com"}}},
        {"links.shortener",
         {{"comment_content", "Nice content!! Also read our latest guide here bit.ly/3xQmPz7"}}},
        {"links.obfuscated",
         {{"comment_content", "I wrote a beginner guide at fitnessgearlab [dot] shop for you"}}},
        {"links.author_name",
         {{"comment_author", "cheap-meds-online.com"}, {"comment_content", kOrdinary}}},
        {"links.author_domain",
         {{"comment_author_url", "https://best-deals-online.example/"},
          {"comment_content",
           "Very nice article, I really appreciate your hard work. Keep posting such informative "
           "content. I also wrote about this, please visit "
           "https://best-deals-online.example/top-10"}}},
        {"links.markup",
         {{"comment_content", "I agree. [url]https://forum.example/t/1[/url] has more on it."}}},
        {"links.keyword_anchor",
         {{"comment_content",
           "[url=https://rx-pharma24.example/xanax]xanax no prescription[/url] "
           "[url=https://rx-pharma24.example/valium]buy valium[/url]"}}},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.check));
      CHECK(HasReason(Reasons(CommentCheck(d, row.fields)), row.check));
      json body;
      for (const auto& [name, value] : row.fields) body[name] = value;
      const json reason = V1Reason(V1Check(d, body), row.check);
      REQUIRE(reason.is_object());
      CHECK(reason["contribution"].get<double>() > 0.0);
      CHECK_FALSE(reason["detail"].get<std::string>().empty());
    }
    // One link to a reference site in a long comment: no links.* reason at all.
    const std::string wiki = Reasons(CommentCheck(
        d, {{"comment_content",
             "For context, the Wikipedia article on the Drake equation explains the assumptions "
             "pretty well: https://en.wikipedia.org/wiki/Drake_equation"}}));
    CHECK(wiki.starts_with("model="));
    CHECK(wiki.find("links.") == std::string::npos);
  }

  TEST_CASE_TEMPLATE("each contact check reaches X-hamlet-reasons and the JSON reasons", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    struct Row {
      const char* check;
      const char* content;
    };
    const Row rows[] = {
        {"contact.phone", "Our church office takes bookings at 555-0143 on weekdays."},
        {"contact.spelled_phone",
         "For bank account locked call the helpline one eight eight eight, five five five, zero "
         "one four one. Available round the clock."},
        {"contact.email", "I got it back, just email elitechain.recovery@example.net today."},
        {"contact.messenger", "Message her on Telegram @EleanorFX_trades and thank me later"},
        {"contact.support_phrase", "My bank's support line kept me on hold for 50 minutes."},
        {"contact.support_number",
         "Printer offline? Call our 24/7 printer customer support number +1-800-555-0147 toll "
         "free for instant help."},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.check));
      CHECK(HasReason(Reasons(CommentCheck(d, {{"comment_content", row.content}})), row.check));
      const json reason = V1Reason(V1Check(d, {{"comment_content", row.content}}), row.check);
      REQUIRE(reason.is_object());
      CHECK(reason["contribution"].get<double>() > 0.0);
    }
    // "call 911" is no phone number.
    const std::string emergency = Reasons(CommentCheck(
        d, {{"comment_content", "If you see smoke like that, call 911 first and ask later."}}));
    CHECK_FALSE(HasReason(emergency, "contact.phone"));
  }
}

}  // namespace hamlet::testing
