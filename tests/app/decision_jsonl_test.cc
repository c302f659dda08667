// Tests for the JSONL form of labeled decisions (export/import) and that training reads it.
#include "app/decision_jsonl.h"

#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "app/labeled_jsonl.h"
#include "support/temp_dir.h"

namespace hamlet::app {
namespace {

engine::LabeledDecision Sample() {
  engine::LabeledDecision item;
  auto& d = item.decision;
  d.id = "0123456789abcdef0123456789abcdef";
  d.site_url = "http://blog.example/";
  d.created_ms = 1'700'000'000'123;
  d.comment = core::CommentFromFields({{"blog", "http://blog.example/"},
                                       {"comment_content", "Buy pills \xE2\x80\xAE now"},
                                       {"comment_author", "Bob"},
                                       {"comment_author_email", "bob@x.example"},
                                       {"user_ip", "203.0.113.7"},
                                       {"x_custom", "kept"}});
  d.decision.verdict = core::Verdict::kDiscard;
  d.decision.uncertain = true;
  d.decision.score = 0.97;
  d.decision.reasons = {{"model", 3.5, "text model"},
                        {"akismet.test_spam", std::numeric_limits<double>::infinity(), "forced"}};
  d.model_version = "hamlet-default@1";
  item.label.label = "spam";
  item.label.moderator = "alice";
  item.label.created_ms = 1'700'000'100'000;
  item.label.source = "cli";
  return item;
}

}  // namespace

TEST_SUITE("app/decision_jsonl") {
  TEST_CASE("a line round-trips every field an import needs") {
    const auto item = Sample();
    const std::string line = EncodeDecisionLine(item);
    CHECK(line.find('\n') == std::string::npos);
    // The corpora's fields lead, in their order.
    CHECK(line.rfind("{\"id\":\"0123456789abcdef0123456789abcdef\",\"label\":\"spam\","
                     "\"comment_content\":",
                     0) == 0);
    CHECK(line.find("\"comment_type\":\"comment\",\"source\":\"hamlet-export\"") !=
          std::string::npos);
    auto back = DecodeDecisionLine(line);
    REQUIRE_MESSAGE(back.has_value(), back.error().ToString());
    const auto& d = back->decision;
    CHECK(d.id == item.decision.id);
    CHECK(d.site_url == "http://blog.example/");
    CHECK(d.created_ms == 1'700'000'000'123);
    CHECK(d.decision.verdict == core::Verdict::kDiscard);
    CHECK(d.decision.uncertain);
    CHECK(d.decision.score == doctest::Approx(0.97));
    REQUIRE(d.decision.reasons.size() == 2);
    CHECK(d.decision.reasons[1].check == "akismet.test_spam");
    CHECK(std::isnan(d.decision.reasons[1].contribution));  // infinity has no JSON spelling
    CHECK(d.model_version == "hamlet-default@1");
    CHECK(d.comment.comment_content == item.decision.comment.comment_content);
    CHECK(d.comment.user_ip == "203.0.113.7");
    CHECK(d.comment.Field("x_custom") == "kept");
    CHECK(back->label.label == "spam");
    CHECK(back->label.moderator == "alice");
    CHECK(back->label.created_ms == 1'700'000'100'000);
  }

  TEST_CASE("refuses lines that are not a hamlet export naming the line") {
    std::istringstream in(
        "{\"id\":\"a\",\"label\":\"spam\",\"verdict\":\"spam\",\"created_ms\":1,\"comment_"
        "content\":\"x\"}\n"
        "\n"
        "{\"id\":\"b\",\"label\":\"spam\",\"comment_content\":\"corpus line\"}\n");
    auto read = ReadDecisionJsonl(in, "f.jsonl");
    REQUIRE_FALSE(read.has_value());
    CHECK(read.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(read.error().message().find("f.jsonl:3: needs \"verdict\"") == 0);
    for (const char* bad :
         {"not json", "[1]", "{\"label\":\"spam\"}",
          "{\"id\":\"a\",\"label\":\"maybe\",\"verdict\":\"spam\",\"created_ms\":1}",
          "{\"id\":\"a\",\"label\":\"ham\",\"verdict\":\"spam\",\"created_ms\":\"x\"}",
          "{\"id\":\"a\",\"label\":\"ham\",\"verdict\":\"spam\",\"created_ms\":1,\"fields\":[[1]]}",
          "{\"id\":\"a\",\"label\":\"ham\",\"verdict\":\"spam\",\"created_ms\":1,\"score\":"
          "\"high\"}"}) {
      CAPTURE(bad);
      CHECK(DecodeDecisionLine(bad).error().code() == core::StatusCode::kInvalidArgument);
    }
  }

  TEST_CASE("training reads an export file as labeled data") {
    testing::TempDir dir;
    const std::string path = dir.File("export.jsonl");
    {
      std::ofstream out(path);
      out << EncodeDecisionLine(Sample()) << "\n";
      auto ham = Sample();
      ham.label.label = "ham";
      ham.decision.comment = core::CommentFromFields({{"comment_content", "thanks"}});
      out << EncodeDecisionLine(ham) << "\n";
    }
    auto labeled = ReadLabeledJsonl(path);
    REQUIRE_MESSAGE(labeled.has_value(), labeled.error().ToString());
    REQUIRE(labeled->size() == 2);
    CHECK((*labeled)[0].is_spam);
    CHECK((*labeled)[0].comment.comment_author == "Bob");
    CHECK_FALSE((*labeled)[0].comment.is_test);
    CHECK_FALSE((*labeled)[1].is_spam);
    CHECK((*labeled)[1].comment.comment_content == "thanks");
  }
}

}  // namespace hamlet::app
