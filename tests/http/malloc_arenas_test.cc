// LimitMallocArenas: the cap hamletd applies, and the operator's own setting winning.
#include "http/malloc_arenas.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "http/usable_cpus.h"
#include "support/env_guard.h"
#include "support/sanitizers.h"

namespace hamlet::http {
namespace {

using testing::EnvGuard;

TEST_SUITE("http/malloc_arenas") {
  // Sanitizer runtimes replace malloc, and their mallopt does not take M_ARENA_MAX.
  TEST_CASE("LimitMallocArenas caps glibc's arenas at one per usable CPU, at least two" *
            doctest::skip(testing::kSanitizerMalloc)) {
    EnvGuard arena_max("MALLOC_ARENA_MAX");
    EnvGuard tunables("GLIBC_TUNABLES");
    arena_max.Unset();
    tunables.Unset();
    CHECK(LimitMallocArenas() == std::max(2, UsableCpus()));
  }

  TEST_CASE("LimitMallocArenas leaves malloc alone when the operator set MALLOC_ARENA_MAX") {
    EnvGuard arena_max("MALLOC_ARENA_MAX");
    arena_max.Set("8");
    CHECK(LimitMallocArenas() == 0);
  }

  TEST_CASE("LimitMallocArenas leaves malloc alone when GLIBC_TUNABLES sets arena_max") {
    EnvGuard arena_max("MALLOC_ARENA_MAX");
    EnvGuard tunables("GLIBC_TUNABLES");
    arena_max.Unset();
    tunables.Set("glibc.malloc.tcache_count=0:glibc.malloc.arena_max=4");
    CHECK(LimitMallocArenas() == 0);
  }
}

}  // namespace
}  // namespace hamlet::http
