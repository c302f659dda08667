// EnvGuard: an environment variable a test sets or clears, restored as it was when the guard
// goes out of scope (however the test case ends). Child processes started meanwhile (hamletd)
// inherit the test's value.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace hamlet::testing {

class EnvGuard {
 public:
  explicit EnvGuard(std::string name) : name_(std::move(name)) {
    if (const char* v = std::getenv(name_.c_str())) saved_ = v;
  }
  ~EnvGuard() {
    if (saved_) {
      ::setenv(name_.c_str(), saved_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

  void Set(const std::string& value) const { ::setenv(name_.c_str(), value.c_str(), 1); }
  void Unset() const { ::unsetenv(name_.c_str()); }

 private:
  std::string name_;
  std::optional<std::string> saved_;
};

}  // namespace hamlet::testing
