// The list checks: block hits force spam, allow hits lean to ham, logged-in roles lean to ham.
#include "signals/list_checks.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "core/comment.h"
#include "signals/lists.h"
#include "signals/signal.h"
#include "support/signal_hits.h"

using namespace hamlet;
using signals::ListKind;

namespace {

using testing::FindHit;

// Whether any hit is of the lists family (other families' checks may hit the same comment).
bool AnyListHit(const std::vector<core::SignalHit>& hits) {
  for (const auto& h : hits) {
    if (h.check.starts_with("lists.")) return true;
  }
  return false;
}

std::shared_ptr<signals::MatchList> List(
    std::initializer_list<std::pair<ListKind, const char*>> entries) {
  auto list = std::make_shared<signals::MatchList>();
  int n = 0;
  for (const auto& [kind, value] : entries) {
    const std::string origin = "entry " + std::to_string(++n);
    REQUIRE_MESSAGE(list->Add(kind, value, origin, "test note").ok(), value);
  }
  return list;
}

std::vector<core::SignalHit> Run(const signals::Lists& lists, core::FieldList fields) {
  const core::Comment comment = core::CommentFromFields(std::move(fields));
  const text::TextAnalysis text = text::Analyze(comment.comment_content);
  const signals::History history;
  const signals::CheckSettings settings;
  return signals::RunChecks(signals::CheckInput{comment, text, history, lists, settings, 0});
}

}  // namespace

