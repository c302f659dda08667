// Tests for matching WordPress's guid-less reports and rechecks to the original decision, and
// for the per-key statistics (engine::Usage), over a real in-memory SQLite store.
#include <doctest/doctest.h>

#include "core/comment.h"
#include "engine/feedback.h"
#include "engine/filter.h"
#include "engine/key_service.h"
#include "engine/usage.h"
#include "store/sqlite_store.h"
#include "support/fake_classifier.h"

using namespace hamlet;

namespace {

struct Clock final : core::Clock {
  int64_t now = 1768478400000;  // 2026-01-15 12:00 UTC
  int64_t NowMillis() const override { return now; }
};

struct Fixture {
  Fixture() : store(store::OpenSqliteStore(":memory:").value()) {}
  Clock clock;
  testing::FakeClassifier classifier;
  std::unique_ptr<store::Store> store;
  engine::KeyService keys{*store, clock};
  engine::Filter filter{classifier, *store, decision::Policy{}, clock};
  engine::FeedbackService feedback{*store, clock};
  engine::Usage usage{*store, clock};
  store::SiteKey site = keys.Create("http://127.0.0.1:8000")->record;
};

// What WordPress's Akismet plugin 5.0.2 sends for one comment, per call (shortened).
core::Comment FromForm(const std::string& ak_js, const std::string& content = "Nice post") {
  return core::CommentFromFields({{"comment_author", "Jane Reader"},
                                  {"comment_author_email", "jane@example.test"},
                                  {"comment_content", content},
                                  {"user_ip", "127.0.0.1"},
                                  {"user_agent", "Mozilla/5.0 e2e"},
                                  {"permalink", "http://127.0.0.1:8000/hello-world/"},
                                  {"referrer", "http://127.0.0.1:8000/hello-world/"},
                                  {"POST_ak_js", ak_js},
                                  {"blog", "http://127.0.0.1:8000"}});
}
core::Comment Submitted(const std::string& ak_js, const std::string& reporter) {
  core::Comment c = FromForm(ak_js);  // no referrer, but comment_ID, reporter, ...
  c = core::CommentFromFields({{"comment_ID", "7"},
                               {"comment_author", c.comment_author},
                               {"comment_author_email", c.comment_author_email},
                               {"comment_content", c.comment_content},
                               {"user_ip", c.user_ip},
                               {"user_agent", c.user_agent},
                               {"permalink", c.permalink},
                               {"POST_ak_js", ak_js},
                               {"reporter", reporter},
                               {"comment_approved", "spam"},
                               {"blog", c.blog}});
  return c;
}
core::Comment Recheck(const std::string& reason, const std::string& content = "Nice post") {
  core::Comment c = FromForm("", content);  // rechecks are built from the database row: no POST_*
  c.fields.emplace_back("recheck_reason", reason);
  c.recheck_reason = reason;
  return c;
}

}  // namespace

TEST_SUITE("engine/recheck") {
  TEST_CASE("a guid-less report links to the check with the same values and POST_ak_js") {
    Fixture f;
    auto first = f.filter.Check(FromForm("1700000000001"), f.site, "akismet");
    auto twin = f.filter.Check(FromForm("1700000000002"), f.site, "akismet");  // same text again
    REQUIRE(first);
    REQUIRE(twin);
    auto report = f.feedback.Submit(Submitted("1700000000001", "admin"), f.site,
                                    engine::Label::kSpam, "", "akismet");
    REQUIRE(report);
    CHECK(report->decision_id == first->id);
    auto history = f.store->ListFeedback(first->id);
    REQUIRE(history);
    REQUIRE(history->size() == 1);
    CHECK((*history)[0].moderator == "admin");

    // Without POST_ak_js the newest look-alike is taken.
    core::Comment bare = Submitted("", "admin");
    auto newest = f.feedback.Submit(bare, f.site, engine::Label::kHam, "", "akismet");
    REQUIRE(newest);
    CHECK(newest->decision_id == twin->id);
  }

  TEST_CASE("a different user agent or permalink is another comment") {
    Fixture f;
    REQUIRE(f.filter.Check(FromForm("1"), f.site, "akismet"));
    core::Comment other = Submitted("1", "admin");
    other.user_agent = "curl/7.88";
    auto report = f.feedback.Submit(other, f.site, engine::Label::kSpam, "", "akismet");
    REQUIRE(report);
    CHECK(report->decision_id.empty());
  }

  TEST_CASE("a recheck links to the first check, and reports on it reach the first check") {
    Fixture f;
    auto first = f.filter.Check(FromForm("1700000000001"), f.site, "akismet");
    REQUIRE(first);
    f.clock.now += 1000;
    auto again = f.filter.Check(Recheck("recheck_queue"), f.site, "akismet");
    REQUIRE(again);
    auto stored = f.store->GetDecision(again->id);
    REQUIRE(stored);
    CHECK((*stored)->recheck_of == first->id);
    // A second recheck still names the first check, not the recheck.
    f.clock.now += 1000;
    auto third = f.filter.Check(Recheck("retry"), f.site, "akismet");
    REQUIRE(third);
    CHECK((*f.store->GetDecision(third->id))->recheck_of == first->id);
    // A report matched to (or naming the guid of) a recheck lands on the first check.
    auto by_values = f.feedback.Submit(Submitted("1700000000001", "admin"), f.site,
                                       engine::Label::kSpam, "", "akismet");
    REQUIRE(by_values);
    CHECK(by_values->decision_id == first->id);
    auto by_guid = f.feedback.Submit(Submitted("", "admin"), f.site, engine::Label::kHam,
                                     third->id, "akismet");
    REQUIRE(by_guid);
    CHECK(by_guid->decision_id == first->id);
  }

  TEST_CASE("a recheck of a comment never checked before (hamletd was down) is a first check") {
    Fixture f;
    auto retry = f.filter.Check(Recheck("retry"), f.site, "akismet");
    REQUIRE(retry);
    CHECK((*f.store->GetDecision(retry->id))->recheck_of.empty());
  }
}

