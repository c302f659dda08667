// Caps glibc's malloc arenas for a daemon with many worker threads.
#pragma once

namespace hamlet::http {

// glibc gives threads up to 8 arenas per core; with 256 workers each arena keeps its own free
// pages, and a load run leaves about half of the heap free but resident (measured: 82 MB held
// for 39 MB in use, still growing after two minutes). One arena per usable CPU (UsableCpus:
// the affinity mask and a cgroup quota), at least two, bounds that at no measurable cost:
// only as many threads as CPUs run at once. MALLOC_ARENA_MAX (or glibc.malloc.arena_max in
// GLIBC_TUNABLES) in the environment wins. Returns the cap applied, or 0 when it left malloc
// alone.
int LimitMallocArenas();

}  // namespace hamlet::http
