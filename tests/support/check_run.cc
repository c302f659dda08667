// CheckRun: one check on one comment.
#include "support/check_run.h"

#include <string>

#include "signals/check_input.h"
#include "text/normalize.h"

namespace hamlet::testing {

const core::SignalHit* CheckRun::Find(std::string_view check) const {
  for (const core::SignalHit& hit : hits) {
    if (hit.check == check) return &hit;
  }
  return nullptr;
}

double CheckRun::Of(std::string_view check) const {
  const core::SignalHit* hit = Find(check);
  return hit != nullptr ? hit->contribution : 0.0;
}

double CheckRun::Total() const {
  double total = 0.0;
  for (const core::SignalHit& hit : hits) total += hit.contribution;
  return total;
}

CheckRun RunCheck(signals::CheckFn check, core::FieldList fields, int64_t now_ms,
                  const signals::CheckSettings& settings) {
  const core::Comment comment = core::CommentFromFields(std::move(fields));
  const text::TextAnalysis text = text::Analyze(comment.comment_content);
  const signals::History history;
  const signals::Lists lists;
  const signals::CheckInput input{comment, text, history, lists, settings, now_ms};
  CheckRun run;
  if (check == nullptr) {
    run.hits = signals::RunChecks(input);
  } else {
    check(input, run.hits);
  }
  return run;
}

CheckRun RunCheckOnText(signals::CheckFn check, std::string_view content) {
  return RunCheck(check, {{"comment_content", std::string(content)}});
}

}  // namespace hamlet::testing
