// libFuzzer target: text::Normalize, which every comment goes through before the model.
// Checks: no crash or sanitizer report; the output is clean UTF-8 on one line, tokens are
// separated by single spaces, no token can be read by fastText as a label, and the same input
// gives the same output.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_checks.h"
#include "text/normalize.h"

using hamlet::fuzz::IsCleanUtf8;
using hamlet::fuzz::Require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const std::string out = hamlet::text::Normalize(raw);
  Require(IsCleanUtf8(out), "output is not clean UTF-8");
  Require(out.find_first_of("\r\n\t") == std::string::npos, "output has a line break or tab");
  Require(out.find("  ") == std::string::npos, "output has a run of spaces");
  Require(out.empty() || (out.front() != ' ' && out.back() != ' '), "output is not trimmed");
  Require(out.find("__label__") == std::string::npos, "output holds a fastText label");
  Require(hamlet::text::Normalize(raw) == out, "Normalize is not deterministic");
  return 0;
}
