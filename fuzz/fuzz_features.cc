// libFuzzer target: text::FieldFeatures and ModelInput for a comment whose fields come from the
// fuzz input (author, e-mail, URL, comment type, content, separated by NUL bytes). Checks: no
// crash or sanitizer report; every feature token starts with '_' and has no whitespace; the
// model input is one clean UTF-8 line without labels, in every input mode.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/comment.h"
#include "fuzz_checks.h"
#include "text/features.h"
#include "text/normalize.h"

using hamlet::fuzz::IsCleanUtf8;
using hamlet::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  while (parts.size() < 4) {
    const size_t nul = in.find('\0');
    if (nul == std::string_view::npos) break;
    parts.emplace_back(in.substr(0, nul));
    in.remove_prefix(nul + 1);
  }
  parts.resize(4);
  hamlet::core::Comment comment;
  comment.comment_author = parts[0];
  comment.comment_author_email = parts[1];
  comment.comment_author_url = parts[2];
  comment.comment_type = parts[3];
  comment.comment_content = std::string(in);

  const std::string normalized = hamlet::text::Normalize(comment.comment_content);
  for (const std::string& token : hamlet::text::FieldFeatures(comment, normalized)) {
    Require(!token.empty() && token.front() == '_', "a feature token does not start with '_'");
    Require(token.find_first_of(" \t\r\n") == std::string::npos, "a feature token has whitespace");
    Require(IsCleanUtf8(token), "a feature token is not clean UTF-8");
  }
  for (auto mode : {hamlet::text::InputMode::kRaw, hamlet::text::InputMode::kNormalized,
                    hamlet::text::InputMode::kFields}) {
    const std::string input = hamlet::text::ModelInput(comment, mode);
    Require(input.find_first_of("\r\n") == std::string::npos, "the model input has a line break");
    Require(input.find("__label__") == std::string::npos, "the model input holds a label");
    if (mode != hamlet::text::InputMode::kRaw) {
      Require(IsCleanUtf8(input), "the model input is not clean UTF-8");
    }
  }
  return 0;
}
