// Reading and writing the files a test (or the program under test) uses.
#pragma once

#include <string>
#include <string_view>

namespace hamlet::testing {

// The whole file, byte for byte (binary mode); empty when it cannot be read.
std::string ReadFile(const std::string& path);

// Writes `text` as the whole file (binary mode), creating its missing parent folders. Fails the
// current test (doctest REQUIRE) when it cannot.
void WriteFile(const std::string& path, std::string_view text);

}  // namespace hamlet::testing
