// The native JSON API: POST /v1/check, POST /v1/feedback and GET /v1/decisions (site keys),
// POST /v1/admin/reload (admin keys). Each: decode JSON -> authenticate (body api_key or
// Authorization: Bearer) -> one engine or app call -> JSON. Errors are {"error":{...}} with
// the status from http_status.cc; a refused reload is 422 (see HandleV1AdminReload).
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "app/logging.h"
#include "app/wiring.h"
#include "http/handlers.h"
#include "http/http_status.h"
#include "http/json_codec.h"
#include "http/metrics.h"

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

// Unauthenticated (401) for a missing, unknown or revoked key; PermissionDenied (403) for a
// valid key of the other role. A KeyCheck refused by a limit (retry_after > 0) is answered
// 429 by the caller.
KeyCheck Authenticate(const RouteContext& ctx, const Exchange& ex, const std::string& body_key,
                      store::KeyRole role = store::KeyRole::kSite) {
  const std::string key = KeyOf(ex, body_key);
  if (key.empty()) {
    return KeyCheck{core::Status::Unauthenticated(
        role == store::KeyRole::kAdmin
            ? "missing admin key: send \"Authorization: Bearer KEY\""
            : "missing API key: send \"api_key\" in the body or \"Authorization: Bearer KEY\"")};
  }
  KeyCheck check = CheckKey(ctx, ex, key, role);
  if (!check.key && check.retry_after == 0 &&
      check.key.error().code() == core::StatusCode::kUnauthenticated) {
    check.key = core::Status::Unauthenticated("the API key is invalid or revoked");
  }
  return check;
}

// The /v1 bodies are JSON. No Content-Type is taken as JSON; one that names another type is
// refused (415), so a client that sends a form by mistake learns why.
bool RefusedMediaType(const Exchange& ex) {
  std::string type = ex.request.get_header_value("Content-Type");
  for (char& c : type) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type.empty() || type == "application/json" || type.ends_with("+json")) return false;
  WriteJson(ex, 415,
            EncodeNamedError("unsupported_media_type",
                             "the body must be JSON: send \"Content-Type: application/json\"",
                             ex.request_id));
  return true;
}

// 422 for a refused reload: the request was fine, the model file on the server is not (and
// 500 would say the service is broken, while the old model keeps serving).
constexpr int kReloadRefusedStatus = 422;

}  // namespace

void HandleV1Check(const RouteContext& ctx, const Exchange& ex) {
  if (RefusedMediaType(ex)) return;
  auto request = DecodeV1Check(ex.body);
  if (!request) return WriteStatusError(ex, request.error());
  KeyCheck check = Authenticate(ctx, ex, request->api_key);
  if (check.retry_after > 0) return WriteKeyThrottled(ex, check);
  const core::Result<store::SiteKey>& key = check.key;
  if (!key) {
    LogFailure(ex, "v1-authenticate", key.error());
    return WriteStatusError(ex, key.error());
  }
  if (!ctx.services.filter) {
    return WriteStatusError(ex, core::Status::Unavailable("model not loaded"));
  }
  auto outcome = ctx.services.filter->Check(request->comment, *key, "v1");
  if (!outcome) {
    LogFailure(ex, "v1-check", outcome.error());
    return WriteStatusError(ex, outcome.error());
  }
  ctx.metrics.CountVerdict(outcome->decision.verdict, "v1");
  spdlog::info("req={} event=v1-check key={} verdict={} score={:.3f} id={} ip={} email={}",
               ex.request_id, key->id, core::VerdictName(outcome->decision.verdict),
               outcome->decision.score, outcome->id, app::LogIp(request->comment.user_ip),
               app::LogEmail(request->comment.comment_author_email));
  WriteJson(ex, 200, EncodeCheckOutcome(*outcome));
}

