#include "decision/decide.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace hamlet;

namespace {
core::Prediction Margin(double m) { return {m, 1.0 / (1.0 + std::exp(-m))}; }
}  // namespace

TEST_SUITE("decision/decide") {
  TEST_CASE("maps the combined log-odds onto ham, spam and discard") {
    decision::Policy policy;
    struct Row {
      double margin;
      core::Verdict verdict;
      bool uncertain;
    };
    const Row rows[] = {
        {-6.0, core::Verdict::kHam, false},    {-0.2, core::Verdict::kHam, true},
        {0.2, core::Verdict::kSpam, true},     {3.0, core::Verdict::kSpam, false},
        {8.0, core::Verdict::kDiscard, false},
    };
    for (const auto& row : rows) {
      CAPTURE(row.margin);
      auto d = decision::Decide(Margin(row.margin), {}, policy);
      CHECK(d.verdict == row.verdict);
      CHECK(d.uncertain == row.uncertain);
      CHECK(d.score == doctest::Approx(1.0 / (1.0 + std::exp(-row.margin))));
    }
  }

  TEST_CASE("adds signal contributions to the model's log-odds and lists every reason") {
    std::vector<core::SignalHit> hits = {{"links.count", 3.0, "4 links", std::nullopt},
                                         {"honeypot", 6.0, "filled", std::nullopt}};
    auto d = decision::Decide(Margin(-2.0), hits, decision::Policy{});
    CHECK(d.score == doctest::Approx(1.0 / (1.0 + std::exp(-7.0))));
    REQUIRE(d.reasons.size() == 3);
    CHECK(d.reasons[0].check == "model");
    CHECK(d.reasons[0].contribution == doctest::Approx(-2.0));
    CHECK(d.reasons[1].check == "links.count");
    CHECK(d.reasons[2].check == "honeypot");
  }

  TEST_CASE("a what-if without some hits agrees with Decide on the remaining hits") {
    const std::vector<core::SignalHit> hits = {
        {"links.count", 1.5, "4 links", std::nullopt},
        {"reputation.ip", 3.0, "this IP: 5 spam", std::nullopt},
        {"campaign", 2.0, "3 senders", std::nullopt},
        {"lists.block_ip", 0, "entry 1", core::Verdict::kSpam}};
    auto history = [](const core::SignalHit& h) {
      return h.check.starts_with("reputation") || h.check.starts_with("campaign");
    };
    for (double margin : {-6.0, -3.5, -1.0, 0.5, 4.0}) {
      CAPTURE(margin);
      const std::vector<core::SignalHit> rest = {hits[0]};
      const auto expected = decision::Decide(Margin(margin), rest, decision::Policy{});
      auto without = decision::DecideWithout(
          Margin(margin), {hits[0], hits[1], hits[2]}, decision::Policy{}, history);
      CHECK(without.verdict == expected.verdict);
      CHECK(without.uncertain == expected.uncertain);
      CHECK(without.log_odds == doctest::Approx(expected.log_odds));
      CHECK(without.reasons.empty());
    }
    // A forcing hit that is kept still settles it; one left out does not.
    auto forced = decision::DecideWithout(Margin(-6.0), hits, decision::Policy{}, history);
    CHECK(forced.verdict == core::Verdict::kSpam);
    auto unforced = decision::DecideWithout(
        Margin(-6.0), hits, decision::Policy{},
        [](const core::SignalHit& h) { return h.check.starts_with("lists"); });
    CHECK(unforced.verdict == core::Verdict::kSpam);  // -6 + 6.5 = +0.5: spam, uncertain
    CHECK(unforced.uncertain);
  }

  TEST_CASE("a forcing hit settles the verdict whatever the model says") {
    std::vector<core::SignalHit> ham = {{"akismet.test_ham", 0, "admin", core::Verdict::kHam}};
    auto d = decision::Decide(Margin(9.0), ham, decision::Policy{});
    CHECK(d.verdict == core::Verdict::kHam);
    CHECK(d.score < 0.01);
    std::vector<core::SignalHit> spam = {{"akismet.test_spam", 0, "hook", core::Verdict::kSpam}};
    auto s = decision::Decide(Margin(-9.0), spam, decision::Policy{});
    CHECK(s.verdict == core::Verdict::kSpam);
    CHECK_FALSE(s.uncertain);
  }

  TEST_CASE(
      "the uncertain band is in log-odds around the threshold, and discard is never uncertain") {
    decision::Policy policy;
    policy.spam_threshold = 1.0 / (1.0 + std::exp(-5.0));  // log-odds 5
    policy.discard_threshold = 1.0 / (1.0 + std::exp(-9.0));
    CHECK(decision::Decide(Margin(4.0), {}, policy).uncertain);  // ham, just below
    CHECK(decision::Decide(Margin(6.0), {}, policy).uncertain);  // spam, just above
    CHECK_FALSE(decision::Decide(Margin(0.0), {}, policy).uncertain);
    CHECK_FALSE(decision::Decide(Margin(7.0), {}, policy).uncertain);
    auto blatant = decision::Decide(Margin(9.5), {}, policy);
    CHECK(blatant.verdict == core::Verdict::kDiscard);
    CHECK_FALSE(blatant.uncertain);
  }

  TEST_CASE("the yes/no answer follows the verdict, except for uncertain decisions") {
    decision::Policy policy;  // spam at P 0.5 (log-odds 0), band 1.5
    struct Row {
      double margin;
      bool uncertain_answer_spam;
      bool answer;
    };
    const Row rows[] = {
        {-6.0, false, false}, {-6.0, true, false},  // clear ham: no, whatever the setting
        {-0.5, false, false}, {-0.5, true, true},   // uncertain ham: the site's answer
        {0.5, false, false},  {0.5, true, true},    // uncertain spam: the site's answer
        {3.0, false, true},   {3.0, true, true},    // clear spam and discard: yes
        {8.0, false, true},
    };
    for (const auto& row : rows) {
      CAPTURE(row.margin);
      CAPTURE(row.uncertain_answer_spam);
      policy.uncertain_answer_spam = row.uncertain_answer_spam;
      CHECK(decision::Decide(Margin(row.margin), {}, policy).answer_spam == row.answer);
    }
    const std::vector<core::SignalHit> forced = {
        {"akismet.test_spam", 0.0, "test", core::Verdict::kSpam}};
    CHECK(decision::Decide(Margin(-9.0), forced, decision::Policy{}).answer_spam);
  }

  TEST_CASE("the first forcing hit in table order wins") {
    std::vector<core::SignalHit> hits = {{"a", 0, "", core::Verdict::kHam},
                                         {"b", 0, "", core::Verdict::kSpam}};
    CHECK(decision::Decide(Margin(0), hits, decision::Policy{}).verdict == core::Verdict::kHam);
  }

  TEST_CASE("model weight scales only the model's part") {
    decision::Policy policy;
    policy.model_weight = 0.5;
    auto d = decision::Decide(Margin(4.0), {}, policy);
    CHECK(d.reasons[0].contribution == doctest::Approx(2.0));
  }
}

TEST_SUITE("decision/policy") {
  TEST_CASE("rejects thresholds out of order or out of range") {
    decision::Policy p;
    CHECK(p.Validate().ok());
    p.spam_threshold = 0.0;
    CHECK_FALSE(p.Validate().ok());
    p = {};
    p.discard_threshold = 0.4;
    CHECK_FALSE(p.Validate().ok());
    p = {};
    p.uncertain_band = 11;
    CHECK_FALSE(p.Validate().ok());
    p = {};
    p.model_weight = -1;
    CHECK(p.Validate().code() == core::StatusCode::kInvalidArgument);
  }
}
