// Policy: the thresholds that turn a combined score into ham / spam / discard.
#pragma once

#include <string>

#include "core/status.h"

namespace hamlet::decision {

struct Policy {
  // Scores are P(spam) after all checks, 0..1.
  double spam_threshold = 0.5;       // score >= this: spam
  double discard_threshold = 0.995;  // score >= this: discard (blatant spam, Akismet's pro-tip)
  // Ham or spam whose log-odds lie within this distance of the spam threshold's log-odds is
  // marked uncertain for the moderators' queue (1.5 is a factor of e^1.5 ~ 4.5 in the odds).
  double uncertain_band = 1.5;
  // Weight of the classifier's log-odds in the sum.
  double model_weight = 1.0;
  // What a yes/no client (Akismet's comment-check) is told about an uncertain decision:
  // false (the default) lets the site treat it as ham while it waits in hamlet's queue for a
  // moderator; true sends it to the site's spam folder.
  bool uncertain_answer_spam = false;

  // InvalidArgument unless 0 < spam_threshold <= discard_threshold <= 1 and the band is sane.
  core::Status Validate() const;
};

}  // namespace hamlet::decision
