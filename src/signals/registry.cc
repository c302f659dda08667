// The table of checks, run in order. Adding a check means one file pair, one row, one test.
#include <array>

#include "signals/honeypot.h"
#include "signals/links.h"
#include "signals/signal.h"
#include "signals/test_hooks.h"

namespace hamlet::signals {
namespace {

using CheckFn = void (*)(const core::Comment&, std::vector<core::SignalHit>&);

// Test hooks come first: a forcing hit earlier in the table wins (see decision::Decide).
constexpr std::array<CheckFn, 3> kChecks = {&CheckTestHooks, &CheckHoneypot, &CheckLinks};

}  // namespace

std::vector<core::SignalHit> RunChecks(const core::Comment& comment) {
  std::vector<core::SignalHit> hits;
  for (CheckFn check : kChecks) check(comment, hits);
  return hits;
}

}  // namespace hamlet::signals
