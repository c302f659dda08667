// ReadLabeledJsonl: Akismet field mapping, labels, and errors naming file and line.
#include "app/labeled_jsonl.h"

#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "support/temp_dir.h"

namespace hamlet::app {
namespace {

TEST_SUITE("app/labeled_jsonl") {

TEST_CASE("maps Akismet field names onto the comment and keeps string fields in order") {
  testing::TempDir dir;
  std::ofstream(dir.File("a.jsonl"))
      << R"({"label":"spam","comment_content":"buy now","comment_author":"Bob",)"
      << R"("comment_author_email":"b@x.org","comment_author_url":"http://x.org",)"
      << R"("comment_type":"comment","comment_date_gmt":"2013-11-07T06:20:48","user_ip":"1.2.3.4",)"
      << R"("user_agent":"UA","permalink":"http://blog/p","referrer":"http://r","blog":"http://blog",)"
      << R"("source":"corpus-a","id":"x1","views":12,"empty":""})" << "\n"
      << "\n"
      << R"({"label":"ham","comment_content":"nice"})" << "\n";
  auto rows = ReadLabeledJsonl(dir.File("a.jsonl"));
  REQUIRE(rows.has_value());
  REQUIRE(rows->size() == 2);
  const auto& c = (*rows)[0].comment;
  CHECK((*rows)[0].is_spam);
  CHECK_FALSE((*rows)[1].is_spam);
  CHECK(c.comment_content == "buy now");
  CHECK(c.comment_author == "Bob");
  CHECK(c.comment_author_email == "b@x.org");
  CHECK(c.comment_author_url == "http://x.org");
  CHECK(c.comment_type == "comment");
  CHECK(c.comment_date_gmt == "2013-11-07T06:20:48");
  CHECK(c.user_ip == "1.2.3.4");
  CHECK(c.user_agent == "UA");
  CHECK(c.permalink == "http://blog/p");
  CHECK(c.referrer == "http://r");
  CHECK(c.blog == "http://blog");
  REQUIRE(c.fields.size() == 13);  // strings only, "label" and empty values left out
  CHECK(c.fields.front().first == "comment_content");
  CHECK(c.fields.back() == std::pair<std::string, std::string>("id", "x1"));
  CHECK(c.Field("source") == "corpus-a");
  CHECK((*rows)[1].comment.comment_content == "nice");
}

TEST_CASE("returns NotFound for a missing file") {
  auto rows = ReadLabeledJsonl("/nonexistent/x.jsonl");
  REQUIRE(!rows.has_value());
  CHECK(rows.error().code() == core::StatusCode::kNotFound);
  CHECK(rows.error().message().find("/nonexistent/x.jsonl") != std::string::npos);
}

TEST_CASE("returns InvalidArgument naming the file and line of a bad row") {
  struct Case {
    const char* name;
    const char* line;
  };
  for (const Case& c : {Case{"not JSON", "{oops"}, Case{"not an object", "[1,2]"},
                        Case{"no label", R"({"comment_content":"x"})"},
                        Case{"unknown label", R"({"label":"maybe","comment_content":"x"})"},
                        Case{"label not a string", R"({"label":1})"}}) {
    CAPTURE(c.name);
    testing::TempDir dir;
    std::ofstream(dir.File("bad.jsonl")) << R"({"label":"ham","comment_content":"ok"})" << "\n"
                                         << c.line << "\n";
    auto rows = ReadLabeledJsonl(dir.File("bad.jsonl"));
    REQUIRE(!rows.has_value());
    CHECK(rows.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(rows.error().message().find(dir.File("bad.jsonl") + ":2:") == 0);
  }
}

}  // TEST_SUITE

}  // namespace
}  // namespace hamlet::app
