// FaultCounters: database errors by FaultKind, counted by a store's connections for
// StoreStats::faults; shared by the SQLite and PostgreSQL backends. Not for use outside
// src/store/.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "store/store.h"

namespace hamlet::store::internal {

// Database errors by FaultKind, shared by a store's connections (StoreStats::faults).
class FaultCounters {
 public:
  void Count(FaultKind kind) {
    counts_[static_cast<size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
  }
  std::array<uint64_t, kFaultKindCount> Read() const {
    std::array<uint64_t, kFaultKindCount> out{};
    for (size_t i = 0; i < kFaultKindCount; ++i)
      out[i] = counts_[i].load(std::memory_order_relaxed);
    return out;
  }

 private:
  std::array<std::atomic<uint64_t>, kFaultKindCount> counts_{};
};

}  // namespace hamlet::store::internal
