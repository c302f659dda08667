// Tests for retention's deletion of old decisions through engine::Retention on both backends:
// `hamlet stats` (ModerationStats) reports the same totals, days, sites and precision before
// and after the rows are gone, whole UTC days go, and bad ages are refused.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/moderation_stats.h"
#include "engine/retention.h"
#include "support/manual_clock.h"
#include "support/store_backends.h"

namespace hamlet::engine {
namespace {

constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kT0 = 1'699'920'000'000;  // 2023-11-14T00:00:00Z

int serial = 0;

std::string Add(store::Store& store, int64_t at, core::Verdict verdict, const std::string& blog,
                const std::string& label = "", bool is_test = false,
                const std::string& recheck_of = "") {
  store::DecisionRecord r;
  r.id = "d";  // appended: GCC 12 warns falsely on "d" + std::to_string(n)
  r.id += std::to_string(++serial);
  r.created_ms = at;
  r.channel = "akismet";
  r.site_url = "http://key-site.example/";
  r.comment = core::CommentFromFields({{"blog", blog}, {"comment_content", "text " + r.id}});
  r.comment.is_test = is_test;
  if (!recheck_of.empty()) {
    r.comment.recheck_reason = "edit";
    r.recheck_of = recheck_of;
  }
  r.decision.verdict = verdict;
  r.decision.uncertain = serial % 3 == 0;
  r.decision.score = core::IsSpamVerdict(verdict) ? 0.9 : 0.1;
  r.decision.reasons = {{"model", 1.0, "m"}};
  r.model_version = "m@1";
  REQUIRE(store.AppendDecision(r).ok());
  if (!label.empty()) {
    store::FeedbackRecord f;
    f.decision_id = r.id;
    f.label = label;
    f.source = "akismet";
    f.created_ms = at + 1000;
    REQUIRE(store.AppendFeedback(f).has_value());
  }
  return r.id;
}

// Everything of a report but the reasons and domains, as one comparable text.
std::string Summary(const ModerationReport& r) {
  std::string out =
      "total " + std::to_string(r.totals.total()) + " ham " + std::to_string(r.totals.ham) +
      " spam " + std::to_string(r.totals.spam) + " discard " + std::to_string(r.totals.discard) +
      " uncertain " + std::to_string(r.totals.uncertain) + " judged " +
      std::to_string(r.judged.spam_judged) + "/" + std::to_string(r.judged.false_positives) + "/" +
      std::to_string(r.judged.ham_judged) + "/" + std::to_string(r.judged.missed_spam) + "\n";
  for (const DayVolume& d : r.days) {
    out += d.day + " " + std::to_string(d.volume.ham) + "/" + std::to_string(d.volume.spam) + "/" +
           std::to_string(d.volume.discard) + "/" + std::to_string(d.volume.uncertain) + "\n";
  }
  for (const SiteStats& s : r.sites) {
    out += s.site + " " + std::to_string(s.volume.total()) + " fp " +
           std::to_string(s.judged.false_positives) + " missed " +
           std::to_string(s.judged.missed_spam) + "\n";
  }
  return out;
}

std::vector<StatsQuery> Queries() {
  std::vector<StatsQuery> queries;
  StatsQuery all;
  all.since_ms = 0;
  all.until_ms = kT0 + 400 * kDay;
  queries.push_back(all);
  StatsQuery site = all;
  site.site = "http://a.example";  // no trailing slash: matched as the store matches
  queries.push_back(site);
  StatsQuery key_site = all;
  key_site.site = "http://key-site.example/";
  queries.push_back(key_site);
  StatsQuery days = all;
  days.since_ms = kT0 + kDay;
  days.until_ms = kT0 + 3 * kDay;
  queries.push_back(days);
  return queries;
}

}  // namespace

TEST_SUITE("engine/retention_delete") {
  TEST_CASE_TEMPLATE("hamlet stats reports the same before and after old decisions are deleted",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    testing::ManualClock clock(kT0 + 100 * kDay + 5000);
    // Four old days on two sites, every verdict, labels both ways, a test call and a linked
    // recheck (both left out of the statistics), and young decisions that stay.
    for (int day = 0; day < 4; ++day) {
      const int64_t at = kT0 + day * kDay + 3600 * 1000 * day;
      Add(*store, at, core::Verdict::kSpam, "http://a.example/", "spam");
      Add(*store, at + 1, core::Verdict::kSpam, "http://a.example/", "ham");
      Add(*store, at + 2, core::Verdict::kDiscard, "http://b.example/");
      const std::string first = Add(*store, at + 3, core::Verdict::kHam, "", "spam");
      Add(*store, at + 4, core::Verdict::kHam, "http://b.example/", "ham");
      Add(*store, at + 5, core::Verdict::kSpam, "http://a.example/", "", true);
      Add(*store, at + 6, core::Verdict::kHam, "", "", false, first);
    }
    Add(*store, kT0 + 99 * kDay, core::Verdict::kSpam, "http://a.example/", "ham");
    Add(*store, kT0 + 99 * kDay, core::Verdict::kHam, "http://b.example/");
    ModerationStats stats(*store);
    std::vector<std::string> before;
    for (const StatsQuery& q : Queries()) {
      auto report = stats.Report(q);
      REQUIRE(report.has_value());
      before.push_back(Summary(*report));
    }
    CHECK(before[0].rfind("total 22 ", 0) == 0);

    Retention retention(*store, clock);
    auto preview = retention.PreviewDelete(30 * kDay);
    REQUIRE(preview.has_value());
    CHECK(preview->decisions == 28);
    auto deleted = retention.Delete(30 * kDay, 5);
    REQUIRE(deleted.has_value());
    CHECK(deleted->decisions == 28);
    CHECK(deleted->feedback == 16);
    store::DecisionFilter everything;
    CHECK(store->CountMatchingDecisions(everything).value() == 2);

    const std::vector<StatsQuery> queries = Queries();
    for (size_t i = 0; i < queries.size(); ++i) {
      CAPTURE(i);
      auto report = stats.Report(queries[i]);
      REQUIRE(report.has_value());
      CHECK(Summary(*report) == before[i]);
    }
  }

  TEST_CASE("deletes whole UTC days and refuses an age under two days") {
    auto store = testing::OpenTestStore("sqlite");
    REQUIRE(static_cast<bool>(store));
    testing::ManualClock clock(kT0 + 40 * kDay + 12 * 3600 * 1000);               // noon
    Add(*store, kT0 + 10 * kDay + 1, core::Verdict::kSpam, "http://a.example/");  // day 10
    Add(*store, kT0 + 10 * kDay + 23 * 3600 * 1000, core::Verdict::kSpam, "");    // day 10
    Add(*store, kT0 + 11 * kDay + 1, core::Verdict::kSpam, "http://a.example/");  // day 11
    Add(*store, kT0 + 40 * kDay, core::Verdict::kHam, "http://a.example/");       // today
    Retention retention(*store, clock);
    // 29.5 days before noon of day 40 is day 11, 00:00: day 10 goes whole, day 11 stays.
    auto deleted = retention.Delete(29 * kDay + 12 * 3600 * 1000);
    REQUIRE(deleted.has_value());
    CHECK(deleted->decisions == 2);
    store::DecisionFilter everything;
    CHECK(store->CountMatchingDecisions(everything).value() == 2);
    for (int64_t age : {int64_t{0}, kDay, 2 * kDay - 1}) {
      CAPTURE(age);
      CHECK(retention.Delete(age).error().code() == core::StatusCode::kInvalidArgument);
      CHECK(retention.PreviewDelete(age).error().code() == core::StatusCode::kInvalidArgument);
    }
    CHECK(retention.Delete(30 * kDay, 0).error().code() == core::StatusCode::kInvalidArgument);
  }
}

}  // namespace hamlet::engine
