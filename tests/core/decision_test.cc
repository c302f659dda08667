#include <doctest/doctest.h>

#include "core/decision.h"

using hamlet::core::Verdict;

TEST_SUITE("core/decision") {
  TEST_CASE("spam and discard are spam verdicts, ham is not") {
    CHECK_FALSE(hamlet::core::IsSpamVerdict(Verdict::kHam));
    CHECK(hamlet::core::IsSpamVerdict(Verdict::kSpam));
    CHECK(hamlet::core::IsSpamVerdict(Verdict::kDiscard));
  }

  TEST_CASE("verdict names round-trip, anything else is no verdict") {
    for (Verdict v : {Verdict::kHam, Verdict::kSpam, Verdict::kDiscard}) {
      CHECK(hamlet::core::ParseVerdict(hamlet::core::VerdictName(v)) == v);
    }
    CHECK_FALSE(hamlet::core::ParseVerdict("Spam").has_value());
    CHECK_FALSE(hamlet::core::ParseVerdict("").has_value());
  }
}
