// History: what the installation remembers about comments like the one being judged
// (reputation of its IP, e-mail and domains, near-copies of its text, bursts from its sender),
// gathered by the engine before the checks run (engine::SignalMemory). The checks only read
// it, so they stay pure. Every figure is about earlier comments, never the one being judged.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hamlet::signals {

// Decayed counts of earlier comments sharing one trait (an IP, an e-mail, a domain ...).
struct Tally {
  double spam = 0.0;      // judged spam (not uncertain) or labelled spam by a moderator
  double ham = 0.0;       // judged ham (not uncertain) or labelled ham by a moderator
  double approved = 0.0;  // labelled ham by a moderator (part of `ham`)
  double reported = 0.0;  // labelled spam by a moderator (part of `spam`)
};

enum class TraitKind {
  kIp,            // user_ip
  kNet24,         // the IPv4 /24 (or IPv6 /48) around user_ip
  kEmail,         // comment_author_email, lower-cased
  kAuthorDomain,  // site domain of comment_author_url
  kLinkedDomain,  // site domain of a link in the text
};

struct TraitHistory {
  TraitKind kind = TraitKind::kIp;
  std::string value;  // personal data for kIp/kNet24/kEmail: mask before logging
  Tally site;         // on the site being judged
  Tally global;       // on every site of this installation
};

// Near-copies of the text (campaign detection), within the memory's window.
struct CampaignHistory {
  int copies = 0;   // earlier comments with the same or nearly the same text
  int senders = 0;  // distinct senders (IP or e-mail) among them
  int sites = 0;    // distinct sites among them
};

// Comments from the same sender shortly before this one.
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
  std::vector<TraitHistory> traits;
  CampaignHistory campaign;
  RateHistory rate;
  // Earlier comments on this site by the same e-mail or author URL.
  int prior_comments_by_author = 0;
};

}  // namespace hamlet::signals
