// The timing family: time from form render to submission (native form_rendered_at and
// WordPress's ak_js), and WordPress forms posted without JavaScript.
#include "signals/timing.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "support/check_run.h"

using hamlet::core::FieldList;
using hamlet::testing::RunCheck;

namespace {

constexpr int64_t kNow = 1714557296000;  // 2024-05-01T09:54:56Z

std::string Ms(int64_t ms) { return std::to_string(ms); }

// What WordPress's plugin sends for a visitor's comment-form post, plus `extra`.
FieldList WordPressForm(FieldList extra) {
  FieldList fields = {{"comment_content", "Thanks, this helped."},
                      {"comment_type", "comment"},
                      {"akismet_comment_nonce", "passed"},
                      {"POST_comment_post_ID", "1"},
                      {"POST_comment", "Thanks, this helped."}};
  // The first field of a name wins (CommentFromFields), so `extra` goes first.
  extra.insert(extra.end(), fields.begin(), fields.end());
  return extra;
}

}  // namespace

TEST_SUITE("signals/timing") {
  TEST_CASE("a comment sent sooner than the site's minimum after render is suspicious, scaled") {
    struct Row {
      const char* why;
      FieldList fields;
      double contribution;  // 0: no timing.fast hit
    };
    const Row rows[] = {
        {"native, sent at once (seconds)", {{"form_rendered_at", "1714557296"}}, 3.0},
        {"native, 1.5 s of 3 (milliseconds)", {{"form_rendered_at", Ms(kNow - 1500)}}, 2.0},
        {"native, RFC 3339, 1.5 s", {{"form_rendered_at", "2024-05-01T09:54:54.500Z"}}, 2.0},
        {"native, just under the minimum", {{"form_rendered_at", Ms(kNow - 2999)}}, 1.0},
        {"native, at the minimum", {{"form_rendered_at", Ms(kNow - 3000)}}, 0.0},
        {"native, a minute to write", {{"form_rendered_at", Ms(kNow - 60000)}}, 0.0},
        {"native, in the future (clock skew)", {{"form_rendered_at", Ms(kNow + 5000)}}, 0.0},
        {"native, far in the future", {{"form_rendered_at", "9999-12-31T23:59:59Z"}}, 0.0},
        {"native, absurdly old", {{"form_rendered_at", "0"}}, 0.0},
        {"native, not a time", {{"form_rendered_at", "yesterday"}}, 0.0},
        {"WordPress ak_js, 0.6 s", {{"POST_ak_js", Ms(kNow - 600)}}, 2.6},
        {"WordPress ak_js, 20 s", {{"POST_ak_js", Ms(kNow - 20000)}}, 0.0},
        {"Contact Form 7's ak_js, 0 s", {{"POST__wpcf7_ak_js", Ms(kNow)}}, 3.0},
        {"the native time wins over ak_js",
         {{"form_rendered_at", Ms(kNow - 60000)}, {"POST_ak_js", Ms(kNow)}},
         0.0},
        {"no form time at all", {{"comment_content", "hi"}}, 0.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.why));
      const auto run = RunCheck(&hamlet::signals::CheckTiming, row.fields, kNow);
      CHECK(run.Of("timing.fast") == doctest::Approx(row.contribution).epsilon(0.001));
      if (row.contribution > 0.0) {
        CHECK(run.Find("timing.fast")->detail.find("after the form was rendered") !=
              std::string::npos);
      }
    }
  }

  TEST_CASE("the site's min_seconds_to_submit sets the bar and 0 switches timing.fast off") {
    hamlet::signals::CheckSettings ten;
    ten.min_seconds_to_submit = 10;
    const FieldList five_seconds = {{"form_rendered_at", Ms(kNow - 5000)}};
    CHECK(RunCheck(&hamlet::signals::CheckTiming, five_seconds, kNow).Find("timing.fast") ==
          nullptr);
    CHECK(RunCheck(&hamlet::signals::CheckTiming, five_seconds, kNow, ten).Of("timing.fast") ==
          doctest::Approx(2.0));
    hamlet::signals::CheckSettings off;
    off.min_seconds_to_submit = 0;
    CHECK(RunCheck(&hamlet::signals::CheckTiming, {{"form_rendered_at", Ms(kNow)}}, kNow, off)
              .hits.empty());
  }

  TEST_CASE("without an arrival time there is no timing evidence") {
    CHECK(
        RunCheck(&hamlet::signals::CheckTiming, {{"form_rendered_at", Ms(kNow)}}, 0).hits.empty());
  }

  TEST_CASE("a WordPress form without a JavaScript page-load time is weak evidence") {
    struct Row {
      const char* why;
      FieldList fields;
      double no_js;  // timing.no_js contribution, 0: none
    };
    const Row rows[] = {
        {"ak_js missing", WordPressForm({}), 0.5},
        {"ak_js left at the placeholder", WordPressForm({{"POST_ak_js", "137"}}), 0.75},
        {"ak_js junk", WordPressForm({{"POST_ak_js", "abc"}}), 0.75},
        {"ak_js negative", WordPressForm({{"POST_ak_js", "-1714557296000"}}), 0.75},
        {"ak_js huge", WordPressForm({{"POST_ak_js", "99999999999999999999999"}}), 0.75},
        {"ak_js in seconds, not what the script writes",
         WordPressForm({{"POST_ak_js", "1714557296"}}), 0.75},
        {"ak_js a page-load time", WordPressForm({{"POST_ak_js", Ms(kNow - 30000)}}), 0.0},
        {"a logged-in user (wp-admin replies have no ak_js)",
         WordPressForm({{"user_role", "editor"}}), 0.0},
        {"a pingback", WordPressForm({{"comment_type", "pingback"}}), 0.0},
        {"a recheck", WordPressForm({{"recheck_reason", "recheck_queue"}}), 0.0},
        {"not from a comment form (REST, other clients)",
         {{"comment_content", "hi"}, {"akismet_comment_nonce", "inactive"}},
         0.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.why));
      const auto run = RunCheck(&hamlet::signals::CheckTiming, row.fields, kNow);
      CHECK(run.Of("timing.no_js") == doctest::Approx(row.no_js));
    }
  }

  TEST_CASE("AkJsPageLoadMs accepts only what the page's script writes") {
    CHECK(hamlet::signals::AkJsPageLoadMs("1714557296000") == 1714557296000);
    CHECK_FALSE(hamlet::signals::AkJsPageLoadMs("250").has_value());
    CHECK_FALSE(hamlet::signals::AkJsPageLoadMs("").has_value());
    CHECK_FALSE(hamlet::signals::AkJsPageLoadMs("1714557296000.5").has_value());
    CHECK_FALSE(hamlet::signals::AkJsPageLoadMs(" 1714557296000").has_value());
  }
}
