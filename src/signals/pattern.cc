// RE2-backed operator patterns.
#include "signals/pattern.h"

#include <re2/re2.h>

namespace hamlet::signals {

Pattern::Pattern(std::string source, std::unique_ptr<re2::RE2> re)
    : source_(std::move(source)), re_(std::move(re)) {}
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;
Pattern::~Pattern() = default;

core::Result<Pattern> Pattern::Compile(std::string_view pattern) {
  const std::string context =
      "regex '" + std::string(pattern.substr(0, 80)) + (pattern.size() > 80 ? "...'" : "'");
  if (pattern.empty()) return core::Status::InvalidArgument("the regex is empty");
  if (pattern.size() > kMaxPatternBytes) {
    return core::Status::InvalidArgument(context + " is longer than " +
                                         std::to_string(kMaxPatternBytes) + " bytes");
  }
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);  // the error comes back in the Status instead
  options.set_max_mem(1 << 20);
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    return core::Status::InvalidArgument(context + " is not a valid RE2 pattern: " + re->error() +
                                         " (RE2 has no backreferences or lookaround)");
  }
  return Pattern(std::string(pattern), std::move(re));
}

bool Pattern::Search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace hamlet::signals
