// The route table, GET /v1 and GET /healthz, and the answer helpers handlers share.
#include "http/routes.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "app/wiring.h"
#include "http/handlers.h"
#include "http/http_status.h"
#include "http/json_codec.h"

namespace hamlet::http {
namespace {

constexpr Route kRoutes[] = {
    {"POST", "/1.1/verify-key", HandleVerifyKey,
     "Akismet: is this key valid? Form key|api_key, blog. Answers valid/invalid."},
    {"POST", "/1.1/comment-check", HandleCommentCheck,
     "Akismet: judge a comment. Form fields as Akismet; answers true (spam) / false (ham)."},
    {"POST", "/1.1/submit-spam", HandleSubmitSpam,
     "Akismet: report a missed spam (false negative)."},
    {"POST", "/1.1/submit-ham", HandleSubmitHam,
     "Akismet: report a false positive."},
    {"GET", "/1.1/test", HandleTest,
     "Akismet: connectivity check (WordPress settings page). Answers connected."},
    {"POST", "/1.1/get-subscription", HandleGetSubscription,
     "Akismet: account status for a key. Form key|api_key. JSON {status: active, ...}."},
    {"POST", "/1.1/get-stats", HandleGetStats,
     "Akismet: spam, ham, missed spam, false positives (from=6-months|60-days|all). JSON."},
    {"POST", "/1.1/deactivate", HandleDeactivate,
     "Akismet: the plugin was deactivated. Answers deactivated; the key stays valid."},
    {"GET", "/1.2/usage-limit", HandleUsageLimit,
     "Akismet 1.2: checks this month, no limit. Query or form api_key. JSON."},
    {"POST", "/1.2/usage-limit", HandleUsageLimit, "Akismet 1.2: as GET /1.2/usage-limit."},
    {"GET", "/1.2/key-sites", HandleKeySites,
     "Akismet 1.2: sites using the key in a month (month, filter, order, limit, offset, "
     "format=json|csv)."},
    {"POST", "/1.2/key-sites", HandleKeySites, "Akismet 1.2: as GET /1.2/key-sites."},
    {"POST", "/v1/check", HandleV1Check,
     "JSON check: Akismet field names in, {id, verdict, score, reasons, model} out."},
    {"POST", "/v1/feedback", HandleV1Feedback,
     "JSON feedback: {id | comment fields, label: spam|ham}."},
    {"GET", "/v1/decisions", HandleV1Decisions,
     "Site key (Authorization: Bearer): this site's decisions made or labeled after a cursor, "
     "?since=CURSOR&limit=N (1..1000). {decisions, next, more}; docs/webhooks.md."},
    {"POST", "/v1/admin/reload", HandleV1AdminReload,
     "Admin key (Authorization: Bearer): reload the model from hamletd's model path. "
     "{model, previous, reloads}; 422 and the old model keeps serving when the file is bad."},
    {"GET", "/v1", HandleV1Index, "This list of routes."},
    {"GET", "/healthz", HandleHealthz,
     "Liveness: 200 ok when the model is loaded and the database answers, else 503.", false},
    {"GET", "/readyz", HandleReadyz,
     "Readiness: 200 ready when the model is loaded and the database takes writes; 503 with "
     "the reason while it does not (locked, read-only, full).",
     false},
    {"GET", "/metrics", HandleMetrics,
     "Prometheus metrics (text format 0.0.4): requests, verdicts, latency, store, limits. "
     "Needs an admin key when hamletd runs with --metrics-auth admin.",
     false},
};

}  // namespace

std::span<const Route> Routes() { return kRoutes; }

bool IsAkismetPath(std::string_view path) {
  return path.starts_with("/1.1/") || path.starts_with("/1.2/");
}

void WriteError(std::string_view path, int http_status, std::string_view message,
                std::string_view request_id, httplib::Response& response) {
  response.status = http_status;
  if (IsAkismetPath(path)) {
    const AkismetAnswer answer = TransportErrorAnswer(http_status, message);
    response.set_content(answer.body, "text/plain; charset=utf-8");
    for (const auto& [name, value] : answer.headers) response.set_header(name, value);
    return;
  }
  // Transport refusals without a StatusCode of their own get a name of the HTTP layer's.
  std::string_view named;
  switch (http_status) {
    case 408:
      named = "request_timeout";
      break;
    case 415:
      named = "unsupported_media_type";
      break;
    case 431:
      named = "request_header_fields_too_large";
      break;
    default:
      break;
  }
  if (!named.empty()) {
    response.set_content(EncodeNamedError(named, message, request_id), "application/json");
    return;
  }
  core::StatusCode code = core::StatusCode::kInternal;
  switch (http_status) {
    case 400: case 405: case 411: case 413: case 414: case 416:
      code = core::StatusCode::kInvalidArgument;
      break;
    case 401: code = core::StatusCode::kUnauthenticated; break;
    case 403: code = core::StatusCode::kPermissionDenied; break;
    case 404: code = core::StatusCode::kNotFound; break;
    case 503: code = core::StatusCode::kUnavailable; break;
    default: break;
  }
  response.set_content(EncodeError(code, message, request_id), "application/json");
}

void WriteThrottled(std::string_view path, int retry_after, std::string_view message,
                    std::string_view request_id, httplib::Response& response) {
  response.status = 429;
  if (IsAkismetPath(path)) {
    const AkismetAnswer answer = ThrottledAnswer(retry_after, message);
    response.set_content(answer.body, answer.content_type);
    for (const auto& [name, value] : answer.headers) response.set_header(name, value);
    return;
  }
  response.set_header("Retry-After", std::to_string(retry_after));
  response.set_content(EncodeNamedError("rate_limited", message, request_id), "application/json");
}

void WriteAkismet(const Exchange& ex, const AkismetAnswer& answer) {
  ex.response.status = answer.status;
  ex.response.set_content(answer.body, answer.content_type);
  for (const auto& [name, value] : answer.headers) ex.response.set_header(name, value);
}

void WriteJson(const Exchange& ex, int status, const std::string& body) {
  ex.response.status = status;
  ex.response.set_content(body, "application/json");
}

void LogFailure(const Exchange& ex, std::string_view what, const core::Status& status) {
  switch (status.code()) {
    case core::StatusCode::kInternal:
      spdlog::error("req={} event={} failed: {}", ex.request_id, what, status.ToString());
      break;
    case core::StatusCode::kUnavailable:
      spdlog::warn("req={} event={} failed: {}", ex.request_id, what, status.ToString());
      break;
    default:
      spdlog::debug("req={} event={}: {}", ex.request_id, what, status.ToString());
      break;
  }
}

void HandleHealthz(const RouteContext& ctx, const Exchange& ex) {
  const app::Services& s = ctx.services;
  std::string problem;
  if (!s.filter) {
    problem = "model not loaded";
  } else if (!s.store) {
    problem = "database not open";
  } else if (core::Status ping = s.store->Ping(); !ping.ok()) {
    spdlog::warn("req={} event=healthz database ping failed: {}", ex.request_id, ping.ToString());
    problem = "database unavailable";
  }
  ex.response.status = problem.empty() ? 200 : 503;
  ex.response.set_content(problem.empty() ? "ok" : problem, "text/plain; charset=utf-8");
}

void HandleV1Index(const RouteContext& ctx, const Exchange& ex) {
  nlohmann::json routes = nlohmann::json::array();
  for (const Route& r : Routes()) {
    routes.push_back({{"method", std::string(r.method)},
                      {"path", std::string(r.path)},
                      {"description", std::string(r.description)}});
  }
  nlohmann::json doc = {{"service", "hamlet"}, {"routes", std::move(routes)}};
  if (ctx.services.filter) doc["model"] = ctx.services.filter->ModelVersion();
  if (ctx.services.reloader) {
    const app::ReloadStats stats = ctx.services.reloader->Stats();
    doc["reloads"] = stats.reloads;
    doc["last_reload_ms"] =
        stats.reloads > 0 ? nlohmann::json(stats.last_reload_ms) : nlohmann::json();
  }
  WriteJson(ex, 200, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace hamlet::http
