// LimitMallocArenas: the cap hamletd applies, and the operator's own setting winning.
#include "http/malloc_arenas.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>

#include "http/usable_cpus.h"

namespace hamlet::http {
namespace {

// Sanitizer runtimes replace malloc, and their mallopt does not take M_ARENA_MAX.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kOwnMalloc = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kOwnMalloc = true;
#else
constexpr bool kOwnMalloc = false;
#endif
#else
constexpr bool kOwnMalloc = false;
#endif

// Sets or clears environment variables for one test and restores them as they were.
class EnvGuard {
 public:
  explicit EnvGuard(const char* name) : name_(name) {
    if (const char* v = std::getenv(name)) saved_ = v;
  }
  ~EnvGuard() {
    if (saved_) {
      setenv(name_, saved_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  const char* name_;
  std::optional<std::string> saved_;
};

TEST_SUITE("http/malloc_arenas") {
  TEST_CASE("LimitMallocArenas caps glibc's arenas at one per usable CPU, at least two" *
            doctest::skip(kOwnMalloc)) {
    EnvGuard arena_max("MALLOC_ARENA_MAX");
    EnvGuard tunables("GLIBC_TUNABLES");
    unsetenv("MALLOC_ARENA_MAX");
    unsetenv("GLIBC_TUNABLES");
    CHECK(LimitMallocArenas() == std::max(2, UsableCpus()));
  }

  TEST_CASE("LimitMallocArenas leaves malloc alone when the operator set MALLOC_ARENA_MAX") {
    EnvGuard arena_max("MALLOC_ARENA_MAX");
    setenv("MALLOC_ARENA_MAX", "8", 1);
    CHECK(LimitMallocArenas() == 0);
  }

  TEST_CASE("LimitMallocArenas leaves malloc alone when GLIBC_TUNABLES sets arena_max") {
    EnvGuard arena_max("MALLOC_ARENA_MAX");
    EnvGuard tunables("GLIBC_TUNABLES");
    unsetenv("MALLOC_ARENA_MAX");
    setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0:glibc.malloc.arena_max=4", 1);
    CHECK(LimitMallocArenas() == 0);
  }
}

}  // namespace
}  // namespace hamlet::http
