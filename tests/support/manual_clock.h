// ManualClock: a core::Clock a test sets and moves by hand; safe to read from other threads
// (a background worker) while the test moves it.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/clock.h"

namespace hamlet::testing {

struct ManualClock final : core::Clock {
  explicit ManualClock(int64_t start_ms = 1'700'000'000'000) : now(start_ms) {}
  std::atomic<int64_t> now;
  int64_t NowMillis() const override { return now.load(); }
};

}  // namespace hamlet::testing
