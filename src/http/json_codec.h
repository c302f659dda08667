// The native /v1 JSON API codec (nlohmann::json): request bodies -> Comment, decisions and
// errors -> JSON. All JSON parse and type errors are caught here and become InvalidArgument.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/model_reload.h"
#include "core/comment.h"
#include "core/status.h"
#include "engine/decision_feed.h"
#include "engine/feedback.h"
#include "engine/filter.h"

namespace hamlet::http {

// POST /v1/check: an object with Akismet field names. Known fields and api_key must be
// strings; is_test may be a boolean, 0/1 or a string; comment_context a string or an array
// of strings; other fields may be strings, numbers or booleans (kept as text), null is
// ignored, and nested objects/arrays are refused. comment_content is required (non-empty).
// At most kMaxFields members and comment_context items.
struct V1CheckRequest {
  core::Comment comment;
  std::string api_key;  // from the body; empty when absent
};
core::Result<V1CheckRequest> DecodeV1Check(std::string_view body);

// POST /v1/feedback: {"label": "spam"|"ham", "id"?: decision id, ...comment fields}.
// Needs an id or a comment_content to link the report to.
struct V1FeedbackRequest {
  core::Comment comment;
  std::string api_key;
  std::string id;
  engine::Label label = engine::Label::kSpam;
};
core::Result<V1FeedbackRequest> DecodeV1Feedback(std::string_view body);

// POST /v1/admin/reload takes no parameters (it reloads the configured model path, never a
// path from the client): an empty body or {}. InvalidArgument for anything else.
core::Status DecodeV1AdminReload(std::string_view body);

// GET /v1/decisions?since=CURSOR&limit=N: the query parameters. An absent `since` starts at
// the first decision; an absent `limit` is DecisionFeed::kDefaultLimit. InvalidArgument when
// limit is not a whole number (the range is the engine's to check).
struct V1DecisionsRequest {
  std::string since;
  int limit = engine::DecisionFeed::kDefaultLimit;
};
core::Result<V1DecisionsRequest> DecodeV1Decisions(const std::string* since,
                                                   const std::string* limit);

// "Authorization: Bearer KEY" -> KEY; "" for anything else.
std::string BearerToken(std::string_view authorization_header);

// {"id","verdict","score","uncertain","reasons":[{"check","contribution","detail"}],"model"}
std::string EncodeCheckOutcome(const engine::CheckOutcome& outcome);
// {"feedback_id": N, "decision_id": "..." | null}
std::string EncodeFeedbackOutcome(const engine::FeedbackOutcome& outcome);
// {"decisions": [engine::DecisionOutcomeJson...], "next": cursor, "more": bool}
std::string EncodeDecisionsPage(const engine::DecisionFeedPage& page);
// {"model": current, "previous": previous, "reloads": N}
std::string EncodeReloadOutcome(const app::ReloadOutcome& outcome);
// A refused reload: {"error":{"code":"reload_failed","message":"...","request_id":"..."},
// "model": the version still serving}.
std::string EncodeReloadFailure(std::string_view message, std::string_view serving,
                                std::string_view request_id);
// {"error":{"code":"invalid_argument","message":"...","request_id":"..."}}
std::string EncodeError(core::StatusCode code, std::string_view message,
                        std::string_view request_id);
// The same with a code of the HTTP layer's own, e.g. "rate_limited", "unsupported_media_type".
std::string EncodeNamedError(std::string_view code, std::string_view message,
                             std::string_view request_id);

}  // namespace hamlet::http
