// The handlers listed in the route table (routes.cc), and the helpers they share.
// Internal to the http layer.
#pragma once

#include <string_view>

#include "core/status.h"
#include "http/akismet_codec.h"
#include "http/routes.h"

namespace hamlet::http {

// Akismet 1.1 (akismet_handlers.cc).
void HandleVerifyKey(const RouteContext& ctx, const Exchange& ex);
void HandleCommentCheck(const RouteContext& ctx, const Exchange& ex);
void HandleSubmitSpam(const RouteContext& ctx, const Exchange& ex);
void HandleSubmitHam(const RouteContext& ctx, const Exchange& ex);
// Akismet account calls and 1.2 (akismet_handlers.cc).
void HandleTest(const RouteContext& ctx, const Exchange& ex);
void HandleGetSubscription(const RouteContext& ctx, const Exchange& ex);
void HandleGetStats(const RouteContext& ctx, const Exchange& ex);
void HandleDeactivate(const RouteContext& ctx, const Exchange& ex);
void HandleUsageLimit(const RouteContext& ctx, const Exchange& ex);
void HandleKeySites(const RouteContext& ctx, const Exchange& ex);

// Native JSON API (v1_handlers.cc).
void HandleV1Check(const RouteContext& ctx, const Exchange& ex);
void HandleV1Feedback(const RouteContext& ctx, const Exchange& ex);
void HandleV1Decisions(const RouteContext& ctx, const Exchange& ex);
void HandleV1AdminReload(const RouteContext& ctx, const Exchange& ex);

// Service (routes.cc).
void HandleHealthz(const RouteContext& ctx, const Exchange& ex);
void HandleV1Index(const RouteContext& ctx, const Exchange& ex);

// Writes an Akismet answer (text/plain) to the response.
void WriteAkismet(const Exchange& ex, const AkismetAnswer& answer);
// Writes a JSON body with `status`.
void WriteJson(const Exchange& ex, int status, const std::string& body);
// Logs an engine failure once, with the request id: warn for Unavailable, error for
// Internal, debug for caller errors.
void LogFailure(const Exchange& ex, std::string_view what, const core::Status& status);

}  // namespace hamlet::http
