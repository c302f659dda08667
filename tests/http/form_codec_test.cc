// Form decoding, UTF-8 repair and the Akismet field -> Comment mapping.
#include "http/form_codec.h"

#include <doctest/doctest.h>

namespace hamlet::http {
namespace {

core::Comment FromBody(std::string_view body) {
  auto fields = ParseForm(body);
  REQUIRE(fields.has_value());
  return CommentFromFields(*fields);
}

}  // namespace

TEST_SUITE("http/form_codec") {
  TEST_CASE("decodes plus as space, percent escapes, and bare names as empty values") {
    auto fields = ParseForm("comment_content=a+b%20c%2Bd&flag&x=%E2%9C%93&&=orphan");
    REQUIRE(fields.has_value());
    REQUIRE(fields->size() == 3);
    CHECK((*fields)[0] == std::pair<std::string, std::string>{"comment_content", "a b c+d"});
    CHECK((*fields)[1] == std::pair<std::string, std::string>{"flag", ""});
    CHECK((*fields)[2] == std::pair<std::string, std::string>{"x", "\xE2\x9C\x93"});
  }

  TEST_CASE("refuses malformed percent-encoding") {
    for (const char* body : {"a=%", "a=%4", "a=%zz", "b=1&a%G1=2", "a=100%"}) {
      CAPTURE(body);
      auto fields = ParseForm(body);
      REQUIRE_FALSE(fields.has_value());
      CHECK(fields.error().code() == core::StatusCode::kInvalidArgument);
    }
  }

  TEST_CASE("an empty body is an empty field list") {
    auto fields = ParseForm("");
    REQUIRE(fields.has_value());
    CHECK(fields->empty());
  }

  TEST_CASE("maps every known Akismet field onto the Comment") {
    const core::Comment c = FromBody(
        "blog=http%3A%2F%2Fexample.test%2F&user_ip=203.0.113.7&user_agent=UA&referrer=R"
        "&permalink=P&comment_type=comment&comment_author=Jane&comment_author_email=j%40e.test"
        "&comment_author_url=http%3A%2F%2Fj.test&comment_content=Hello&comment_date_gmt=2024-01-01"
        "&blog_lang=en&blog_charset=UTF-8&user_role=editor&recheck_reason=edit");
    CHECK(c.blog == "http://example.test/");
    CHECK(c.user_ip == "203.0.113.7");
    CHECK(c.user_agent == "UA");
    CHECK(c.referrer == "R");
    CHECK(c.permalink == "P");
    CHECK(c.comment_type == "comment");
    CHECK(c.comment_author == "Jane");
    CHECK(c.comment_author_email == "j@e.test");
    CHECK(c.comment_author_url == "http://j.test");
    CHECK(c.comment_content == "Hello");
    CHECK(c.comment_date_gmt == "2024-01-01");
    CHECK(c.blog_lang == "en");
    CHECK(c.blog_charset == "UTF-8");
    CHECK(c.user_role == "editor");
    CHECK(c.recheck_reason == "edit");
    CHECK(c.fields.size() == 15);
  }

  TEST_CASE("treats empty fields as absent, as Net::Akismet sends unset ones empty") {
    const core::Comment c =
        FromBody("blog=http%3A%2F%2Fx.test%2F&user_ip=1.2.3.4&referrer=&permalink=&comment_author");
    CHECK(c.referrer.empty());
    CHECK(c.comment_author.empty());
    CHECK(c.fields.size() == 2);
    CHECK(c.Field("referrer").empty());
  }

  TEST_CASE("keeps unknown fields in arrival order") {
    const core::Comment c =
        FromBody("user_ip=1.2.3.4&POST_ak_hp_textarea=&ak_js=1712&HTTP_ACCEPT=text%2Fhtml&zz=1");
    REQUIRE(c.fields.size() == 4);
    CHECK(c.fields[1].first == "ak_js");
    CHECK(c.Field("HTTP_ACCEPT") == "text/html");
    CHECK(c.Field("zz") == "1");
  }

  TEST_CASE("never keeps the key in the stored fields") {
    const core::Comment c = FromBody("api_key=abcdef123456&key=abcdef123456&user_ip=1.2.3.4");
    CHECK(c.Field("api_key").empty());
    CHECK(c.Field("key").empty());
    CHECK(c.fields.size() == 1);
  }

  TEST_CASE("accepts the three comment_context spellings as one field name") {
    SUBCASE("plain string") {
      const core::Comment c = FromBody("comment_context=cooking");
      REQUIRE(c.fields.size() == 1);
      CHECK(c.fields[0] == std::pair<std::string, std::string>{"comment_context", "cooking"});
    }
    SUBCASE("indexed array, as http_build_query sends it") {
      const core::Comment c =
          FromBody("comment_context%5B0%5D=cooking&comment_context%5B1%5D=recipes");
      REQUIRE(c.fields.size() == 2);
      CHECK(c.fields[0] == std::pair<std::string, std::string>{"comment_context", "cooking"});
      CHECK(c.fields[1] == std::pair<std::string, std::string>{"comment_context", "recipes"});
    }
    SUBCASE("empty brackets") {
      const core::Comment c = FromBody("comment_context[]=a&comment_context[]=b");
      REQUIRE(c.fields.size() == 2);
      CHECK(c.fields[1] == std::pair<std::string, std::string>{"comment_context", "b"});
    }
    SUBCASE("other bracketed names stay as sent") {
      const core::Comment c = FromBody("comment_context%5Bx%5D=a");
      CHECK(c.fields[0].first == "comment_context[x]");
    }
  }

  TEST_CASE("reads is_test as 1, true or 0") {
    CHECK(FromBody("is_test=1").is_test);
    CHECK(FromBody("is_test=true").is_test);
    CHECK(FromBody("is_test=TRUE").is_test);
    CHECK_FALSE(FromBody("is_test=0").is_test);
    CHECK_FALSE(FromBody("is_test=false").is_test);
    CHECK_FALSE(FromBody("is_test=").is_test);
    CHECK_FALSE(FromBody("user_ip=1.2.3.4").is_test);
  }

  TEST_CASE("copies the honeypot field named by honeypot_field_name") {
    const core::Comment c = FromBody(
        "honeypot_field_name=akismet_api_honeypot_field&akismet_api_honeypot_field=filled-by-bot");
    CHECK(c.honeypot_value == "filled-by-bot");
    CHECK(FromBody("honeypot_field_name=hp&hp=").honeypot_value.empty());
    CHECK(FromBody("hp=x").honeypot_value.empty());
  }

  TEST_CASE("the first occurrence of a known field wins") {
    CHECK(FromBody("user_ip=1.1.1.1&user_ip=2.2.2.2").user_ip == "1.1.1.1");
  }

  TEST_CASE("repairs invalid UTF-8 with U+FFFD and leaves valid text alone") {
    CHECK(ToUtf8("caf\xC3\xA9", "") == "caf\xC3\xA9");
    CHECK(ToUtf8("a\xFF" "b", "UTF-8") == "a\xEF\xBF\xBD" "b");
    CHECK(ToUtf8("\xC0\xAF", "") == "\xEF\xBF\xBD\xEF\xBF\xBD");       // overlong '/'
    CHECK(ToUtf8("\xED\xA0\x80", "") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    CHECK(ToUtf8("\xE2\x82", "") == "\xEF\xBF\xBD\xEF\xBF\xBD");       // truncated
    CHECK(ToUtf8(std::string_view("a\0b", 3), "") == "a\xEF\xBF\xBD" "b");  // NUL
    CHECK(ToUtf8("\xF0\x9F\x98\x80", "") == "\xF0\x9F\x98\x80");       // emoji
  }

  TEST_CASE("transcodes Latin-1 and Windows-1252 by blog_charset") {
    CHECK(ToUtf8("caf\xE9", "ISO-8859-1") == "caf\xC3\xA9");
    CHECK(ToUtf8("\x80", "windows-1252") == "\xE2\x82\xAC");
    const core::Comment c = FromBody("blog_charset=ISO-8859-1&comment_content=caf%E9");
    CHECK(c.comment_content == "caf\xC3\xA9");
    CHECK(FromBody("comment_content=caf%E9").comment_content == "caf\xEF\xBF\xBD");
  }
}

}  // namespace hamlet::http
