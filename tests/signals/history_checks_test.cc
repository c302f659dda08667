// The checks that read History (reputation, campaign, rate, trust), table-driven over
// hand-built histories: no evidence says nothing, each figure maps to its documented
// contribution, caps hold.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/comment.h"
#include "signals/campaign.h"
#include "signals/history_support.h"
#include "signals/rate.h"
#include "signals/reputation.h"
#include "signals/signal.h"
#include "signals/trust.h"
#include "text/normalize.h"

using namespace hamlet;
using signals::History;
using signals::Tally;
using signals::TraitHistory;
using signals::TraitKind;

namespace {

// Runs one check over `history` for an ordinary comment.
std::vector<core::SignalHit> Run(signals::CheckFn check, const History& history) {
  static const core::Comment comment = core::CommentFromFields({{"comment_content", "hello"}});
  static const text::TextAnalysis text = text::Analyze(comment.comment_content);
  static const signals::Lists lists;
  static const signals::CheckSettings settings;
  std::vector<core::SignalHit> hits;
  check(signals::CheckInput{comment, text, history, lists, settings, 0}, hits);
  return hits;
}

double Sum(const std::vector<core::SignalHit>& hits) {
  double total = 0;
  for (const auto& h : hits) total += h.contribution;
  return total;
}

History WithTrait(TraitKind kind, Tally site, Tally global, std::string value = "") {
  History h;
  h.available = true;
  h.half_life_days = 7;
  h.traits.push_back({kind, std::move(value), site, global});
  return h;
}

}  // namespace

