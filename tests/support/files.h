// Reading a file a test (or the program under test) wrote.
#pragma once

#include <string>

namespace hamlet::testing {

// The whole file, byte for byte (binary mode); empty when it cannot be read.
std::string ReadFile(const std::string& path);

}  // namespace hamlet::testing