void HandleV1Feedback(const RouteContext& ctx, const Exchange& ex) {
  if (RefusedMediaType(ex)) return;
  auto request = DecodeV1Feedback(ex.body);
  if (!request) return WriteStatusError(ex, request.error());
  KeyCheck check = Authenticate(ctx, ex, request->api_key);
  if (check.retry_after > 0) return WriteKeyThrottled(ex, check);
  const core::Result<store::SiteKey>& key = check.key;
  if (!key) {
    LogFailure(ex, "v1-authenticate", key.error());
    return WriteStatusError(ex, key.error());
  }
  auto outcome =
      ctx.services.feedback->Submit(request->comment, *key, request->label, request->id, "v1");
  if (!outcome) {
    LogFailure(ex, "v1-feedback", outcome.error());
    return WriteStatusError(ex, outcome.error());
  }
  spdlog::info("req={} event=v1-feedback key={} label={} feedback={} decision={}", ex.request_id,
               key->id, engine::LabelName(request->label), outcome->feedback_id,
               outcome->decision_id.empty() ? "-" : outcome->decision_id);
  WriteJson(ex, 200, EncodeFeedbackOutcome(*outcome));
}

void HandleV1Decisions(const RouteContext& ctx, const Exchange& ex) {
  KeyCheck check = Authenticate(ctx, ex, /*body_key=*/"");
  if (check.retry_after > 0) return WriteKeyThrottled(ex, check);
  const core::Result<store::SiteKey>& key = check.key;
  if (!key) {
    LogFailure(ex, "v1 authenticate", key.error());
    return WriteStatusError(ex, key.error());
  }
  auto param = [&](const char* name) -> const std::string* {
    auto it = ex.request.params.find(name);
    return it == ex.request.params.end() ? nullptr : &it->second;
  };
  auto request = DecodeV1Decisions(param("since"), param("limit"));
  if (!request) return WriteStatusError(ex, request.error());
  auto page = ctx.services.decision_feed->Changes(*key, request->since, request->limit);
  if (!page) {
    LogFailure(ex, "v1 decisions", page.error());
    return WriteStatusError(ex, page.error());
  }
  spdlog::debug("{} v1-decisions key={} changes={} more={}", ex.request_id, key->id,
                page->changes.changes.size(), page->changes.more);
  WriteJson(ex, 200, EncodeDecisionsPage(*page));
}

void HandleV1AdminReload(const RouteContext& ctx, const Exchange& ex) {
  KeyCheck check = Authenticate(ctx, ex, /*body_key=*/"", store::KeyRole::kAdmin);
  if (check.retry_after > 0) return WriteKeyThrottled(ex, check);
  const core::Result<store::SiteKey>& key = check.key;
  if (!key) {
    LogFailure(ex, "admin authenticate", key.error());
    return WriteStatusError(ex, key.error());
  }
  if (auto body = DecodeV1AdminReload(ex.body); !body.ok()) return WriteStatusError(ex, body);
  // The allow/block lists are re-read too (they also refresh by themselves within seconds).
  if (core::Status lists = ctx.services.lists->Reload(); !lists.ok()) {
    spdlog::error("{} admin reload key={}: lists not reloaded: {}", ex.request_id, key->id,
                  lists.ToString());
  }
  if (!ctx.services.reloader) {
    return WriteStatusError(ex, core::Status::Unavailable("model not loaded"));
  }
  auto outcome = ctx.services.reloader->Reload();
  if (!outcome) {
    spdlog::error("req={} event=admin-reload key={} from '{}': {}", ex.request_id, key->id,
                  ctx.services.reloader->model_path(), outcome.error().ToString());
    return WriteJson(ex, kReloadRefusedStatus,
                     EncodeReloadFailure(outcome.error().message(),
                                         ctx.services.filter->ModelVersion(), ex.request_id));
  }
  spdlog::info("req={} event=admin-reload key={}: model {} -> {} (reload {})", ex.request_id,
               key->id, outcome->previous, outcome->current, outcome->reloads);
  WriteJson(ex, 200, EncodeReloadOutcome(*outcome));
}

}  // namespace hamlet::http
