#include <doctest/doctest.h>

#include "core/comment.h"

using hamlet::core::CommentFromFields;

TEST_SUITE("core/comment") {
  TEST_CASE("maps Akismet field names onto the comment and keeps unknown fields") {
    auto c = CommentFromFields({{"comment_content", "hello"},
                                {"user_ip", "203.0.113.7"},
                                {"POST_ak_js", "1732523045"},
                                {"comment_author", "Ann"}});
    CHECK(c.comment_content == "hello");
    CHECK(c.user_ip == "203.0.113.7");
    CHECK(c.comment_author == "Ann");
    CHECK(c.Field("POST_ak_js") == "1732523045");
    CHECK(c.fields.size() == 4);
  }

  TEST_CASE("treats empty fields as absent") {
    auto c = CommentFromFields({{"referrer", ""}, {"comment_content", "x"}});
    CHECK(c.fields.size() == 1);
    CHECK(c.referrer.empty());
  }

  TEST_CASE("reads is_test as 1 or true, nothing else") {
    CHECK(CommentFromFields({{"is_test", "1"}}).is_test);
    CHECK(CommentFromFields({{"is_test", "true"}}).is_test);
    CHECK_FALSE(CommentFromFields({{"is_test", "0"}}).is_test);
    CHECK_FALSE(CommentFromFields({}).is_test);
  }

  TEST_CASE("takes the honeypot value from the field that honeypot_field_name names") {
    auto c = CommentFromFields({{"honeypot_field_name", "hp"}, {"hp", "bot text"}});
    CHECK(c.honeypot_value == "bot text");
    CHECK(CommentFromFields({{"honeypot_field_name", "hp"}}).honeypot_value.empty());
  }

  TEST_CASE("the first occurrence of a repeated field wins") {
    auto c = CommentFromFields({{"comment_author", "first"}, {"comment_author", "second"}});
    CHECK(c.comment_author == "first");
    CHECK(c.Field("comment_author") == "first");
  }
}
