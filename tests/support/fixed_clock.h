// FixedClock: a core::Clock that stands still until a test moves it.
#pragma once

#include <atomic>
#include <cstdint>

#include "core/clock.h"

namespace hamlet::testing {

class FixedClock final : public core::Clock {
 public:
  explicit FixedClock(int64_t now_ms = 1'700'000'000'000) : now_(now_ms) {}
  int64_t NowMillis() const override { return now_.load(); }
  void Set(int64_t now_ms) { now_.store(now_ms); }
  void Advance(int64_t ms) { now_.fetch_add(ms); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace hamlet::testing
