// The handlers listed in the route table (routes.cc), and the helpers they share.
// Internal to the http layer.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"
#include "engine/key_service.h"  // store::SiteKey, store::KeyRole
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

// Service (routes.cc, metrics_handler.cc).
void HandleHealthz(const RouteContext& ctx, const Exchange& ex);
void HandleReadyz(const RouteContext& ctx, const Exchange& ex);
void HandleMetrics(const RouteContext& ctx, const Exchange& ex);
void HandleV1Index(const RouteContext& ctx, const Exchange& ex);

// A key check under the RequestGuard (key_check.cc).
struct KeyCheck {
  KeyCheck(core::Result<store::SiteKey> k, int retry = 0, std::string because = {})
      : key(std::move(k)), retry_after(retry), throttled_because(std::move(because)) {}
  core::Result<store::SiteKey> key;  // the key record, or why the key was not accepted
  // > 0: refused by a limit, `key` is to be ignored: answer WriteThrottled with
  // `throttled_because` and this many seconds.
  int retry_after = 0;
  std::string throttled_because;
};
// Checks `key` for `role`: refused without looking at the key while the client's address has
// used up its failed checks; a wrong key (unknown, malformed, revoked; an empty one is not a
// guess) counts as a failed check; a right one counts against its key's rate.
KeyCheck CheckKey(const RouteContext& ctx, const Exchange& ex, std::string_view key,
                  store::KeyRole role = store::KeyRole::kSite);
// Writes the 429 for a refused KeyCheck.
void WriteKeyThrottled(const Exchange& ex, const KeyCheck& check);

// Writes an Akismet answer (text/plain) to the response.
void WriteAkismet(const Exchange& ex, const AkismetAnswer& answer);
// Writes a JSON body with `status`.
void WriteJson(const Exchange& ex, int status, const std::string& body);
// Logs an engine failure once, with the request id: warn for Unavailable, error for
// Internal, debug for caller errors.
void LogFailure(const Exchange& ex, std::string_view what, const core::Status& status);

}  // namespace hamlet::http
