// Rate check: step contributions per sender and window.
#include "signals/rate.h"

#include <algorithm>
#include <string>

#include "signals/history_support.h"

namespace hamlet::signals {
namespace {

constexpr double kFamilyMax = 3.0;

struct Step {
  int at_least;
  double contribution;
};

// The contribution of the highest step `count` reaches (steps in increasing order).
template <size_t N>
double Stepped(int count, const Step (&steps)[N]) {
  double out = 0.0;
  for (const Step& s : steps) {
    if (count >= s.at_least) out = s.contribution;
  }
  return out;
}

constexpr Step kIpMinute[] = {{3, 1.0}, {6, 2.0}, {12, 3.0}};
constexpr Step kIpHour[] = {{15, 1.0}, {40, 2.0}};
constexpr Step kAuthorHour[] = {{10, 1.0}, {30, 2.0}};

std::string Earlier(int n, const char* from, const char* window) {
  return std::to_string(n) + " earlier comment" + (n == 1 ? "" : "s") + " from " + from +
         " in the last " + window;
}

}  // namespace

void CheckRate(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const History& h = input.history;
  if (!h.available) return;
  const RateHistory& r = h.rate;
  const size_t first = hits.size();
  const double minute = Stepped(r.ip_last_minute, kIpMinute);
  const double hour = Stepped(r.ip_last_hour, kIpHour);
  if (minute > 0.0 || hour > 0.0) {
    hits.push_back({"rate.ip",
                    std::max(minute, hour),
                    minute >= hour ? Earlier(r.ip_last_minute, "this IP", "minute")
                                   : Earlier(r.ip_last_hour, "this IP", "hour"),
                    {}});
  }
  if (const double v = Stepped(r.email_last_hour, kAuthorHour); v > 0.0) {
    hits.push_back({"rate.email", v, Earlier(r.email_last_hour, "this e-mail", "hour"), {}});
  }
  if (const double v = Stepped(r.author_url_last_hour, kAuthorHour); v > 0.0) {
    hits.push_back(
        {"rate.author_url", v, Earlier(r.author_url_last_hour, "this author URL", "hour"), {}});
  }
  CapFamily(hits, first, kFamilyMax, kFamilyMax);
}

}  // namespace hamlet::signals
