// Skipping a test case at run time, for preconditions a test cannot create itself (root, a
// file system that supports a feature). CTest reports such a run as skipped, not passed.
#pragma once

#include <string_view>

namespace hamlet::testing {

// Records that the running test case is skipped and prints why. The test case must return
// right after (use HAMLET_SKIP). A run in which every selected test case skipped exits 77,
// which CTest (SKIP_RETURN_CODE) shows as "Skipped"; in a run with others it just passes.
void MarkSkipped(std::string_view reason);
// Test cases marked skipped so far in this process.
unsigned SkippedCount();

}  // namespace hamlet::testing

#define HAMLET_SKIP(reason)                 \
  do {                                      \
    ::hamlet::testing::MarkSkipped(reason); \
    return;                                 \
  } while (false)
