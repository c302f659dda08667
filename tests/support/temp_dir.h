// TempDir: a fresh directory under /tmp for one test, removed with everything in it when the
// TempDir goes out of scope.
#pragma once

#include <string>
#include <string_view>

namespace hamlet::testing {

class TempDir {
 public:
  // Creates /tmp/hamlet-test-XXXXXX; aborts the test binary if it cannot.
  TempDir();
  // Removes the directory recursively; errors are ignored.
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory, without a trailing slash.
  const std::string& path() const { return path_; }
  // path() + "/" + name. Creates nothing.
  std::string File(std::string_view name) const;

 private:
  std::string path_;
};

}  // namespace hamlet::testing
