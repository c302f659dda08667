#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/comment.h"
#include "signals/signal.h"
#include "text/normalize.h"

using namespace hamlet;

namespace {
const core::SignalHit* Find(const std::vector<core::SignalHit>& hits, const std::string& check) {
  for (const auto& h : hits) {
    if (h.check == check) return &h;
  }
  return nullptr;
}
}  // namespace

TEST_SUITE("signals/checks") {
  TEST_CASE("Akismet's test hooks force their verdicts") {
    auto spam =
        signals::RunChecks(core::CommentFromFields({{"comment_author", "viagra-test-123"}}));
    REQUIRE(Find(spam, "akismet.test_spam") != nullptr);
    CHECK(Find(spam, "akismet.test_spam")->forced == core::Verdict::kSpam);

    auto email = signals::RunChecks(
        core::CommentFromFields({{"comment_author_email", "akismet-guaranteed-spam@example.com"}}));
    CHECK(Find(email, "akismet.test_spam") != nullptr);

    auto admin =
        signals::RunChecks(core::CommentFromFields({{"user_role", "editor, administrator"}}));
    REQUIRE(Find(admin, "akismet.test_ham") != nullptr);
    CHECK(Find(admin, "akismet.test_ham")->forced == core::Verdict::kHam);

    auto plain = signals::RunChecks(core::CommentFromFields(
        {{"comment_author", "viagra-test-1234"}, {"user_role", "administrators"}}));
    CHECK(Find(plain, "akismet.test_spam") == nullptr);
    CHECK(Find(plain, "akismet.test_ham") == nullptr);
  }

  TEST_CASE("the administrator hook comes first, so it wins over a spam hook") {
    auto hits = signals::RunChecks(core::CommentFromFields(
        {{"comment_author", "viagra-test-123"}, {"user_role", "administrator"}}));
    REQUIRE(!hits.empty());
    CHECK(hits.front().forced == core::Verdict::kHam);
  }

  TEST_CASE("three or more links add evidence, one or two do not") {
    auto two = signals::RunChecks(
        core::CommentFromFields({{"comment_content", "http://a.example http://b.example"}}));
    CHECK(Find(two, "links.count") == nullptr);
    auto four = signals::RunChecks(core::CommentFromFields(
        {{"comment_content", "http://a.example http://b.example http://c.example www.d.example"}}));
    REQUIRE(Find(four, "links.count") != nullptr);
    CHECK(Find(four, "links.count")->contribution > 0);
  }

  TEST_CASE("a filled honeypot is strong evidence of spam, an empty one is nothing") {
    auto filled =
        signals::RunChecks(core::CommentFromFields({{"honeypot_field_name", "hp"}, {"hp", "x"}}));
    REQUIRE(Find(filled, "honeypot") != nullptr);
    CHECK(Find(filled, "honeypot")->contribution >= 5);
    auto wp = signals::RunChecks(core::CommentFromFields({{"POST_ak_hp_textarea", "spam"}}));
    CHECK(Find(wp, "honeypot") != nullptr);
    auto empty = signals::RunChecks(core::CommentFromFields({{"honeypot_field_name", "hp"}}));
    CHECK(Find(empty, "honeypot") == nullptr);
  }

  TEST_CASE("the table runs the content and form families in the agreed relative order") {
    // akismet, honeypot, timing, lists, links, contact, author, reputation, campaign, rate,
    // trust (ISSUE5_DESIGN.md): other families may sit between these, never out of order.
    const std::vector<std::string> wanted = {"akismet", "honeypot", "timing", "links", "contact"};
    std::vector<std::string> present;
    for (const auto& row : signals::CheckTable()) {
      for (const auto& w : wanted) {
        if (row.family == w) present.emplace_back(row.family);
      }
      CHECK_FALSE(row.summary.empty());
    }
    CHECK(present == wanted);
  }

  TEST_CASE("a check's own weight of 0 drops it and leaves its family's other checks") {
    core::Comment c = core::CommentFromFields(
        {{"comment_author", "cheap-meds.com"},
         {"comment_content", "see bit.ly/x and https://a.example.com for it"}});
    const text::TextAnalysis text = text::Analyze(c.comment_content);
    const signals::History history;
    const signals::Lists lists;
    signals::CheckSettings settings;
    settings.weights["links.shortener"] = 0.0;
    settings.weights["links"] = 2.0;
    auto hits = signals::RunChecks(signals::CheckInput{c, text, history, lists, settings, 0});
    CHECK(Find(hits, "links.shortener") == nullptr);
    REQUIRE(Find(hits, "links.author_name") != nullptr);
    CHECK(Find(hits, "links.author_name")->contribution == doctest::Approx(3.0));
  }
}
