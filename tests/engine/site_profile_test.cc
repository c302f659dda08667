// Per-site settings: validation, parsing with defaults, and the policy they produce.
#include "engine/site_profile.h"

#include <doctest/doctest.h>

namespace hamlet::engine {

TEST_SUITE("engine/site_profile") {
  TEST_CASE("valid settings are accepted and bad ones refused with the reason") {
    struct Row {
      const char* name;
      const char* value;
      bool ok;
    };
    const Row rows[] = {
        {"spam_threshold", "0.99", true},
        {"spam_threshold", "1", false},
        {"spam_threshold", "0", false},
        {"spam_threshold", "high", false},
        {"discard_threshold", "1", true},
        {"discard_threshold", "1.5", false},
        {"uncertain_band", "0", true},
        {"uncertain_band", "11", false},
        {"uncertain_answer", "true", true},
        {"uncertain_answer", "false", true},
        {"uncertain_answer", "maybe", false},
        {"min_seconds_to_submit", "2.5", true},
        {"min_seconds_to_submit", "-1", false},
        {"weight.links", "0", true},
        {"weight.links.shortener", "2", true},
        {"weight.nosuchcheck", "1", false},
        {"weight.", "1", false},
        {"weight.links", "-1", false},
        {"weight.links", "nan", false},
        {"webhook_url", "https://site.example/hook", true},
        {"webhook_url", "", true},
        {"webhook_url", "ftp://x.example/", false},
        {"webhook_url", "http://127.0.0.1:8099/hook?site=1", true},
        {"webhook_url", "https://user:pw@x.example/", false},
        {"webhook_url", "https://x.example:99999/", false},
        {"webhook_url", "https:///nohost", false},
        {"outcome_personal_data", "true", true},
        {"outcome_personal_data", "false", true},
        {"outcome_personal_data", "sometimes", false},
        {"webhook_secret", "0123456789abcdef", true},
        {"webhook_secret", "short", false},
        {"no_such_setting", "1", false},
    };
    for (const Row& r : rows) {
      CAPTURE(r.name);
      CAPTURE(r.value);
      const core::Status s = ValidateSiteSetting(r.name, r.value);
      CHECK(s.ok() == r.ok);
      if (!r.ok) {
        CHECK(s.code() == core::StatusCode::kInvalidArgument);
        CHECK(s.message().find(r.name) != std::string::npos);
      }
    }
  }

  TEST_CASE("a site's own rows override the defaults, other sites' rows do not leak") {
    const std::vector<store::SiteSetting> rows = {
        {"", "spam_threshold", "0.9", 1},
        {"", "weight.links", "0.5", 1},
        {"https://a.example/", "spam_threshold", "0.99", 2},
        {"https://a.example/", "uncertain_answer", "true", 2},
        {"https://b.example/", "weight.links", "0", 3},
    };
    const SiteProfile a = ParseSiteProfile(rows, "https://a.example/");
    CHECK(a.spam_threshold == doctest::Approx(0.99));
    CHECK(a.uncertain_answer_spam);
    CHECK(a.checks.WeightOf("links.count") == 0.5);

    const SiteProfile other = ParseSiteProfile(rows, "https://c.example/");
    CHECK(other.spam_threshold == doctest::Approx(0.9));
    CHECK_FALSE(other.uncertain_answer_spam);
    CHECK(other.checks.WeightOf("links.count") == 0.5);

    const SiteProfile defaults = ParseSiteProfile(rows, "");
    CHECK(defaults.spam_threshold == doctest::Approx(0.9));
  }

  TEST_CASE("rows that no longer validate are skipped and reported") {
    const std::vector<store::SiteSetting> rows = {{"", "weight.gone", "1", 1},
                                                  {"", "uncertain_band", "2", 1}};
    std::vector<std::string> skipped;
    const SiteProfile p = ParseSiteProfile(rows, "", &skipped);
    CHECK(p.uncertain_band == doctest::Approx(2.0));
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0].find("weight.gone") != std::string::npos);
  }

  TEST_CASE("Apply overrides the model's policy and keeps it valid") {
    decision::Policy model;
    model.spam_threshold = 0.98;
    model.discard_threshold = 0.99999;
    SiteProfile p;
    CHECK(p.Apply(model)->spam_threshold == doctest::Approx(0.98));
    CHECK_FALSE(p.Apply(model)->uncertain_answer_spam);

    p.spam_threshold = 0.999999;  // above the model's discard tier: the tier moves up with it
    p.uncertain_answer_spam = true;
    auto raised = p.Apply(model);
    REQUIRE(raised);
    CHECK(raised->discard_threshold >= raised->spam_threshold);
    CHECK(raised->uncertain_answer_spam);

    SiteProfile bad;
    bad.spam_threshold = 0.9;
    bad.discard_threshold = 0.5;  // below the spam threshold
    CHECK(bad.Apply(model).error().code() == core::StatusCode::kInvalidArgument);
  }
}

}  // namespace hamlet::engine
