// The webhook signature: HMAC-SHA256 under the site's webhook_secret over "<timestamp>.<body>",
// sent as `X-Hamlet-Signature: t=<unix seconds>,v1=<hex>` (the scheme Stripe uses), so a
// receiver can check that a POST came from hamlet, unaltered, and recently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hamlet::engine {

inline constexpr std::string_view kSignatureHeader = "X-Hamlet-Signature";

// "t=<unix_seconds>,v1=<hex HMAC-SHA256(secret, "<unix_seconds>.<body>")>".
std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body);

// Ok when `header` holds a t= no further than `tolerance_seconds` from `now_unix_seconds` and
// a v1= that is the signature of `body` at that t (compared in constant time; several v1=
// entries are allowed, as during a secret rotation). Unauthenticated saying what is wrong
// otherwise (malformed header, stale timestamp, no matching signature).
core::Status VerifyWebhookSignature(std::string_view secret, std::string_view header,
                                    std::string_view body, int64_t now_unix_seconds,
                                    int64_t tolerance_seconds = 300);

}  // namespace hamlet::engine
