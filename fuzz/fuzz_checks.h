// Invariants the fuzz targets assert on their outputs. A violated one aborts, which libFuzzer
// reports as a crash with the input that caused it.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace hamlet::fuzz {

// Aborts with `what` when `ok` is false.
inline void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

// True when `s` is well-formed UTF-8 without NUL (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF).
inline bool IsCleanUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (b == 0) return false;
    if (b < 0x80) {
      ++i;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b == 0xE0) {
      n = 2, lo = 0xA0;
    } else if (b == 0xED) {
      n = 2, hi = 0x9F;
    } else if (b >= 0xE1 && b <= 0xEF) {
      n = 2;
    } else if (b == 0xF0) {
      n = 3, lo = 0x90;
    } else if (b == 0xF4) {
      n = 3, hi = 0x8F;
    } else if (b >= 0xF1 && b <= 0xF3) {
      n = 3;
    } else {
      return false;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace hamlet::fuzz
