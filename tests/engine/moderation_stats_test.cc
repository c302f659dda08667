// Tests for moderators' statistics, retention and transfer over a real in-memory SQLite store.
#include "engine/moderation_stats.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/feedback.h"
#include "engine/retention.h"
#include "engine/transfer.h"
#include "store/sqlite_store.h"
#include "support/manual_clock.h"

namespace hamlet::engine {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kT0 = 1'700'000'000'000;  // 2023-11-14 22:13:20 UTC

struct Fixture {
  Fixture() : store(store::OpenSqliteStore(":memory:").value()) {}
  testing::ManualClock clock{kT0 + 10 * kDay};
  std::unique_ptr<store::Store> store;
  Moderation moderation{*store};

  void Add(const std::string& id, int64_t at, core::Verdict verdict, const std::string& blog,
           const std::string& content, const std::string& label = "", bool is_test = false) {
    store::DecisionRecord r;
    r.id = id;
    r.created_ms = at;
    r.channel = "akismet";
    r.site_url = "http://key-site.example/";
    r.comment = core::CommentFromFields({{"blog", blog},
                                         {"comment_content", content},
                                         {"comment_author", "someone"},
                                         {"user_ip", "203.0.113.5"}});
    r.comment.is_test = is_test;
    r.decision.verdict = verdict;
    r.decision.score = core::IsSpamVerdict(verdict) ? 0.9 : 0.1;
    r.decision.reasons = {{"model", 1.0, "m"}};
    if (content.find("http") != std::string::npos)
      r.decision.reasons.push_back({"links.count", 1, "l"});
    r.model_version = "m@1";
    REQUIRE(store->AppendDecision(r).ok());
    if (!label.empty()) {
      store::FeedbackRecord f;
      f.decision_id = id;
      f.label = label;
      f.source = "akismet";
      f.moderator = "mod";
      f.created_ms = at + 1000;
      f.fields = {{"comment_content", content}};
      REQUIRE(store->AppendFeedback(f).has_value());
    }
  }
};

}  // namespace

