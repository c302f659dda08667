// The one mapping from core::StatusCode to an HTTP status and a stable machine-readable name.
#pragma once

#include <string_view>

#include "core/status.h"

namespace hamlet::http {

// InvalidArgument 400, Unauthenticated 401, PermissionDenied 403, NotFound 404,
// Unavailable 503, Internal 500, Ok 200.
int HttpStatusFor(core::StatusCode code);

// "invalid_argument", "unauthenticated", "permission_denied", "not_found", "unavailable",
// "internal", "ok": the `error.code` of /v1 JSON error bodies.
std::string_view ErrorCodeName(core::StatusCode code);

}  // namespace hamlet::http
