// History: what the installation remembers about comments like the one being judged
// (reputation of its IP, e-mail and domains, near-copies of its text, bursts from its sender,
// moderators' approvals of its author), gathered by the engine before the checks run
// (engine::SignalMemory). The checks only read it, so they stay pure. Every figure is about
// earlier comments, never the one being judged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hamlet::signals {

// Decayed counts of earlier comments sharing one trait (an IP, an e-mail, a domain ...): each
// comment counts 1 when it arrives and half as much every half-life after (History::
// half_life_days). Automatic verdicts and moderators' labels are kept apart, because the
// checks trust them differently (a label replaces the verdict of the comment it labels).
struct Tally {
  double spam = 0.0;      // judged spam with confidence (not uncertain), no label
  double ham = 0.0;       // judged ham with confidence (not uncertain), no label
  double reported = 0.0;  // labelled spam by a moderator (submit-spam, mark-spam)
  double approved = 0.0;  // labelled ham by a moderator (submit-ham, mark-ham)

  bool empty() const { return spam + ham + reported + approved <= 0.0; }
};

enum class TraitKind {
  kIp,         // user_ip
  kNet,        // the IPv4 /24 (or IPv6 /48) around user_ip
  kEmail,      // comment_author_email, lower-cased, without a +tag
  kAuthorUrl,  // comment_author_url without scheme, www., query or trailing slash
  // Hosts, without a leading "www.", rather than registrable domains: on shared platforms
  // (blogspot.com, github.io ...) each subdomain is someone else's.
  kAuthorDomain,  // host of comment_author_url
  kLinkedDomain,  // host of a link in the text (not on the site's own domain)
};

struct TraitHistory {
  TraitKind kind = TraitKind::kIp;
  // The domain for kAuthorDomain and kLinkedDomain (the comment shows it); empty for the
  // personal kinds (IP, network, e-mail, author URL), which memory keeps only as salted hashes.
  std::string value;
  Tally site;    // on the site being judged
  Tally global;  // on every site of this installation (the site's counts included)
};

// Near-copies of the text (campaign detection) within the memory's window. Only texts long
// enough to fingerprint take part (fingerprinted); shorter ones have no campaign history.
struct CampaignHistory {
  bool fingerprinted = false;  // the text has enough distinct words to compare
  int copies = 0;              // earlier comments with the same or nearly the same text
  // Distinct senders (IP, else e-mail, else author name), sites and posts (permalinks) among
  // the earlier copies and this comment together: 1 means "all from this one".
  int senders = 0;
  int sites = 0;
  int posts = 0;
  int reported = 0;  // earlier copies a moderator labelled spam
  int approved = 0;  // earlier copies a moderator labelled ham
  int64_t window_ms = 0;
};

// Comments from the same sender shortly before this one, on any site.
struct RateHistory {
  int ip_last_minute = 0;
  int ip_last_hour = 0;
  int email_last_hour = 0;
  int author_url_last_hour = 0;
};

struct History {
  // False when no memory is attached (evaluation without replay, `hamlet check` without a
  // key): history-based checks then say nothing rather than "never seen".
  bool available = false;
  double half_life_days = 0.0;  // of the tallies, for the checks' human texts
  std::vector<TraitHistory> traits;
  CampaignHistory campaign;
  RateHistory rate;
  // Earlier comments on this site by the same e-mail or author URL that memory remembers
  // (its horizon; the larger of the two counts). 0 on a first comment.
  int prior_comments_by_author = 0;
};

// True for the checks that read History (families reputation, campaign, rate, trust). The
// engine leaves their contributions out of what memory learns from a verdict, so history never
// feeds on itself.
constexpr bool ReadsHistory(std::string_view check) {
  const std::string_view family = check.substr(0, check.find('.'));
  return family == "reputation" || family == "campaign" || family == "rate" || family == "trust";
}

}  // namespace hamlet::signals
