// libFuzzer target: the /v1 JSON bodies (DecodeV1Check, DecodeV1Feedback, DecodeV1AdminReload)
// through nlohmann::json. Checks: no crash, no exception escaping the codec, no sanitizer
// report; a decoded comment holds only clean UTF-8 and at most kMaxFields fields.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_checks.h"
#include "http/form_codec.h"
#include "http/json_codec.h"

using hamlet::fuzz::IsCleanUtf8;
using hamlet::fuzz::Require;

namespace {

void CheckComment(const hamlet::core::Comment& comment) {
  Require(comment.fields.size() <= hamlet::http::kMaxFields, "too many fields decoded");
  for (const auto& [name, value] : comment.fields) {
    Require(IsCleanUtf8(name) && IsCleanUtf8(value), "a field is not clean UTF-8");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  if (auto check = hamlet::http::DecodeV1Check(body)) {
    Require(!check->comment.comment_content.empty(), "a check without comment_content passed");
    CheckComment(check->comment);
  }
  if (auto feedback = hamlet::http::DecodeV1Feedback(body)) CheckComment(feedback->comment);
  (void)hamlet::http::DecodeV1AdminReload(body);
  return 0;
}
