// Form bodies and field lists: a strict application/x-www-form-urlencoded decoder, text
// repair to valid UTF-8, and the one mapping from Akismet field names to core::Comment that
// both the Akismet form API and the /v1 JSON API use.
#pragma once

#include <string>
#include <string_view>

#include "core/comment.h"
#include "core/status.h"

namespace hamlet::http {

// Most fields one request may carry (form pairs, JSON members and array items): far above
// what any client sends (WordPress: about a hundred), low enough that a body of tiny fields
// cannot cost much.
inline constexpr size_t kMaxFields = 1000;

// Decodes `body` as application/x-www-form-urlencoded, whatever the request's Content-Type
// said: pairs split on '&', '+' is a space, %XX is a byte, a bare name without '=' has an
// empty value, empty segments and pairs with an empty name are skipped. Names and values are
// returned as raw bytes (not yet UTF-8 checked), in arrival order.
// InvalidArgument when a '%' is not followed by two hex digits, or for more than kMaxFields
// pairs.
core::Result<core::FieldList> ParseForm(std::string_view body);

// `text` as valid UTF-8. `charset` is the submitter's blog_charset: ISO-8859-1 / Latin-1 /
// Windows-1252 labels are transcoded (as Windows-1252, like browsers do); anything else is
// taken as UTF-8. Every byte that is not part of a well-formed UTF-8 sequence, and every NUL,
// becomes U+FFFD, so nothing downstream (SQLite, JSON, logs) ever sees invalid text.
std::string ToUtf8(std::string_view text, std::string_view charset);

// Builds a Comment from submitted fields (Akismet names; values raw bytes):
// - every name and value is made valid UTF-8 (ToUtf8 with the submitted blog_charset);
// - empty values count as absent and are dropped;
// - `api_key` and `key` are dropped: a key is never stored or logged;
// - comment_context, comment_context[] and comment_context[N] all become `comment_context`
//   (one field per value);
// - known names fill the Comment members (the first occurrence wins); is_test is true for
//   1/true/yes/on; honeypot_field_name=X copies the value of field X into honeypot_value;
// - all remaining fields, unknown ones included, stay in Comment::fields in arrival order.
core::Comment CommentFromFields(const core::FieldList& raw_fields);

// Value of the first non-empty field named `name`, or "".
std::string_view FirstValue(const core::FieldList& fields, std::string_view name);

}  // namespace hamlet::http
