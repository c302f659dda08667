// Names of verdicts.
#include "core/decision.h"

namespace hamlet::core {

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kHam: return "ham";
    case Verdict::kSpam: return "spam";
    case Verdict::kDiscard: return "discard";
  }
  return "ham";
}

std::optional<Verdict> ParseVerdict(std::string_view name) {
  if (name == "ham") return Verdict::kHam;
  if (name == "spam") return Verdict::kSpam;
  if (name == "discard") return Verdict::kDiscard;
  return std::nullopt;
}

bool IsSpamVerdict(Verdict v) { return v != Verdict::kHam; }

}  // namespace hamlet::core
