// Mix64: splitmix64's finalizer, which spreads every input bit over the whole 64-bit word (for
// hash keys and fingerprints). Frozen: stored text fingerprints and memory traces depend on it.
#pragma once

#include <cstdint>

namespace hamlet::core {

constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace hamlet::core
