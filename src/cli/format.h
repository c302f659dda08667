// Shared rendering for CLI output: times, records as JSON, short snippets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/decision.h"
#include "engine/moderation.h"  // the records the engine hands out

namespace hamlet::cli {

// "2026-11-25 10:04:05Z" (UTC).
std::string FormatTime(int64_t millis);
// At most `width` characters (code points) of terminal-safe, single-line text, "…" if cut.
std::string Snippet(std::string_view text, size_t width);
// Verdict with the uncertainty marker moderators look for: "spam", "ham?", "spam?".
std::string VerdictLabel(const core::Decision& d);

nlohmann::json ReasonsToJson(const std::vector<core::Reason>& reasons);
// Everything known about a decision, raw submitted fields included.
nlohmann::json DecisionToJson(const store::DecisionRecord& r);
nlohmann::json FeedbackToJson(const store::FeedbackRecord& f);
nlohmann::json ActionToJson(const store::ModeratorAction& a);
nlohmann::json KeyToJson(const store::SiteKey& k);
// Serializes with invalid UTF-8 replaced (stored comments may hold any bytes).
std::string DumpJson(const nlohmann::json& j, int indent = -1);

}  // namespace hamlet::cli
