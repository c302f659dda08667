#include "http/malloc_arenas.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "http/usable_cpus.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace hamlet::http {

int LimitMallocArenas() {
#if defined(M_ARENA_MAX)
  if (std::getenv("MALLOC_ARENA_MAX") != nullptr) return 0;
  // glibc's newer spelling of the same setting.
  if (const char* tunables = std::getenv("GLIBC_TUNABLES");
      tunables != nullptr && std::strstr(tunables, "glibc.malloc.arena_max") != nullptr) {
    return 0;
  }
  const int arenas = std::max(2, UsableCpus());
  return mallopt(M_ARENA_MAX, arenas) == 1 ? arenas : 0;
#else
  return 0;
#endif
}

}  // namespace hamlet::http
