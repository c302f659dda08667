// Looking up a check's hit in what signals::RunChecks (or one check) returned.
#pragma once

#include <string_view>
#include <vector>

#include "core/signal_hit.h"

namespace hamlet::testing {

// The first hit named `check`, or nullptr.
inline const core::SignalHit* FindHit(const std::vector<core::SignalHit>& hits,
                                      std::string_view check) {
  for (const auto& h : hits) {
    if (h.check == check) return &h;
  }
  return nullptr;
}

}  // namespace hamlet::testing
