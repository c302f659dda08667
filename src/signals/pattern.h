// Pattern: one operator regex (the regex kind of `hamlet lists`), compiled once per lists
// snapshot with RE2. RE2 matches in time linear in the text and refuses the constructs that
// make backtracking engines (std::regex) exponential or recursive (backreferences,
// lookaround), so a pattern cannot stall or crash the check path; the measurements behind
// the choice are in docs/checks.md.
//
// Thread-safety: Search may be called concurrently on one Pattern.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace re2 {
class RE2;
}

namespace hamlet::signals {

// Longest pattern accepted, in bytes.
inline constexpr size_t kMaxPatternBytes = 1000;

class Pattern {
 public:
  // Compiles `pattern` (RE2 syntax, UTF-8, case-insensitive). InvalidArgument with RE2's
  // reason for a pattern it refuses, an empty one, one longer than kMaxPatternBytes, or one
  // whose program exceeds RE2's memory budget (1 MiB).
  static core::Result<Pattern> Compile(std::string_view pattern);

  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  ~Pattern();

  // True when the pattern matches somewhere in `text`.
  bool Search(std::string_view text) const;
  const std::string& source() const { return source_; }

 private:
  Pattern(std::string source, std::unique_ptr<re2::RE2> re);
  std::string source_;
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace hamlet::signals
