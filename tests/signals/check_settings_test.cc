// Check weights: how a site's settings scale, switch off and validate the checks.
#include "signals/check_settings.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "signals/signal.h"

namespace hamlet::signals {
namespace {

const core::SignalHit* Find(const std::vector<core::SignalHit>& hits, std::string_view check) {
  for (const auto& h : hits) {
    if (h.check == check) return &h;
  }
  return nullptr;
}

std::vector<core::SignalHit> Run(const core::Comment& c, const CheckSettings& settings) {
  const text::TextAnalysis text = text::Analyze(c.comment_content);
  const History history;
  const Lists lists;
  return RunChecks(CheckInput{c, text, history, lists, settings, 0});
}

}  // namespace

TEST_SUITE("signals/check_settings") {
  TEST_CASE("a weight names a check or its family and the full name wins") {
    CheckSettings s;
    s.weights = {{"links", 0.5}, {"links.count", 2.0}};
    CHECK(s.WeightOf("links.count") == 2.0);
    CHECK(s.WeightOf("links.shortener") == 0.5);
    CHECK(s.WeightOf("honeypot") == 1.0);
    CHECK(CheckFamily("links.count") == "links");
    CHECK(CheckFamily("honeypot") == "honeypot");
  }

  TEST_CASE("weights multiply contributions and 0 switches a check off") {
    const core::Comment c =
        core::CommentFromFields({{"comment_content",
                                  "http://a.example http://b.example http://c.example "
                                  "http://d.example"},
                                 {"honeypot_field_name", "hp"},
                                 {"hp", "filled"}});
    const auto plain = Run(c, CheckSettings{});
    REQUIRE(Find(plain, "links.count") != nullptr);
    REQUIRE(Find(plain, "honeypot") != nullptr);

    CheckSettings half;
    half.weights = {{"links", 0.5}};
    const auto halved = Run(c, half);
    REQUIRE(Find(halved, "links.count") != nullptr);
    CHECK(Find(halved, "links.count")->contribution ==
          doctest::Approx(Find(plain, "links.count")->contribution * 0.5));
    CHECK(Find(halved, "honeypot")->contribution == Find(plain, "honeypot")->contribution);

    CheckSettings off;
    off.weights = {{"honeypot", 0.0}, {"links.count", 0.0}};
    const auto none = Run(c, off);
    CHECK(Find(none, "honeypot") == nullptr);
    CHECK(Find(none, "links.count") == nullptr);
  }

  TEST_CASE("a switched-off family cannot force a verdict") {
    const core::Comment c = core::CommentFromFields({{"comment_author", "viagra-test-123"}});
    REQUIRE(Find(Run(c, CheckSettings{}), "akismet.test_spam") != nullptr);
    CheckSettings off;
    off.weights = {{"akismet", 0.0}};
    // Other families may still see the name (author.name_keywords), but nothing forces.
    for (const auto& hit : Run(c, off)) {
      CHECK_FALSE(hit.check.starts_with("akismet"));
      CHECK_FALSE(hit.forced.has_value());
    }
  }

  TEST_CASE("negative, infinite and NaN weights are refused") {
    for (double bad : {-1.0, HUGE_VAL, std::nan("")}) {
      CheckSettings s;
      s.weights = {{"links", bad}};
      CHECK(s.Validate().code() == core::StatusCode::kInvalidArgument);
    }
    CheckSettings s;
    s.min_seconds_to_submit = -1;
    CHECK_FALSE(s.Validate().ok());
    CHECK(CheckSettings{}.Validate().ok());
  }

  TEST_CASE("every family in the check table is unique and documented") {
    std::vector<std::string_view> seen;
    for (const CheckRow& row : CheckTable()) {
      CAPTURE(row.family);
      CHECK_FALSE(row.summary.empty());
      CHECK(row.family.find('.') == std::string_view::npos);
      CHECK(std::find(seen.begin(), seen.end(), row.family) == seen.end());
      seen.push_back(row.family);
    }
  }
}

}  // namespace hamlet::signals
