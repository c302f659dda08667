// Signals: the named checks over a comment, each returning zero or more hits (a contribution
// to the spam log-odds and a reason). Checks are pure and cheap; they run on every comment.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "core/comment.h"
#include "core/signal_hit.h"
#include "signals/check_input.h"

namespace hamlet::signals {

using CheckFn = void (*)(const CheckInput&, std::vector<core::SignalHit>&);

// One row of the check table: a family of checks (the prefix of its hits' names) and the
// function that runs them.
struct CheckRow {
  std::string_view family;  // "links": its hits are "links.count", "links.shortener", ...
  CheckFn run;
  std::string_view summary;  // one line for docs and `hamlet eval --without` help
};

// The check table, in the order checks run (a forcing hit earlier in it wins).
std::span<const CheckRow> CheckTable();

// Runs every check whose family weight is not 0 and returns their hits in table order, each
// contribution multiplied by the settings' weight of its check; a hit whose own weight is 0
// is dropped.
[[nodiscard]] std::vector<core::SignalHit> RunChecks(const CheckInput& input);

// The same with nothing remembered, no lists and default settings (tests, quick scoring).
[[nodiscard]] std::vector<core::SignalHit> RunChecks(const core::Comment& comment);

}  // namespace hamlet::signals
