// The JSON a site receives about one of its decisions and the moderator verdict on it, the
// same in webhook events and in GET /v1/decisions. Personal data (the commenter's name,
// e-mail, URL and IP address) is left out unless the site's outcome_personal_data is on.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "store/store.h"

namespace hamlet::engine {

// Code points of the comment an outcome quotes; enough to recognize it.
inline constexpr size_t kExcerptChars = 200;

// {"id", "created", "verdict", "uncertain", "score", "is_test", "permalink",
//  "comment_date_gmt", "excerpt", "label", "labeled", "labeled_by", "moderator"} and, with
// `personal_data`, {"comment_author", "comment_author_email", "comment_author_url",
// "user_ip"}. `latest` is the feedback in force (null: no label yet); labeled_by is
// "hamlet" for a moderator's verdict in hamlet (mark-spam/mark-ham) and "site" for the
// site's own report (submit-spam/submit-ham, POST /v1/feedback).
nlohmann::json DecisionOutcomeJson(const store::DecisionRecord& decision,
                                   const store::FeedbackRecord* latest, bool personal_data);

// "2024-05-01T10:00:00.123Z" (RFC 3339, UTC, milliseconds).
std::string Rfc3339(int64_t millis);

// The first `max_chars` code points of `text` with runs of white space made one space and
// "…" added when cut. Invalid UTF-8 is kept as is (JSON encoding replaces it).
std::string Excerpt(std::string_view text, size_t max_chars = kExcerptChars);

// `j` as compact JSON text, with bytes that are not valid UTF-8 replaced by U+FFFD.
std::string DumpJson(const nlohmann::json& j);

}  // namespace hamlet::engine
