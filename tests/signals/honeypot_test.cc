// The honeypot family: filled hidden fields (Akismet's convention, the native field,
// WordPress's textarea) and WordPress's comment nonce.
#include "signals/honeypot.h"

#include <doctest/doctest.h>

#include <string>

#include "support/check_run.h"

using hamlet::testing::RunCheck;

TEST_SUITE("signals/honeypot") {
  TEST_CASE("a filled honeypot is spam evidence of +6 or more and an empty one is nothing") {
    struct Row {
      const char* why;
      hamlet::core::FieldList fields;
      double at_least;  // 0: no hit
    };
    const Row rows[] = {
        {"Akismet's convention, filled", {{"honeypot_field_name", "hp"}, {"hp", "x"}}, 6.0},
        {"Akismet's convention, empty", {{"honeypot_field_name", "hp"}, {"hp", ""}}, 0.0},
        {"Akismet's convention, field absent", {{"honeypot_field_name", "hp"}}, 0.0},
        {"the native field", {{"honeypot", "I am a bot"}}, 6.0},
        {"the native field, empty", {{"honeypot", ""}}, 0.0},
        {"WordPress's textarea", {{"POST_ak_hp_textarea", "Buy now"}}, 8.0},
        {"Contact Form 7's textarea", {{"POST__wpcf7_ak_hp_textarea", "x"}}, 8.0},
        {"WordPress's textarea, empty (sent as a bare name)", {{"POST_ak_hp_textarea", ""}}, 0.0},
        {"a field named like a honeypot but not named as one", {{"hp", "x"}}, 0.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.why));
      const auto run = RunCheck(&hamlet::signals::CheckHoneypot, row.fields);
      if (row.at_least == 0.0) {
        CHECK(run.Find("honeypot") == nullptr);
      } else {
        REQUIRE(run.Find("honeypot") != nullptr);
        CHECK(run.Of("honeypot") >= row.at_least);
        CHECK_FALSE(run.Find("honeypot")->detail.empty());
      }
    }
  }

  TEST_CASE("both honeypots filled count once") {
    const auto run = RunCheck(&hamlet::signals::CheckHoneypot,
                              {{"POST_ak_hp_textarea", "x"}, {"honeypot", "y"}});
    CHECK(run.hits.size() == 1);
    CHECK(run.Of("honeypot") == doctest::Approx(8.0));
  }

  TEST_CASE("a failed WordPress nonce is weak evidence and passed or inactive is none") {
    struct Row {
      const char* state;
      double contribution;
    };
    const Row rows[] = {{"failed", 1.0}, {"passed", 0.0}, {"inactive", 0.0}, {"", 0.0}};
    for (const Row& row : rows) {
      INFO(std::string(row.state));
      const auto run = RunCheck(&hamlet::signals::CheckHoneypot,
                                {{"akismet_comment_nonce", row.state}, {"comment_content", "hi"}});
      CHECK(run.Of("honeypot.nonce") == doctest::Approx(row.contribution));
      CHECK(run.Find("honeypot") == nullptr);
    }
  }
}
