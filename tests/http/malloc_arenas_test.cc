// LimitMallocArenas: the cap hamletd applies, and the operator's MALLOC_ARENA_MAX winning.
#include "http/malloc_arenas.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

namespace hamlet::http {
namespace {

// Restores MALLOC_ARENA_MAX as the test found it.
struct ArenaEnvGuard {
  ArenaEnvGuard() {
    if (const char* v = std::getenv("MALLOC_ARENA_MAX")) saved = v;
  }
  ~ArenaEnvGuard() {
    if (saved.empty()) {
      unsetenv("MALLOC_ARENA_MAX");
    } else {
      setenv("MALLOC_ARENA_MAX", saved.c_str(), 1);
    }
  }
  std::string saved;
};

TEST_CASE("LimitMallocArenas caps glibc's arenas at one per core, at least two") {
  ArenaEnvGuard guard;
  unsetenv("MALLOC_ARENA_MAX");
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  CHECK(LimitMallocArenas() == std::max(2, cores));
}

TEST_CASE("LimitMallocArenas leaves malloc alone when the operator set MALLOC_ARENA_MAX") {
  ArenaEnvGuard guard;
  setenv("MALLOC_ARENA_MAX", "8", 1);
  CHECK(LimitMallocArenas() == 0);
}

}  // namespace
}  // namespace hamlet::http