TEST_SUITE("engine/moderation_stats") {
  TEST_CASE("volumes per day precision as judged by moderators reasons domains per site") {
    Fixture f;
    f.Add("s1", kT0, core::Verdict::kSpam, "http://a.example/", "buy at http://pills.example/x",
          "spam");
    f.Add("s2", kT0, core::Verdict::kSpam, "http://a.example/",
          "http://pills.example and http://casino.example", "ham");
    f.Add("d1", kT0 + 2 * kDay, core::Verdict::kDiscard, "http://b.example/", "www.casino.example");
    f.Add("h1", kT0 + 2 * kDay, core::Verdict::kHam, "http://b.example/", "nice post", "spam");
    f.Add("h2", kT0 + 2 * kDay, core::Verdict::kHam, "", "thanks", "ham");
    f.Add("t1", kT0, core::Verdict::kSpam, "http://a.example/", "test http://test.example", "",
          true);
    ModerationStats stats(*f.store);
    StatsQuery q;
    q.since_ms = kT0 - kDay;
    q.until_ms = kT0 + 5 * kDay;
    auto report = stats.Report(q);
    REQUIRE(report.has_value());
    // The test call is left out everywhere.
    CHECK(report->totals.total() == 5);
    CHECK(report->totals.spam == 2);
    CHECK(report->totals.discard == 1);
    CHECK(report->totals.ham == 2);
    // Every day from the first to the last with data, the empty one between included.
    REQUIRE(report->days.size() == 3);
    CHECK(report->days[0].day == "2023-11-14");
    CHECK(report->days[0].volume.spam == 2);
    CHECK(report->days[1].volume.total() == 0);
    CHECK(report->days[2].day == "2023-11-16");
    CHECK(report->days[2].volume.ham == 2);
    // s1 confirmed, s2 a false positive; h1 missed spam, h2 confirmed.
    CHECK(report->judged.spam_judged == 2);
    CHECK(report->judged.false_positives == 1);
    CHECK(report->judged.SpamPrecision() == doctest::Approx(0.5));
    CHECK(report->judged.ham_judged == 2);
    CHECK(report->judged.missed_spam == 1);
    REQUIRE(report->top_reasons.size() == 2);
    CHECK(report->top_reasons[0].check == "model");
    CHECK(report->top_reasons[0].decisions == 5);
    REQUIRE(report->top_domains.size() == 2);
    CHECK(report->top_domains[0].domain == "casino.example");
    CHECK(report->top_domains[0].decisions == 2);
    CHECK(report->top_domains[1].domain == "pills.example");
    CHECK(report->domain_decisions_scanned == 3);
    // Sites by the submitted blog, the key's site when none was sent; busiest first, then
    // by name.
    REQUIRE(report->sites.size() == 3);
    CHECK(report->sites[0].site == "http://a.example/");
    CHECK(report->sites[0].judged.false_positives == 1);
    CHECK(report->sites[1].site == "http://b.example/");
    CHECK(report->sites[1].judged.missed_spam == 1);
    CHECK(report->sites[2].site == "http://key-site.example/");

    q.site = "http://a.example";
    auto one = stats.Report(q);
    CHECK(one->totals.total() == 2);
    CHECK(one->sites.size() == 1);
    q.until_ms = q.since_ms;
    CHECK(stats.Report(q).error().code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("a retention purge keeps the counts but the domains of purged spam are gone") {
    Fixture f;
    f.Add("s1", kT0, core::Verdict::kSpam, "http://a.example/", "http://pills.example", "ham");
    f.Add("s2", kT0 + 9 * kDay, core::Verdict::kSpam, "http://a.example/", "http://casino.example");
    Retention retention(*f.store, f.clock);
    auto preview = retention.Preview(5 * kDay);
    REQUIRE(preview.has_value());
    CHECK(preview->decisions == 1);
    CHECK(preview->feedback == 1);
    auto purged = retention.Purge(5 * kDay, /*batch_rows=*/1);
    REQUIRE(purged.has_value());
    CHECK(purged->decisions == 1);
    CHECK(purged->feedback == 1);
    CHECK(retention.Purge(5 * kDay)->decisions == 0);
    CHECK(retention.Purge(-1).error().code() == core::StatusCode::kInvalidArgument);

    StatsQuery q;
    q.since_ms = 0;
    q.until_ms = f.clock.now;
    auto report = ModerationStats(*f.store).Report(q);
    REQUIRE(report.has_value());
    CHECK(report->totals.spam == 2);
    CHECK(report->judged.false_positives == 1);
    REQUIRE(report->top_domains.size() == 1);
    CHECK(report->top_domains[0].domain == "casino.example");
  }
}

TEST_SUITE("engine/transfer") {
  TEST_CASE("export gives labeled decisions with their label in force import is idempotent") {
    Fixture source;
    source.Add("a", kT0, core::Verdict::kSpam, "http://a.example/", "buy pills", "spam");
    source.Add("b", kT0 + 1, core::Verdict::kSpam, "http://a.example/", "hello", "ham");
    source.Add("c", kT0 + 2, core::Verdict::kSpam, "http://a.example/", "unlabeled");
    source.Add("t", kT0 + 3, core::Verdict::kSpam, "http://a.example/", "test", "spam", true);
    Transfer out(*source.store, source.moderation, source.clock);
    std::vector<LabeledDecision> items;
    REQUIRE(out.Export(QueueQuery{},
                       [&](const LabeledDecision& item) {
                         items.push_back(item);
                         return core::Status::Ok();
                       })
                .ok());
    REQUIRE(items.size() == 2);
    CHECK(items[0].decision.id == "a");
    CHECK(items[0].label.label == "spam");
    CHECK(items[1].label.label == "ham");
    CHECK(items[1].label.moderator == "mod");

    Fixture target;
    Transfer in(*target.store, target.moderation, target.clock);
    auto dry = in.Import(items, 0, /*dry_run=*/true);
    CHECK(dry->created == 2);
    CHECK_FALSE(target.store->GetDecision("a")->has_value());
    auto first = in.Import(items, 0, false);
    REQUIRE(first.has_value());
    CHECK(first->created == 2);
    auto again = in.Import(items, 0, false);
    REQUIRE(again.has_value());
    CHECK(again->created == 0);
    CHECK(again->unchanged == 2);
    CHECK(target.store->ListFeedback("a")->size() == 1);
    auto imported = (*target.store->GetDecision("b")).value();
    CHECK(imported.channel == "import");
    CHECK(imported.feedback_label == "ham");
    CHECK(imported.comment.comment_content == "hello");
    CHECK(imported.match_key == MatchKey(imported.comment));

    // A later export with another label relabels, once.
    items[1].label.label = "spam";
    auto relabel = in.Import(items, 0, false);
    CHECK(relabel->relabeled == 1);
    CHECK(relabel->unchanged == 1);
    CHECK((*target.store->GetDecision("b"))->feedback_label == "spam");
    CHECK(in.Import(items, 0, false)->relabeled == 0);
    // The same id twice in one file: created once.
    Fixture third;
    Transfer twice(*third.store, third.moderation, third.clock);
    auto doubled = twice.Import({items[0], items[0]}, 0, false);
    CHECK(doubled->created == 1);
    CHECK(doubled->unchanged == 1);
    items[0].label.label = "maybe";
    CHECK(twice.Import({items[0]}, 0, false).error().code() == core::StatusCode::kInvalidArgument);
    // An unknown key: nothing of the transaction is written.
    Fixture fourth;
    Transfer keyed(*fourth.store, fourth.moderation, fourth.clock);
    CHECK(keyed.Import({items[1]}, 42, false).error().code() == core::StatusCode::kInvalidArgument);
    CHECK_FALSE(fourth.store->GetDecision("b")->has_value());
  }
}

}  // namespace hamlet::engine
