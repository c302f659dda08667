// The skip counter behind HAMLET_SKIP.
#include "support/skip.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <string>

namespace hamlet::testing {
namespace {

std::atomic<unsigned> g_skipped{0};

}  // namespace

void MarkSkipped(std::string_view reason) {
  g_skipped.fetch_add(1);
  const std::string text(reason);
  std::fprintf(stderr, "SKIPPED: %s\n", text.c_str());
  MESSAGE("SKIPPED: " << text);
}

unsigned SkippedCount() { return g_skipped.load(); }

}  // namespace hamlet::testing
