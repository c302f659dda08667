// FieldOf: a submitted field's value by name, for checks that look fields up by literal names.
#pragma once

#include <string>
#include <string_view>

#include "core/comment.h"

namespace hamlet::signals {

// The value of the first field named `name` in `c.fields`, or "" when absent: core::Comment::Field
// with a string_view name, because Field's `const std::string&` parameter turns each literal name
// longer than 15 characters into a heap string, on every comment.
inline const std::string& FieldOf(const core::Comment& c, std::string_view name) {
  static const std::string kEmpty;
  for (const auto& [key, value] : c.fields) {
    if (key == name) return value;
  }
  return kEmpty;
}

}  // namespace hamlet::signals
