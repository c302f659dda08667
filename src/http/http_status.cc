// StatusCode -> HTTP status, in exactly one place.
#include "http/http_status.h"

namespace hamlet::http {

int HttpStatusFor(core::StatusCode code) {
  switch (code) {
    case core::StatusCode::kOk: return 200;
    case core::StatusCode::kInvalidArgument: return 400;
    case core::StatusCode::kUnauthenticated: return 401;
    case core::StatusCode::kPermissionDenied: return 403;
    case core::StatusCode::kNotFound: return 404;
    case core::StatusCode::kUnavailable: return 503;
    case core::StatusCode::kInternal: return 500;
  }
  return 500;
}

std::string_view ErrorCodeName(core::StatusCode code) {
  switch (code) {
    case core::StatusCode::kOk: return "ok";
    case core::StatusCode::kInvalidArgument: return "invalid_argument";
    case core::StatusCode::kUnauthenticated: return "unauthenticated";
    case core::StatusCode::kPermissionDenied: return "permission_denied";
    case core::StatusCode::kNotFound: return "not_found";
    case core::StatusCode::kUnavailable: return "unavailable";
    case core::StatusCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace hamlet::http
