// Decision: the verdict on one comment, with the score and every reason that produced it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hamlet::core {

enum class Verdict { kHam, kSpam, kDiscard };

// "ham", "spam", "discard".
std::string_view VerdictName(Verdict v);
// Inverse of VerdictName; nullopt for anything else.
std::optional<Verdict> ParseVerdict(std::string_view name);
// True when `v` says spam: spam or discard (discard is spam too blatant to show a moderator).
bool IsSpamVerdict(Verdict v);

// One named contribution to a verdict (rspamd's "symbol"): the check, its effect on the
// log-odds, and a short text a moderator can read.
struct Reason {
  std::string check;
  double contribution = 0.0;
  std::string detail;
};

struct Decision {
  Verdict verdict = Verdict::kHam;
  double score = 0.0;  // P(spam) after all checks, 0..1
  // The summed log-odds behind `score` (model plus checks), which, unlike the score, neither
  // saturates nor ties at the top: thresholds are picked on it. +/-infinity when a forcing
  // check settled the verdict.
  double log_odds = 0.0;
  bool uncertain = false;  // ham or spam, but close enough to the threshold for a human look
  // What a yes/no client (Akismet's comment-check) is told: spam for spam and discard, except
  // that an uncertain decision gets the site's uncertain answer (decision::Policy).
  bool answer_spam = false;
  std::vector<Reason> reasons;
};

}  // namespace hamlet::core
