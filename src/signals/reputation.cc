// Reputation check: smoothed log-ratios of decayed spam/ham evidence per trait.
#include "signals/reputation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "signals/history_support.h"

namespace hamlet::signals {
namespace {

constexpr double kLabelWeight = 3.0;       // a moderator's label counts as three verdicts
constexpr double kOtherSitesWeight = 0.5;  // evidence from the installation's other sites
constexpr double kMinEvidence = 2.0;
constexpr double kScale = 0.8;
constexpr double kMaxSpamFromVerdicts = 1.5;
constexpr double kMaxSpamWithReports = 3.0;
constexpr double kMaxHamFromVerdicts = 1.0;
constexpr double kMaxHamWithApprovals = 1.5;
constexpr double kNetworkWeight = 0.5;
constexpr double kFamilyMaxSpam = 4.0;
constexpr double kFamilyMaxHam = 2.0;
constexpr double kSmallest = 0.3;  // weaker contributions are left out (noise)

double Spam(const Tally& t) { return t.spam + kLabelWeight * t.reported; }
double Ham(const Tally& t) { return t.ham + kLabelWeight * t.approved; }

std::string Describe(std::string_view what, const TraitHistory& t, double half_life_days) {
  const Tally& g = t.global;
  // Appended into one reserved string: the chain of `+` made a heap temporary per step.
  std::string out;
  out.reserve(what.size() + 96);
  out.append(what).append(": ").append(CountText(g.spam)).append(" spam and ");
  out.append(CountText(g.ham)).append(" ham verdicts");
  if (g.reported > 0.05 || g.approved > 0.05) {
    out.append(", moderators: ").append(CountText(g.reported)).append(" spam, ");
    out.append(CountText(g.approved)).append(" ham");
  }
  if (t.site.spam + t.site.ham + t.site.reported + t.site.approved <
      g.spam + g.ham + g.reported + g.approved - 0.05) {
    out += " (all sites)";
  }
  out.append(", half-life ").append(CountText(half_life_days)).append(" d");
  return out;
}

const TraitHistory* Find(const History& h, TraitKind kind) {
  for (const TraitHistory& t : h.traits) {
    if (t.kind == kind) return &t;
  }
  return nullptr;
}

}  // namespace

double TraitReputation(const TraitHistory& t) {
  const double other_spam = std::max(0.0, Spam(t.global) - Spam(t.site));
  const double other_ham = std::max(0.0, Ham(t.global) - Ham(t.site));
  const double spam = Spam(t.site) + kOtherSitesWeight * other_spam;
  const double ham = Ham(t.site) + kOtherSitesWeight * other_ham;
  if (spam + ham < kMinEvidence) return 0.0;
  const double raw = kScale * std::log((spam + 1.0) / (ham + 1.0));
  const double max_spam = t.global.reported > 0.05 ? kMaxSpamWithReports : kMaxSpamFromVerdicts;
  const double max_ham = t.global.approved > 0.05 ? kMaxHamWithApprovals : kMaxHamFromVerdicts;
  return std::clamp(raw, -max_ham, max_spam);
}

void CheckReputation(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const History& h = input.history;
  if (!h.available) return;
  const size_t first = hits.size();
  // The human text is written only for a contribution that is kept: most comments' traits
  // have too little evidence, and formatting the counts would cost more than the check.
  auto add = [&](const char* check, double value, std::string_view what, const TraitHistory& t) {
    if (std::fabs(value) < kSmallest) return;
    hits.push_back({check, value, Describe(what, t, h.half_life_days), {}});
  };
  if (const TraitHistory* ip = Find(h, TraitKind::kIp); ip && TraitReputation(*ip) != 0.0) {
    add("reputation.ip", TraitReputation(*ip), "this IP", *ip);
  } else if (const TraitHistory* net = Find(h, TraitKind::kNet); net) {
    add("reputation.network", kNetworkWeight * TraitReputation(*net), "this IP's network", *net);
  }
  if (const TraitHistory* email = Find(h, TraitKind::kEmail); email) {
    add("reputation.email", TraitReputation(*email), "this e-mail", *email);
  }
  if (const TraitHistory* domain = Find(h, TraitKind::kAuthorDomain); domain) {
    add("reputation.author_domain", TraitReputation(*domain), "author URL host " + domain->value,
        *domain);
  }
  const TraitHistory* worst = nullptr;
  double worst_value = 0.0;
  for (const TraitHistory& t : h.traits) {
    if (t.kind != TraitKind::kLinkedDomain) continue;
    const double value = TraitReputation(t);
    if (value > worst_value) {
      worst = &t;
      worst_value = value;
    }
  }
  if (worst != nullptr) {
    add("reputation.linked_domain", worst_value, "linked host " + worst->value, *worst);
  }
  CapFamily(hits, first, kFamilyMaxSpam, kFamilyMaxHam);
}

}  // namespace hamlet::signals
