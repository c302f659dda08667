// Runs one check function, or the whole check table, on a comment built from Akismet-named
// fields, with chosen settings and arrival time, for table-driven check tests.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/comment.h"
#include "core/signal_hit.h"
#include "signals/check_settings.h"
#include "signals/signal.h"

namespace hamlet::testing {

struct CheckRun {
  std::vector<core::SignalHit> hits;
  // The first hit named `check`, or nullptr.
  const core::SignalHit* Find(std::string_view check) const;
  // The contribution of the hit named `check`, 0 when there is none.
  double Of(std::string_view check) const;
  // The sum of every hit's contribution.
  double Total() const;
};

// `check` alone (nullptr: every check of the table, through signals::RunChecks, so weights
// apply) on CommentFromFields(fields), with no history and no lists.
CheckRun RunCheck(signals::CheckFn check, core::FieldList fields, int64_t now_ms = 0,
                  const signals::CheckSettings& settings = {});
// The same on a comment that is only `content`.
CheckRun RunCheckOnText(signals::CheckFn check, std::string_view content);

}  // namespace hamlet::testing