TEST_SUITE("signals/history") {
  TEST_CASE("counts in reasons: whole numbers plain and one decimal below ten") {
    CHECK(signals::CountText(0.0) == "0");
    CHECK(signals::CountText(3.0) == "3");
    CHECK(signals::CountText(2.25) == "2.3");
    CHECK(signals::CountText(0.04) == "0");
    CHECK(signals::CountText(9.96) == "10");
    CHECK(signals::CountText(12.4) == "12");
    CHECK(signals::CountText(1234.5) == "1235");
  }

  TEST_CASE("every history check says nothing without memory or without evidence") {
    History unavailable;
    unavailable.traits.push_back({TraitKind::kIp, "", {9, 0, 9, 0}, {9, 0, 9, 0}});
    unavailable.campaign = {true, 9, 9, 9, 9, 0, 0, 3'600'000};
    unavailable.rate = {50, 50, 50, 50};
    History empty;
    empty.available = true;
    empty.traits.push_back({TraitKind::kIp, "", {}, {}});
    empty.traits.push_back({TraitKind::kEmail, "", {}, {}});
    for (signals::CheckFn check : {&signals::CheckReputation, &signals::CheckCampaign,
                                   &signals::CheckRate, &signals::CheckTrust}) {
      CHECK(Run(check, unavailable).empty());
      CHECK(Run(check, empty).empty());
    }
  }

  TEST_CASE("reputation is a smoothed capped log-ratio of decayed evidence") {
    struct Row {
      const char* name;
      Tally site, global;
      double want;  // TraitReputation
    };
    const double ln = 0.8;
    const Row rows[] = {
        {"one verdict is too little evidence", {1, 0, 0, 0}, {1, 0, 0, 0}, 0.0},
        {"three spam verdicts", {3, 0, 0, 0}, {3, 0, 0, 0}, ln * std::log(4.0)},
        {"verdicts alone stop at +1.5", {40, 0, 0, 0}, {40, 0, 0, 0}, 1.5},
        {"a moderator report weighs three", {0, 0, 1, 0}, {0, 0, 1, 0}, ln * std::log(4.0)},
        {"reports lift the cap to +3", {0, 0, 30, 0}, {0, 0, 30, 0}, 3.0},
        {"mixed evidence nets out", {4, 4, 0, 0}, {4, 4, 0, 0}, 0.0},
        {"ham verdicts alone stop at -1", {0, 40, 0, 0}, {0, 40, 0, 0}, -1.0},
        {"approvals allow -1.5", {0, 0, 0, 30}, {0, 0, 0, 30}, -1.5},
        {"other sites count half", {0, 0, 0, 0}, {4, 0, 0, 0}, ln * std::log(3.0)},
        {"site and other sites together", {2, 0, 0, 0}, {4, 0, 0, 0}, ln * std::log(4.0)},
    };
    for (const Row& row : rows) {
      CAPTURE(row.name);
      CHECK(signals::TraitReputation({TraitKind::kIp, "", row.site, row.global}) ==
            doctest::Approx(row.want));
    }
  }

  TEST_CASE("reputation names the trait and uses the network only without IP evidence") {
    auto ip = Run(&signals::CheckReputation, WithTrait(TraitKind::kIp, {3, 0, 0, 0}, {3, 0, 0, 0}));
    REQUIRE(ip.size() == 1);
    CHECK(ip[0].check == "reputation.ip");
    CHECK(ip[0].detail.find("this IP: 3 spam and 0 ham verdicts") == 0);

    History net = WithTrait(TraitKind::kIp, {}, {});
    net.traits.push_back({TraitKind::kNet, "", {4, 0, 0, 0}, {4, 0, 0, 0}});
    auto hits = Run(&signals::CheckReputation, net);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].check == "reputation.network");
    CHECK(hits[0].contribution == doctest::Approx(0.5 * 0.8 * std::log(5.0)));

    net.traits[0].site = {3, 0, 0, 0};
    net.traits[0].global = {3, 0, 0, 0};
    hits = Run(&signals::CheckReputation, net);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].check == "reputation.ip");
  }

  TEST_CASE("linked domains lean spam only and show the domain") {
    History h = WithTrait(TraitKind::kLinkedDomain, {0, 30, 0, 0}, {0, 30, 0, 0}, "wiki.example");
    CHECK(Run(&signals::CheckReputation, h).empty());
    h.traits.push_back({TraitKind::kLinkedDomain, "pills.example", {5, 0, 0, 0}, {5, 0, 0, 0}});
    auto hits = Run(&signals::CheckReputation, h);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].check == "reputation.linked_domain");
    CHECK(hits[0].detail.find("pills.example") != std::string::npos);
  }

  TEST_CASE("the reputation family is capped at +4 and -2 in all") {
    History spam;
    spam.available = true;
    for (TraitKind kind :
         {TraitKind::kIp, TraitKind::kEmail, TraitKind::kAuthorDomain, TraitKind::kLinkedDomain}) {
      spam.traits.push_back({kind, "x.example", {0, 0, 30, 0}, {0, 0, 30, 0}});
    }
    auto hits = Run(&signals::CheckReputation, spam);
    CHECK(hits.size() == 4);
    CHECK(Sum(hits) == doctest::Approx(4.0));

    History ham;
    ham.available = true;
    for (TraitKind kind : {TraitKind::kIp, TraitKind::kEmail, TraitKind::kAuthorDomain}) {
      ham.traits.push_back({kind, "x.example", {0, 0, 0, 30}, {0, 0, 0, 30}});
    }
    CHECK(Sum(Run(&signals::CheckReputation, ham)) == doctest::Approx(-2.0));
  }

  TEST_CASE("a campaign needs an earlier copy and grows with senders and sites") {
    struct Row {
      const char* name;
      signals::CampaignHistory c;
      double want;  // 0: no hit
    };
    const int64_t w = 72 * 3'600'000LL;
    const Row rows[] = {
        {"first sighting", {true, 0, 1, 1, 1, 0, 0, w}, 0.0},
        {"too short to fingerprint", {false, 5, 5, 5, 5, 0, 0, w}, 0.0},
        {"one sender resubmitting", {true, 1, 1, 1, 1, 0, 0, w}, 0.0},
        {"one sender on three posts", {true, 2, 1, 1, 3, 0, 0, w}, 1.0},
        {"one sender on two sites", {true, 1, 1, 2, 2, 0, 0, w}, 1.0},
        {"two senders", {true, 1, 2, 1, 1, 0, 0, w}, 1.5},
        {"three senders", {true, 2, 3, 1, 1, 0, 0, w}, 3.0},
        {"three senders on two sites", {true, 2, 3, 2, 2, 0, 0, w}, 3.5},
        {"many senders stop at +5 (+0.5 sites)", {true, 40, 30, 9, 9, 0, 0, w}, 5.5},
        {"a reported copy adds 1.5, at most 6", {true, 40, 30, 9, 9, 3, 0, w}, 6.0},
        {"an approved copy silences it", {true, 40, 30, 9, 9, 0, 1, w}, 0.0},
    };
    for (const Row& row : rows) {
      CAPTURE(row.name);
      History h;
      h.available = true;
      h.campaign = row.c;
      auto hits = Run(&signals::CheckCampaign, h);
      if (row.want == 0.0) {
        CHECK(hits.empty());
      } else {
        REQUIRE(hits.size() == 1);
        CHECK(hits[0].check == "campaign");
        CHECK(hits[0].contribution == doctest::Approx(row.want));
      }
    }
  }

  TEST_CASE("the campaign reason says how many copies from how many senders") {
    History h;
    h.available = true;
    h.campaign = {true, 2, 3, 2, 2, 0, 0, 72 * 3'600'000LL};
    auto hits = Run(&signals::CheckCampaign, h);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].detail ==
          "2 earlier copies of this text; with this one from 3 senders on 2 "
          "sites in 72 h");
  }

  TEST_CASE("rate steps per sender and window with the family capped at +3") {
    struct Row {
      const char* name;
      signals::RateHistory r;
      double want;
    };
    const Row rows[] = {
        {"quiet", {2, 14, 9, 9}, 0.0},
        {"3 in a minute from the IP", {3, 3, 0, 0}, 1.0},
        {"6 in a minute", {6, 6, 0, 0}, 2.0},
        {"12 in a minute", {12, 12, 0, 0}, 3.0},
        {"15 in an hour", {0, 15, 0, 0}, 1.0},
        {"40 in an hour", {1, 40, 0, 0}, 2.0},
        {"10 from an e-mail in an hour", {0, 0, 10, 0}, 1.0},
        {"30 from an author URL", {0, 0, 0, 30}, 2.0},
        {"everything at once stays at +3", {12, 40, 30, 30}, 3.0},
    };
    for (const Row& row : rows) {
      CAPTURE(row.name);
      History h;
      h.available = true;
      h.rate = row.r;
      CHECK(Sum(Run(&signals::CheckRate, h)) == doctest::Approx(row.want));
    }
    History h;
    h.available = true;
    h.rate = {5, 5, 0, 0};
    auto hits = Run(&signals::CheckRate, h);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].check == "rate.ip");
    CHECK(hits[0].detail == "5 earlier comments from this IP in the last minute");
  }

  TEST_CASE("trust comes from moderators' approvals on this site only") {
    struct Row {
      const char* name;
      TraitKind kind;
      Tally site, global;
      double want;
      const char* check;
    };
    const Row rows[] = {
        {"no approvals", TraitKind::kEmail, {0, 5, 0, 0}, {0, 5, 0, 0}, 0.0, ""},
        {"approvals elsewhere only", TraitKind::kEmail, {}, {0, 0, 0, 3}, 0.0, ""},
        {"one approval", TraitKind::kEmail, {0, 0, 0, 1}, {0, 0, 0, 1}, -1.5, "trust.email"},
        {"three approvals",
         TraitKind::kAuthorUrl,
         {0, 0, 0, 3},
         {0, 0, 0, 3},
         -2.5,
         "trust.author_url"},
        {"at most -3", TraitKind::kEmail, {0, 0, 0, 20}, {0, 0, 0, 20}, -3.0, "trust.email"},
        {"a report on the site ends trust", TraitKind::kEmail, {0, 0, 1, 5}, {0, 0, 1, 5}, 0.0, ""},
        {"more spam verdicts than approvals",
         TraitKind::kEmail,
         {3, 0, 0, 1},
         {3, 0, 0, 1},
         0.0,
         ""},
        {"an IP is not a commenter", TraitKind::kIp, {0, 0, 0, 5}, {0, 0, 0, 5}, 0.0, ""},
    };
    for (const Row& row : rows) {
      CAPTURE(row.name);
      auto hits = Run(&signals::CheckTrust, WithTrait(row.kind, row.site, row.global));
      if (row.want == 0.0) {
        CHECK(hits.empty());
      } else {
        REQUIRE(hits.size() == 1);
        CHECK(hits[0].check == row.check);
        CHECK(hits[0].contribution == doctest::Approx(row.want));
      }
    }
  }

  TEST_CASE("history checks run in the documented table order after the content checks") {
    std::vector<std::string> families;
    for (const signals::CheckRow& row : signals::CheckTable()) families.emplace_back(row.family);
    const std::vector<std::string> tail = {"reputation", "campaign", "rate", "trust"};
    REQUIRE(families.size() >= tail.size());
    CHECK(std::vector<std::string>(families.end() - 4, families.end()) == tail);
    for (const std::string& f : tail) CHECK(signals::ReadsHistory(f + ".x"));
    CHECK_FALSE(signals::ReadsHistory("links.count"));
    CHECK_FALSE(signals::ReadsHistory("ratelimit"));
  }
}
