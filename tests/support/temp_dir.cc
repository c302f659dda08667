// TempDir: mkdtemp on the way in, remove_all on the way out.
#include "support/temp_dir.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

namespace hamlet::testing {

TempDir::TempDir() {
  std::string tmpl = "/tmp/hamlet-test-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("TempDir: mkdtemp");
    std::abort();
  }
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::File(std::string_view name) const {
  std::string out = path_;
  out += '/';
  out += name;
  return out;
}

}  // namespace hamlet::testing
