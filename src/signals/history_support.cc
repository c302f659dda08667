// Shared helpers of the history-based checks.
#include "signals/history_support.h"

#include <charconv>
#include <cmath>

namespace hamlet::signals {

std::string CountText(double count) {
  // Tenths as an integer, printed with integer to_chars: reputation texts format several
  // counts per comment, and floating-point formatting cost more than the check around it.
  if (!(count >= 0.0) || count > 1e15) return count < 0.0 ? "0" : "many";
  const long long tenths = std::llround(count * 10.0);
  char buf[32];
  char* end = buf;
  if (tenths >= 100 || tenths % 10 == 0) {
    end = std::to_chars(buf, buf + sizeof buf, (tenths + 5) / 10).ptr;  // halves round up
  } else {
    end = std::to_chars(buf, buf + sizeof buf, tenths / 10).ptr;
    *end++ = '.';
    *end++ = static_cast<char>('0' + tenths % 10);
  }
  return std::string(buf, end);
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
