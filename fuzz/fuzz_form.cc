// libFuzzer target: application/x-www-form-urlencoded bodies (ParseForm), the UTF-8 repair
// (ToUtf8) and the Akismet field mapping (CommentFromFields), all of which see raw client
// bytes. Checks: no crash or sanitizer report; every name and value that reaches a Comment
// is clean UTF-8; ToUtf8 is idempotent; keys never reach the Comment.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_checks.h"
#include "http/form_codec.h"

using hamlet::fuzz::IsCleanUtf8;
using hamlet::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto fields = hamlet::http::ParseForm(body);
  if (!fields) return 0;
  Require(fields->size() <= hamlet::http::kMaxFields, "ParseForm returned too many fields");
  const hamlet::core::Comment comment = hamlet::http::CommentFromFields(*fields);
  for (const auto& [name, value] : comment.fields) {
    Require(IsCleanUtf8(name) && IsCleanUtf8(value), "a field is not clean UTF-8");
    Require(!value.empty(), "an empty value was kept");
    Require(name != "api_key" && name != "key", "a key reached the comment");
  }
  Require(IsCleanUtf8(comment.comment_content) && IsCleanUtf8(comment.comment_author) &&
              IsCleanUtf8(comment.user_ip) && IsCleanUtf8(comment.blog),
          "a comment member is not clean UTF-8");
  for (const char* charset : {"", "ISO-8859-1"}) {
    const std::string once = hamlet::http::ToUtf8(body, charset);
    Require(IsCleanUtf8(once), "ToUtf8 output is not clean UTF-8");
    Require(hamlet::http::ToUtf8(once, "") == once, "ToUtf8 is not idempotent");
  }
  return 0;
}
