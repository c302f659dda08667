// CheckInput: everything a check may read about one comment, computed once by the engine.
#pragma once

#include <cstdint>

#include "core/comment.h"
#include "signals/check_settings.h"
#include "signals/history.h"
#include "signals/lists.h"
#include "text/normalize.h"

namespace hamlet::signals {

// All references must outlive the RunChecks call that reads them.
struct CheckInput {
  const core::Comment& comment;
  const text::TextAnalysis& text;  // text::Analyze(comment.comment_content)
  const History& history;
  const Lists& lists;
  const CheckSettings& settings;
  int64_t now_ms = 0;  // when the comment arrived, ms since the Unix epoch
};

}  // namespace hamlet::signals
