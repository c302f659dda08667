// Table-driven tests of the field features.
#include "text/features.h"

#include <algorithm>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "text/normalize.h"

namespace hamlet::text {
namespace {

struct Case {
  const char* name;
  core::FieldList fields;
  std::vector<std::string> want;  // present, in this order (others may be between them)
  std::vector<std::string> absent = {};
};

std::vector<std::string> Features(const core::FieldList& fields) {
  core::Comment c = core::CommentFromFields(fields);
  return FieldFeatures(c, Normalize(c.comment_content));
}

void RunTable(std::initializer_list<Case> cases) {
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const auto got = Features(c.fields);
    std::string joined;
    for (const auto& t : got) joined += t + " ";
    CAPTURE(joined);
    auto from = got.begin();
    for (const std::string& w : c.want) {
      auto it = std::find(from, got.end(), w);
      CHECK_MESSAGE(it != got.end(), "missing " << w);
      if (it != got.end()) from = it;
    }
    for (const std::string& a : c.absent) {
      CHECK_MESSAGE(std::find(got.begin(), got.end(), a) == got.end(), "unexpected " << a);
    }
  }
}

TEST_SUITE("text/features") {

TEST_CASE("describe the author name") {
  RunTable({
      {"no author", {{"comment_content", "hi"}}, {"_author_none_"}},
      {"two words", {{"comment_author", "Jane Doe"}}, {"_author_words_2"},
       {"_author_digits_", "_author_caps_", "_author_has_url_", "_author_none_"}},
      {"keyword-stuffed", {{"comment_author", "best cheap seo services in london"}},
       {"_author_words_4+"}},
      {"digits", {{"comment_author", "mike1987"}}, {"_author_words_1", "_author_digits_"}},
      {"shouting", {{"comment_author", "CASINO BONUS"}}, {"_author_caps_"}},
      {"short caps are initials", {{"comment_author", "JD"}}, {}, {"_author_caps_"}},
      {"a URL as the name", {{"comment_author", "pills.biz"}}, {"_author_has_url_"}},
      {"an e-mail as the name", {{"comment_author", "me@example.com"}}, {"_author_has_url_"}},
  });
}

TEST_CASE("describe the e-mail address") {
  RunTable({
      {"free mail", {{"comment_author_email", "jane@Gmail.com"}}, {"_email_free_", "_email_tld_com"}},
      {"own domain", {{"comment_author_email", "jane@example.org"}}, {"_email_tld_org"},
       {"_email_free_", "_email_digits_"}},
      {"digits in the local part", {{"comment_author_email", "seo4832@mail.ru"}},
       {"_email_free_", "_email_tld_ru", "_email_digits_"}},
      {"not an address", {{"comment_author_email", "none"}}, {},
       {"_email_free_", "_email_digits_"}},
  });
}

TEST_CASE("describe the author URL") {
  RunTable({
      {"home page", {{"comment_author_url", "https://example.com/"}},
       {"_has_author_url_", "_aurl_tld_com"}, {"_aurl_path_", "_aurl_shortener_"}},
      {"landing page", {{"comment_author_url", "http://cheap-pills.example.xyz/buy-now"}},
       {"_has_author_url_", "_aurl_tld_xyz", "_aurl_path_"}},
      {"shortener", {{"comment_author_url", "https://bit.ly/3xYz"}},
       {"_aurl_tld_ly", "_aurl_shortener_", "_aurl_path_"}},
      {"none", {{"comment_content", "x"}}, {}, {"_has_author_url_"}},
  });
}

TEST_CASE("count links, their density and the length") {
  RunTable({
      {"plain", {{"comment_content", "I liked the part about bread"}}, {"_links_0", "_len_10"},
       {"_links_dense_"}},
      {"one link in a long comment",
       {{"comment_content",
         "Good point about the bus lanes, the city published the numbers last year and they "
         "show the same trend you describe here: https://example.org/report"}},
       {"_links_1", "_len_30"}, {"_links_dense_"}},
      {"link drop", {{"comment_content", "great post http://a.example.com"}},
       {"_links_1", "_links_dense_", "_len_3"}},
      {"link farm",
       {{"comment_content", "http://a.example.com http://b.example.com http://c.example.com"}},
       {"_links_3+", "_links_dense_", "_len_3"}},  // each URL leaves its site name
      {"empty", {{"comment_content", ""}}, {"_links_0", "_len_1"}},
  });
}

TEST_CASE("name the comment type") {
  RunTable({
      {"comment", {{"comment_type", "comment"}}, {"_type_comment_"}},
      {"trackback", {{"comment_type", "Trackback"}}, {"_type_trackback_"}},
      {"anything else", {{"comment_type", "contact-form"}}, {"_type_other_"}},
      {"unset", {{"comment_content", "x"}}, {}, {"_type_comment_", "_type_other_"}},
  });
}

TEST_CASE("every token starts with an underscore and holds no space or label") {
  const auto got = Features({{"comment_author", "a\n__label__spam b"},
                             {"comment_author_email", "x@y.__label__"},
                             {"comment_author_url", "http://__label__ham.com/ x"},
                             {"comment_type", "__label__spam"},
                             {"comment_content", "__label__ham"}});
  for (const std::string& t : got) {
    CAPTURE(t);
    CHECK(t.front() == '_');
    CHECK(t.find(' ') == std::string::npos);
    CHECK(t.find('\n') == std::string::npos);
    CHECK(t.find("__label__") == std::string::npos);
  }
}

}  // TEST_SUITE

}  // namespace
}  // namespace hamlet::text