TEST_SUITE("signals/list_checks") {
  TEST_CASE("each kind on the block list forces spam and names the entry") {
    signals::Lists lists;
    lists.block.push_back(List({{ListKind::kIp, "203.0.113.0/24"},
                                {ListKind::kEmail, "bad@mailer.example"},
                                {ListKind::kEmailDomain, "spamhaus-bait.example"},
                                {ListKind::kUrlDomain, "pills.example"},
                                {ListKind::kWord, "replica watches"},
                                {ListKind::kRegex, R"(earn \$\d+ a day)"}}));
    struct Row {
      core::FieldList fields;
      const char* check;
    };
    const Row rows[] = {
        {{{"user_ip", "203.0.113.77"}}, "lists.block_ip"},
        {{{"comment_author_email", "BAD@mailer.example"}}, "lists.block_email"},
        {{{"comment_author_email", "x@eu.spamhaus-bait.example"}}, "lists.block_email_domain"},
        {{{"comment_content", "see www.shop.pills.example/x"}}, "lists.block_url_domain"},
        {{{"comment_author_url", "https://pills.example/"}}, "lists.block_url_domain"},
        {{{"comment_content", "Great REPLICA watches!"}}, "lists.block_word"},
        {{{"comment_content", "You can EARN $300 a day from home"}}, "lists.block_regex"},
    };
    for (const Row& row : rows) {
      const std::string shown_check = row.check;
      CAPTURE(shown_check);
      auto hits = Run(lists, row.fields);
      const core::SignalHit* hit = FindHit(hits, row.check);
      REQUIRE(hit != nullptr);
      CHECK(hit->forced == core::Verdict::kSpam);
      CHECK(hit->detail.find("block list (entry ") != std::string::npos);
      CHECK(hit->detail.find("test note") != std::string::npos);
    }
    auto clean = Run(lists, {{"user_ip", "198.51.100.1"},
                             {"comment_author_email", "ann@mail.example"},
                             {"comment_content", "A watch repair guide, thanks."}});
    CHECK_FALSE(AnyListHit(clean));
  }

  TEST_CASE("a block reason never shows the commenter's address or IP") {
    signals::Lists lists;
    lists.block.push_back(
        List({{ListKind::kIp, "203.0.113.77"}, {ListKind::kEmail, "bad@mailer.example"}}));
    auto hits =
        Run(lists, {{"user_ip", "203.0.113.77"}, {"comment_author_email", "bad@mailer.example"}});
    REQUIRE(hits.size() == 2);
    for (const auto& h : hits) {
      CHECK(h.detail.find("203.0.113.77") == std::string::npos);
      CHECK(h.detail.find("bad@mailer.example") == std::string::npos);
    }
  }

  TEST_CASE("allow-list hits lean to ham without forcing, by how much each kind vouches") {
    signals::Lists lists;
    lists.allow.push_back(List({{ListKind::kIp, "198.51.100.0/24"},
                                {ListKind::kEmail, "editor@news.example"},
                                {ListKind::kEmailDomain, "staff.example"},
                                {ListKind::kUrlDomain, "wikipedia.org"},
                                {ListKind::kWord, "open source"},
                                {ListKind::kRegex, "RFC \\d+"}}));
    struct Row {
      core::FieldList fields;
      const char* check;
      double contribution;
    };
    const Row rows[] = {
        {{{"user_ip", "198.51.100.9"}}, "lists.allow_ip", -5.0},
        {{{"comment_author_email", "editor@news.example"}}, "lists.allow_email", -5.0},
        {{{"comment_author_email", "a@staff.example"}}, "lists.allow_email_domain", -3.0},
        {{{"comment_content", "see https://en.wikipedia.org/wiki/Spam"}},
         "lists.allow_url_domain",
         -3.0},
        {{{"comment_content", "I love open source tools"}}, "lists.allow_word", -2.0},
        {{{"comment_content", "as RFC 5321 says"}}, "lists.allow_regex", -2.0},
    };
    for (const Row& row : rows) {
      const std::string shown_check = row.check;
      CAPTURE(shown_check);
      auto hits = Run(lists, row.fields);
      const core::SignalHit* hit = FindHit(hits, row.check);
      REQUIRE(hit != nullptr);
      CHECK_FALSE(hit->forced.has_value());
      CHECK(hit->contribution == doctest::Approx(row.contribution));
    }
  }

  TEST_CASE("an allowed link does not vouch for another link in the same comment") {
    signals::Lists lists;
    lists.allow.push_back(List({{ListKind::kUrlDomain, "wikipedia.org"}}));
    auto mixed =
        Run(lists,
            {{"comment_content", "see https://en.wikipedia.org/wiki/X and http://pills.example"}});
    CHECK(FindHit(mixed, "lists.allow_url_domain") == nullptr);
    auto with_author_url = Run(lists, {{"comment_content", "see https://en.wikipedia.org/wiki/X"},
                                       {"comment_author_url", "http://pills.example"}});
    CHECK(FindHit(with_author_url, "lists.allow_url_domain") == nullptr);
    auto no_links = Run(lists, {{"comment_content", "nothing linked"}});
    CHECK_FALSE(AnyListHit(no_links));
  }

  TEST_CASE("a block hit wins over an allow hit, and a filled honeypot still counts") {
    signals::Lists lists;
    lists.allow.push_back(List({{ListKind::kEmail, "ann@mail.example"}}));
    lists.block.push_back(List({{ListKind::kWord, "casino"}}));
    auto both = Run(
        lists, {{"comment_author_email", "ann@mail.example"}, {"comment_content", "casino night"}});
    REQUIRE(FindHit(both, "lists.block_word") != nullptr);
    REQUIRE(FindHit(both, "lists.allow_email") != nullptr);
    CHECK(FindHit(both, "lists.block_word")->forced == core::Verdict::kSpam);

    auto honeypot = Run(lists, {{"comment_author_email", "ann@mail.example"},
                                {"honeypot_field_name", "hp"},
                                {"hp", "filled"}});
    REQUIRE(FindHit(honeypot, "honeypot") != nullptr);
    CHECK(FindHit(honeypot, "honeypot")->contribution +
              FindHit(honeypot, "lists.allow_email")->contribution >
          0.0);
  }

  TEST_CASE("every list that applies is consulted: every site's, then the site's own") {
    signals::Lists lists;
    lists.block.push_back(List({{ListKind::kWord, "casino"}}));
    lists.block.push_back(List({{ListKind::kWord, "poker"}}));
    CHECK(FindHit(Run(lists, {{"comment_content", "poker"}}), "lists.block_word") != nullptr);
    CHECK(FindHit(Run(lists, {{"comment_content", "casino"}}), "lists.block_word") != nullptr);
  }

  TEST_CASE("logged-in roles lean to ham, more for roles the site grants") {
    struct Row {
      const char* role;
      double contribution;
    };
    const Row rows[] = {{"", 0.0},
                        {"guest", 0.0},
                        {"administrator", 0.0},  // Akismet's test hook settles it already
                        {"subscriber", -1.0},
                        {"customer", -1.0},
                        {"Editor", -3.0},
                        {"author", -3.0},
                        {"contributor", -3.0},
                        {"subscriber, editor", -3.0},
                        {" , ", 0.0}};
    for (const Row& row : rows) {
      const std::string shown_role = row.role;
      CAPTURE(shown_role);
      CHECK(signals::RoleContribution(row.role) == doctest::Approx(row.contribution));
    }
    signals::Lists none;
    auto hits = Run(none, {{"user_role", "subscriber"}});
    REQUIRE(FindHit(hits, "lists.role") != nullptr);
    CHECK(FindHit(hits, "lists.role")->detail.find("subscriber") != std::string::npos);
    CHECK_FALSE(AnyListHit(Run(none, {{"user_role", "guest"}})));
  }

  TEST_CASE("a list kind can be switched off by its weight") {
    signals::Lists lists;
    lists.block.push_back(List({{ListKind::kWord, "casino"}}));
    const core::Comment comment = core::CommentFromFields({{"comment_content", "casino"}});
    const text::TextAnalysis text = text::Analyze(comment.comment_content);
    const signals::History history;
    signals::CheckSettings settings;
    settings.weights["lists.block_word"] = 0.0;
    auto hits = signals::RunChecks(signals::CheckInput{comment, text, history, lists, settings, 0});
    CHECK(FindHit(hits, "lists.block_word") == nullptr);
  }
}
