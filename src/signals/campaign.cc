// Campaign check: near-copies of the text from other senders, posts and sites.
#include "signals/campaign.h"

#include <algorithm>
#include <string>

namespace hamlet::signals {
namespace {

constexpr double kPerSender = 1.5;
constexpr double kMaxFromSenders = 5.0;
constexpr double kSeveralSites = 0.5;
constexpr double kReported = 1.5;
constexpr double kMax = 6.0;
constexpr double kOneSenderRepeating = 1.0;

std::string Plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

void CheckCampaign(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const History& h = input.history;
  const CampaignHistory& c = h.campaign;
  if (!h.available || !c.fingerprinted || c.copies == 0 || c.approved > 0) return;
  double value = 0.0;
  if (c.senders <= 1) {
    if (c.posts < 3 && c.sites < 2) return;
    value = kOneSenderRepeating;
  } else {
    value = std::min(kMaxFromSenders, kPerSender * (c.senders - 1));
    if (c.sites >= 2) value += kSeveralSites;
  }
  if (c.reported > 0) value += kReported;
  value = std::min(value, kMax);
  std::string detail =
      Plural(c.copies, "earlier copy", "earlier copies") + " of this text; with this one from " +
      Plural(c.senders, "sender", "senders") + " on " + Plural(c.sites, "site", "sites") + " in " +
      std::to_string(c.window_ms / 3'600'000) + " h";
  if (c.senders <= 1) detail += " (on " + Plural(c.posts, "post", "posts") + ")";
  if (c.reported > 0) detail += ", " + std::to_string(c.reported) + " reported by moderators";
  hits.push_back({"campaign", value, std::move(detail), {}});
}

}  // namespace hamlet::signals
