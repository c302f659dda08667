// Retraining's pure steps: feedback -> examples, deduplication, the hash split, the install rule.
#include "engine/retraining.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "text/normalize.h"

using namespace hamlet;

namespace {

engine::LabeledComment Labeled(const std::string& content, bool is_spam) {
  engine::LabeledComment c;
  c.comment.comment_content = content;
  c.is_spam = is_spam;
  return c;
}

store::LabeledFeedback Feedback(const std::string& content, const std::string& label,
                                bool is_test = false) {
  store::LabeledFeedback f;
  f.label = label;
  f.comment.comment_content = content;
  f.comment.is_test = is_test;
  return f;
}

engine::Metrics At(double fpr, double f1) {
  engine::Metrics m;
  m.fpr = fpr;
  m.f1 = f1;
  return m;
}

}  // namespace

TEST_SUITE("engine/retraining") {
  TEST_CASE("feedback becomes a labeled example, test comments and unknown labels do not") {
    auto spam = engine::FeedbackExample(Feedback("buy pills", "spam"));
    REQUIRE(spam.has_value());
    CHECK(spam->is_spam);
    CHECK(spam->comment.comment_content == "buy pills");
    auto ham = engine::FeedbackExample(Feedback("nice article", "ham"));
    REQUIRE(ham.has_value());
    CHECK_FALSE(ham->is_spam);
    CHECK_FALSE(engine::FeedbackExample(Feedback("buy pills", "spam", /*is_test=*/true)));
    CHECK_FALSE(engine::FeedbackExample(Feedback("buy pills", "maybe")));
    CHECK_FALSE(engine::FeedbackExample(Feedback("buy pills", "")));
  }

  TEST_CASE("examples are deduplicated by normalized text, the latest feedback wins") {
    engine::ExampleSet set;
    set.Add(Labeled("Great ARTICLE!", false), engine::ExampleSource::kBase);
    set.Add(Labeled("great article !", false), engine::ExampleSource::kBase);  // same text
    set.Add(Labeled("Cheap pills", true), engine::ExampleSource::kBase);
    set.Add(Labeled("cheap   PILLS", false), engine::ExampleSource::kFeedback);  // moderator: ham
    set.Add(Labeled("CHEAP pills", true), engine::ExampleSource::kFeedback);     // later: spam
    set.Add(Labeled("cheap pills", false), engine::ExampleSource::kBase);  // base cannot override
    REQUIRE(set.examples().size() == 2);
    CHECK(set.duplicates() == 4);
    CHECK(set.label_conflicts() == 3);
    const auto& article = set.examples()[0];
    CHECK(article.normalized == text::Normalize("Great ARTICLE!"));
    CHECK(article.source == engine::ExampleSource::kBase);
    const auto& pills = set.examples()[1];
    CHECK(pills.labeled.is_spam);
    CHECK(pills.source == engine::ExampleSource::kFeedback);
    CHECK(pills.labeled.comment.comment_content == "CHEAP pills");
  }

  TEST_CASE("the split is pinned for known texts, keeps the held-out share, and only grows") {
    // Known values, so the split never moves between builds or machines: a changed hash or
    // bucket rule moves some of these texts and fails here.
    CHECK(engine::StableTextHash("") == 14695981039346656037ull);
    CHECK(engine::StableTextHash("a") == 0xaf63dc4c8601ec8cull);
    const struct {
      const char* text;
      engine::Split at_20;
      engine::Split at_50;
    } kPinned[] = {
        {"great article", engine::Split::kTrain, engine::Split::kTrain},
        {"hello", engine::Split::kTrain, engine::Split::kTrain},
        {"click here", engine::Split::kTune, engine::Split::kTune},
        {"visit my site", engine::Split::kTune, engine::Split::kTune},
        {"buy cheap pills", engine::Split::kTest, engine::Split::kTest},
        {"interesting idea", engine::Split::kTest, engine::Split::kTest},
        {"thanks for sharing", engine::Split::kTrain, engine::Split::kTune},
        {"cheap viagra", engine::Split::kTrain, engine::Split::kTest},
    };
    for (const auto& pinned : kPinned) {
      CAPTURE(pinned.text);
      CHECK(engine::SplitOf(pinned.text, 20) == pinned.at_20);
      CHECK(engine::SplitOf(pinned.text, 50) == pinned.at_50);
    }

    // Shares on many texts, within a tolerance of several standard deviations (n = 4000).
    constexpr int kTexts = 4000;
    const int kPercents[] = {0, 10, 20, 40, 50, 100};
    int train = 0, tune = 0, test = 0;
    for (int i = 0; i < kTexts; ++i) {
      const std::string text = "comment number " + std::to_string(i);
      const engine::Split split = engine::SplitOf(text, 20);
      ++(split == engine::Split::kTrain ? train : split == engine::Split::kTune ? tune : test);
      // Widening the hold-out only moves texts out of train: a held-out text stays held out,
      // on the same side (tune or test), at every bigger share.
      CAPTURE(text);
      engine::Split narrower = engine::SplitOf(text, kPercents[0]);
      for (int percent : kPercents) {
        CAPTURE(percent);
        const engine::Split wider = engine::SplitOf(text, percent);
        if (narrower != engine::Split::kTrain) CHECK(wider == narrower);
        narrower = wider;
      }
    }
    CHECK(train + tune + test == kTexts);
    CHECK(std::abs(train - kTexts * 8 / 10) < 160);  // sd about 25
    CHECK(std::abs(tune - kTexts / 10) < 100);       // sd about 19
    CHECK(std::abs(test - kTexts / 10) < 100);
    CHECK(engine::SplitOf("anything", 0) == engine::Split::kTrain);
    CHECK(engine::SplitOf("anything", 100) != engine::Split::kTrain);
    CHECK(engine::SplitName(engine::Split::kTrain) == "train");
    CHECK(engine::SplitName(engine::Split::kTune) == "tune");
    CHECK(engine::SplitName(engine::Split::kTest) == "test");
  }

  TEST_CASE("install only when the false-positive rate is no higher and F1 no lower") {
    CHECK(engine::DecideInstall(At(0.01, 0.90), At(0.02, 0.80)).install);
    CHECK(engine::DecideInstall(At(0.02, 0.80), At(0.02, 0.80)).install);  // ties install
    auto more_fp = engine::DecideInstall(At(0.03, 0.99), At(0.02, 0.80));
    CHECK_FALSE(more_fp.install);
    CHECK(more_fp.why.find("false-positive rate") != std::string::npos);
    auto worse_f1 = engine::DecideInstall(At(0.00, 0.70), At(0.02, 0.80));
    CHECK_FALSE(worse_f1.install);
    CHECK(worse_f1.why.find("F1") != std::string::npos);
  }
}