TEST_SUITE("engine/usage") {
  TEST_CASE("stats count comments once, with missed spam, false positives and accuracy") {
    Fixture f;
    f.classifier.fixed_margin = -4.0;
    auto ham = f.filter.Check(FromForm("1", "first"), f.site, "akismet");
    auto ham2 = f.filter.Check(FromForm("2", "second"), f.site, "akismet");
    REQUIRE(ham);
    REQUIRE(ham2);
    REQUIRE(f.filter.Check(Recheck("recheck_queue", "first"), f.site, "akismet"));
    REQUIRE(f.feedback.Submit(Submitted("1", "admin"), f.site, engine::Label::kSpam, ham->id,
                              "akismet"));

    auto stats = f.usage.Stats(f.site, "all");
    REQUIRE(stats);
    CHECK(stats->totals.api_calls == 3);
    CHECK(stats->totals.ham == 2);
    CHECK(stats->totals.spam == 0);
    CHECK(stats->totals.missed_spam == 1);
    CHECK(stats->totals.Accuracy() == doctest::Approx(50.0));
    REQUIRE(stats->breakdown.size() == 1);
    CHECK(stats->breakdown[0].period == "2026-01");
    CHECK(f.usage.Stats(f.site, "6-months")->totals.ham == 2);
    CHECK(f.usage.Stats(f.site, "forever").error().code() == core::StatusCode::kInvalidArgument);

    auto month = f.usage.ThisMonth(f.site);
    REQUIRE(month);
    CHECK(month->month == "2026-01");
    CHECK(month->usage == 3);
    f.clock.now += int64_t{40} * 24 * 3600 * 1000;  // February: nothing yet
    CHECK(f.usage.ThisMonth(f.site)->usage == 0);
    CHECK(f.usage.Stats(f.site, "6-months")->totals.ham == 2);
    CHECK(f.usage.Stats(f.site, "60-days")->totals.ham == 2);
  }

  TEST_CASE("key-sites lists the blogs that used the key in a month, ordered and paged") {
    Fixture f;
    REQUIRE(f.filter.Check(FromForm("1", "a"), f.site, "akismet"));
    core::Comment other = FromForm("2", "b");
    other.blog = "http://other.example";
    REQUIRE(f.filter.Check(other, f.site, "akismet"));
    REQUIRE(f.filter.Check(FromForm("3", "c"), f.site, "akismet"));

    auto sites = f.usage.KeySites(f.site, {});
    REQUIRE(sites);
    CHECK(sites->month == "2026-01");
    CHECK(sites->total == 2);
    REQUIRE(sites->sites.size() == 2);
    CHECK(sites->sites[0].site == "http://127.0.0.1:8000");
    CHECK(sites->sites[0].stats.api_calls == 2);
    CHECK_FALSE(sites->revoked);

    engine::KeySitesQuery q;
    q.filter = "other";
    CHECK(f.usage.KeySites(f.site, q)->sites.size() == 1);
    q = {};
    q.limit = 1;
    q.offset = 1;
    auto page = f.usage.KeySites(f.site, q);
    REQUIRE(page->sites.size() == 1);
    CHECK(page->sites[0].site == "http://other.example");
    q = {};
    q.month = "2025-12";
    CHECK(f.usage.KeySites(f.site, q)->sites.empty());
    q.month = "2025-13";
    CHECK(f.usage.KeySites(f.site, q).error().code() == core::StatusCode::kInvalidArgument);
    q = {};
    q.order = "loudest";
    CHECK(f.usage.KeySites(f.site, q).error().code() == core::StatusCode::kInvalidArgument);
  }
}
