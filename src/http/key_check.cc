// Key checks under the RequestGuard: failed guesses slowed down per client address, each
// key's own request rate.
#include <httplib.h>
#include <spdlog/spdlog.h>

#include "app/logging.h"
#include "app/wiring.h"
#include "http/handlers.h"
#include "http/request_guard.h"

namespace hamlet::http {

KeyCheck CheckKey(const RouteContext& ctx, const Exchange& ex, std::string_view key,
                  store::KeyRole role) {
  const std::string& ip = ex.request.remote_addr;
  if (int wait = ctx.guard.AdmitKeyCheck(ip); wait > 0) {
    spdlog::warn("req={} event=key_check_refused ip={} retry_after={}s", ex.request_id,
                 app::LogIp(ip), wait);
    return KeyCheck{
        core::Status::Unavailable("too many failed key checks"), wait,
        "Too many failed key checks from your address; retry in " + std::to_string(wait) + " s"};
  }
  core::Result<store::SiteKey> record = ctx.services.keys->Authenticate(key, role);
  if (!record) {
    if (record.error().code() == core::StatusCode::kUnauthenticated && !key.empty()) {
      ctx.guard.KeyCheckFailed(ip);
      spdlog::info("req={} event=key_check_failed ip={}", ex.request_id, app::LogIp(ip));
    }
    return KeyCheck{std::move(record)};
  }
  if (int wait = ctx.guard.AdmitKey(record->id); wait > 0) {
    return KeyCheck{
        core::Status::Unavailable("key rate limit"), wait,
        "Request rate limit of this key exceeded; retry in " + std::to_string(wait) + " s"};
  }
  return KeyCheck{std::move(record)};
}

void WriteKeyThrottled(const Exchange& ex, const KeyCheck& check) {
  WriteThrottled(ex.request.path, check.retry_after, check.throttled_because, ex.request_id,
                 ex.response);
}

}  // namespace hamlet::http
