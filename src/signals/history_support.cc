// Shared helpers of the history-based checks.
#include "signals/history_support.h"

#include <cmath>
#include <cstdio>

namespace hamlet::signals {

std::string CountText(double count) {
  char buf[32];
  const double rounded = std::round(count * 10.0) / 10.0;
  if (rounded >= 10.0 || rounded == std::floor(rounded)) {
    std::snprintf(buf, sizeof buf, "%.0f", rounded);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f", rounded);
  }
  return buf;
}

void CapFamily(std::vector<core::SignalHit>& hits, size_t first, double max_spam, double max_ham) {
  double total = 0.0;
  for (size_t i = first; i < hits.size(); ++i) total += hits[i].contribution;
  double factor = 1.0;
  if (total > max_spam) factor = max_spam / total;
  if (total < -max_ham) factor = -max_ham / total;
  if (factor == 1.0) return;
  for (size_t i = first; i < hits.size(); ++i) hits[i].contribution *= factor;
}

}  // namespace hamlet::signals
