// Trust check: moderators' approvals of the same author on this site.
#include "signals/trust.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "signals/history_support.h"

namespace hamlet::signals {
namespace {

constexpr double kMinApproved = 0.1;
constexpr double kFirst = -1.5;
constexpr double kEachMore = -0.5;
constexpr double kMax = -3.0;

}  // namespace

void CheckTrust(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const History& h = input.history;
  if (!h.available) return;
  const TraitHistory* best = nullptr;
  double best_value = 0.0;
  for (const TraitHistory& t : h.traits) {
    if (t.kind != TraitKind::kEmail && t.kind != TraitKind::kAuthorUrl) continue;
    const Tally& s = t.site;
    if (s.reported >= kMinApproved) return;  // reported once: no trust from any field
    if (s.approved < kMinApproved || s.spam > s.approved) continue;
    const double value =
        std::max(kMax, kFirst + kEachMore * std::max(0.0, std::round(s.approved) - 1.0));
    if (value < best_value) {
      best = &t;
      best_value = value;
    }
  }
  if (best == nullptr) return;
  const bool email = best->kind == TraitKind::kEmail;
  hits.push_back({email ? "trust.email" : "trust.author_url",
                  best_value,
                  std::string("this ") + (email ? "e-mail" : "author URL") +
                      " has earlier comments approved by moderators on this site (" +
                      CountText(best->site.approved) + ", half-life " +
                      CountText(h.half_life_days) + " d)",
                  {}});
}

}  // namespace hamlet::signals
