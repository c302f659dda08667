#include "support/files.h"

#include <fstream>
#include <sstream>

namespace hamlet::testing {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace hamlet::testing
