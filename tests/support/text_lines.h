// Picking lines out of a command's output.
#pragma once

#include <string>

namespace hamlet::testing {

// The last non-empty line of `text`, without its newline; empty when there is none. Commands
// print their result last (e.g. `hamlet keys create` the key).
std::string LastLine(const std::string& text);

}  // namespace hamlet::testing
