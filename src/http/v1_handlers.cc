// The native JSON API: POST /v1/check and POST /v1/feedback.
// Each: decode JSON -> authenticate (body api_key or Authorization: Bearer) -> one engine
// call -> JSON. Errors are {"error":{...}} with the status from http_status.cc.
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "app/logging.h"
#include "app/wiring.h"
#include "http/handlers.h"
#include "http/http_status.h"
#include "http/json_codec.h"

namespace hamlet::http {
namespace {

void WriteStatusError(const Exchange& ex, const core::Status& status) {
  // Server faults get a generic message: details are in the log under the request id.
  const bool server_fault = status.code() == core::StatusCode::kInternal;
  WriteJson(ex, HttpStatusFor(status.code()),
            EncodeError(status.code(), server_fault ? "internal error" : status.message(),
                        ex.request_id));
}

// The key from the body, else from the Authorization header.
std::string KeyOf(const Exchange& ex, const std::string& body_key) {
  if (!body_key.empty()) return body_key;
  return BearerToken(ex.request.get_header_value("Authorization"));
}

core::Result<store::SiteKey> Authenticate(const RouteContext& ctx, const Exchange& ex,
                                          const std::string& body_key) {
  const std::string key = KeyOf(ex, body_key);
  if (key.empty()) {
    return core::Status::Unauthenticated(
        "missing API key: send \"api_key\" in the body or \"Authorization: Bearer KEY\"");
  }
  auto record = ctx.services.keys->Authenticate(key);
  if (!record && record.error().code() == core::StatusCode::kUnauthenticated) {
    return core::Status::Unauthenticated("the API key is invalid or revoked");
  }
  return record;
}

}  // namespace

void HandleV1Check(const RouteContext& ctx, const Exchange& ex) {
  auto request = DecodeV1Check(ex.body);
  if (!request) return WriteStatusError(ex, request.error());
  auto key = Authenticate(ctx, ex, request->api_key);
  if (!key) {
    LogFailure(ex, "v1 authenticate", key.error());
    return WriteStatusError(ex, key.error());
  }
  if (!ctx.services.filter) {
    return WriteStatusError(ex, core::Status::Unavailable("model not loaded"));
  }
  auto outcome = ctx.services.filter->Check(request->comment, *key, "v1");
  if (!outcome) {
    LogFailure(ex, "v1 check", outcome.error());
    return WriteStatusError(ex, outcome.error());
  }
  spdlog::info("{} v1-check key={} verdict={} score={:.3f} id={} ip={} email={}", ex.request_id,
               key->id, core::VerdictName(outcome->decision.verdict), outcome->decision.score,
               outcome->id, app::MaskIp(request->comment.user_ip),
               app::MaskEmail(request->comment.comment_author_email));
  WriteJson(ex, 200, EncodeCheckOutcome(*outcome));
}

void HandleV1Feedback(const RouteContext& ctx, const Exchange& ex) {
  auto request = DecodeV1Feedback(ex.body);
  if (!request) return WriteStatusError(ex, request.error());
  auto key = Authenticate(ctx, ex, request->api_key);
  if (!key) {
    LogFailure(ex, "v1 authenticate", key.error());
    return WriteStatusError(ex, key.error());
  }
  auto outcome =
      ctx.services.feedback->Submit(request->comment, *key, request->label, request->id, "v1");
  if (!outcome) {
    LogFailure(ex, "v1 feedback", outcome.error());
    return WriteStatusError(ex, outcome.error());
  }
  spdlog::info("{} v1-feedback key={} label={} feedback={} decision={}", ex.request_id, key->id,
               engine::LabelName(request->label), outcome->feedback_id,
               outcome->decision_id.empty() ? "-" : outcome->decision_id);
  WriteJson(ex, 200, EncodeFeedbackOutcome(*outcome));
}

}  // namespace hamlet::http
