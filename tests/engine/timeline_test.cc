// Replaying labeled comments in date order through a fresh memory (hamlet eval --replay): the
// dates, the order, campaigns seen in replay, labels learnt, and ordinary ham from our own
// data sets not tripped by the history checks with the shipped model.
#include "engine/timeline.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/labeled_jsonl.h"
#include "app/wiring.h"
#include "core/comment.h"
#include "signals/history.h"
#include "store/sqlite_store.h"
#include "support/fake_classifier.h"
#include "support/fixed_clock.h"

using namespace hamlet;

namespace {

const std::string kText =
    "Make money online from the comfort of your home with our proven system, thousands of "
    "members already earn a steady income every month, sign up today";

engine::LabeledComment Labeled(const std::string& content, const std::string& date,
                               const std::string& ip, bool spam, const std::string& blog = "") {
  core::FieldList fields = {
      {"comment_content", content}, {"comment_date_gmt", date}, {"user_ip", ip}};
  if (!blog.empty()) fields.emplace_back("blog", blog);
  return {core::CommentFromFields(std::move(fields)), spam};
}

double HistoryPart(const core::Decision& d) {
  double sum = 0;
  for (const auto& r : d.reasons) {
    if (signals::ReadsHistory(r.check)) sum += r.contribution;
  }
  return sum;
}

bool Has(const core::Decision& d, const std::string& check) {
  for (const auto& r : d.reasons) {
    if (r.check == check) return true;
  }
  return false;
}

struct Fake {
  testing::FixedClock clock;
  testing::FakeClassifier classifier;
  std::unique_ptr<store::Store> store = store::OpenSqliteStore(":memory:").value();
  engine::Filter filter{classifier, *store, decision::Policy{}, clock};
};

}  // namespace

TEST_SUITE("engine/timeline") {
  TEST_CASE("reads comment_date_gmt in the corpora's forms") {
    CHECK(engine::ParseCommentDate("1970-01-01T00:00:00") == 0);
    CHECK(engine::ParseCommentDate("2013-11-07T06:20:48") == 1'383'805'248'000);
    CHECK(engine::ParseCommentDate("2013-11-07 06:20:48") == 1'383'805'248'000);
    CHECK(engine::ParseCommentDate("2013-11-07T06:20:48.123Z") == 1'383'805'248'000);
    CHECK(engine::ParseCommentDate("2013-11-07") == 1'383'782'400'000);
    for (const char* bad : {"", "yesterday", "2013-13-01", "2013-11-07T25:00:00", "2013/11/07",
                            "2013-11-07T06:20", "2013-11-07T06:20:48+02:00"}) {
      CAPTURE(bad);
      CHECK_FALSE(engine::ParseCommentDate(bad).has_value());
    }
  }

  TEST_CASE("undated comments follow the one before them a minute later") {
    const std::vector<engine::LabeledComment> data = {
        Labeled("a", "", "", false), Labeled("b", "2015-01-01T00:00:00", "", false),
        Labeled("c", "", "", false)};
    const auto times = engine::TimelineTimes(data);
    CHECK(times[0] == 1'577'836'800'000);
    CHECK(times[1] == 1'420'070'400'000);
    CHECK(times[2] == 1'420'070'400'000 + 60'000);
  }

  TEST_CASE("a campaign shows in date order whatever the input order") {
    Fake f;
    const std::vector<engine::LabeledComment> data = {
        Labeled(kText, "2015-01-01T00:03:00", "192.0.2.3", true),
        Labeled(kText, "2015-01-01T00:01:00", "203.0.113.1", true),
        Labeled("an unrelated comment about gardening", "2015-01-01T00:00:00", "", false),
        Labeled(kText, "2015-01-01T00:02:00", "198.51.100.2", true),
    };
    auto decisions = engine::ScoreTimeline(f.filter, data, {});
    REQUIRE(decisions);
    REQUIRE(decisions->size() == 4);
    CHECK_FALSE(Has((*decisions)[1], "campaign"));  // the earliest copy
    CHECK(Has((*decisions)[3], "campaign"));
    CHECK(Has((*decisions)[0], "campaign"));
    CHECK(HistoryPart((*decisions)[0]) > HistoryPart((*decisions)[3]));
    // Scored in input order, for Metrics.
    auto scored = engine::ScoreAllTimeline(f.filter, data, {});
    REQUIRE(scored);
    CHECK((*scored)[0].log_odds == doctest::Approx((*decisions)[0].log_odds));
    CHECK((*scored)[2].is_spam == false);
  }

  TEST_CASE("with labels learnt, a reported IP's next comment carries its reputation") {
    Fake f;
    const std::vector<engine::LabeledComment> data = {
        Labeled("first words here", "2015-01-01T00:00:00", "203.0.113.5", true),
        Labeled("second words here", "2015-01-01T01:00:00", "203.0.113.5", false),
    };
    auto without = engine::ScoreTimeline(f.filter, data, {});
    REQUIRE(without);
    CHECK_FALSE(Has((*without)[1], "reputation.ip"));  // the model said ham: nothing to learn
    engine::TimelineOptions labels;
    labels.learn_labels = true;
    auto with = engine::ScoreTimeline(f.filter, data, labels);
    REQUIRE(with);
    CHECK(Has((*with)[1], "reputation.ip"));
  }

  TEST_CASE("bad memory options are refused") {
    Fake f;
    engine::TimelineOptions bad;
    bad.memory.half_life_ms = 5;
    CHECK(engine::ScoreTimeline(f.filter, {}, bad).error().code() ==
          core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("ordinary ham in our data sets does not trip the history checks") {
    // The shipped model, every comment of the examples and the unseen-sites set replayed in
    // order (undated: a minute apart, like a busy installation): history must not push any ham
    // comment noticeably towards spam.
    app::Options options;
    options.db_path = ":memory:";
    auto services = app::Open(options);
    REQUIRE(services);
    std::vector<engine::LabeledComment> data;
    for (const char* file : {"/data/example-comments.jsonl", "/data/heldout/unseen-sites.jsonl",
                             "/data/blog-comments-seed.jsonl"}) {
      auto rows = app::ReadLabeledJsonl(std::string(HAMLET_SOURCE_DIR) + file);
      REQUIRE(rows);
      data.insert(data.end(), rows->begin(), rows->end());
    }
    engine::TimelineOptions timeline;
    for (bool labels : {false, true}) {
      CAPTURE(labels);
      timeline.learn_labels = labels;
      auto decisions = engine::ScoreTimeline(*(*services)->filter, data, timeline);
      REQUIRE(decisions);
      int ham = 0;
      for (size_t i = 0; i < data.size(); ++i) {
        if (data[i].is_spam) continue;
        ++ham;
        CAPTURE(data[i].comment.comment_content);
        std::string reasons;
        for (const auto& r : (*decisions)[i].reasons) {
          reasons += r.check + "=" + std::to_string(r.contribution) + " (" + r.detail + "); ";
        }
        CAPTURE(reasons);
        CHECK(HistoryPart((*decisions)[i]) <= 1.0);
        CHECK_FALSE(Has((*decisions)[i], "campaign"));
      }
      CHECK(ham > 300);
    }
  }
}
