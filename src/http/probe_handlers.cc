// GET /readyz (readiness: model loaded, database writable) and GET /metrics
// (Prometheus text, optionally behind an admin key).
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <string>

#include "app/wiring.h"
#include "http/connection_manager.h"
#include "http/handlers.h"
#include "http/http_status.h"
#include "http/json_codec.h"
#include "http/metrics.h"
#include "http/request_guard.h"

namespace hamlet::http {
namespace {

// "" when ready, else why not, for the answer (no file names: the full message is logged).
std::string NotReadyReason(const RouteContext& ctx) {
  const app::Services& s = ctx.services;
  if (!s.filter) return "model not loaded";
  if (!s.store) return "database not open";
  if (core::Status writable = s.store->CheckWritable(); !writable.ok()) {
    // The cause is the part after the store's "database '<path>': " prefix.
    const std::string& message = writable.message();
    const size_t cut = message.rfind("': ");
    return "database not writable: " +
           (cut == std::string::npos ? message : message.substr(cut + 3));
  }
  return "";
}

// Logs readiness changes once, not on every probe.
void LogReadinessChange(const std::string& reason) {
  static std::mutex mu;
  static std::string last;
  std::lock_guard lock(mu);
  if (reason == last) return;
  if (reason.empty()) {
    spdlog::info("event=ready ready again after: {}", last);
  } else {
    spdlog::warn("event=not_ready {}", reason);
  }
  last = reason;
}

}  // namespace

void HandleReadyz(const RouteContext& ctx, const Exchange& ex) {
  const std::string reason = NotReadyReason(ctx);
  LogReadinessChange(reason);
  ex.response.status = reason.empty() ? 200 : 503;
  if (!reason.empty()) ex.response.set_header("Retry-After", "5");
  ex.response.set_content(reason.empty() ? "ready" : "not ready: " + reason,
                          "text/plain; charset=utf-8");
}

void HandleMetrics(const RouteContext& ctx, const Exchange& ex) {
  if (ctx.state.metrics_need_admin_key) {
    const std::string key = BearerToken(ex.request.get_header_value("Authorization"));
    KeyCheck check = key.empty() ? KeyCheck{core::Status::Unauthenticated(
                                       "/metrics needs an admin key: send \"Authorization: "
                                       "Bearer KEY\"")}
                                 : CheckKey(ctx, ex, key, store::KeyRole::kAdmin);
    if (check.retry_after > 0) return WriteKeyThrottled(ex, check);
    if (!check.key) {
      const core::Status& error = check.key.error();
      const bool server_fault = error.code() == core::StatusCode::kInternal ||
                                error.code() == core::StatusCode::kUnavailable;
      if (server_fault) LogFailure(ex, "metrics-authenticate", error);
      return WriteJson(ex, HttpStatusFor(error.code()),
                       EncodeError(error.code(), server_fault ? "internal error" : error.message(),
                                   ex.request_id));
    }
  }
  const app::Services& s = ctx.services;
  Metrics::Inputs in;
  if (s.store) in.store = s.store->Stats();
  if (ctx.state.connections != nullptr) in.connections = ctx.state.connections->Stats();
  in.guard = ctx.guard.Stats();
  if (s.filter) {
    in.model_version = s.filter->ModelVersion();
    in.judge_seconds = s.filter->JudgeSeconds();
  }
  if (s.reloader) in.model_reloads = s.reloader->Stats().reloads;
  in.ready = NotReadyReason(ctx).empty();
  ex.response.status = 200;
  ex.response.set_content(ctx.metrics.Render(in), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace hamlet::http
