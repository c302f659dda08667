// WebhookSender: the seam between the outbox (engine: what to send, when to retry) and the
// HTTP client that POSTs it (src/http/, the only layer allowed an HTTP library). Also the
// request an attempt sends, built purely from the event, the URL and the secret.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/webhook_url.h"
#include "store/store.h"

namespace hamlet::engine {

struct WebhookRequest {
  WebhookUrl url;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type included
  std::string body;
};

struct WebhookResponse {
  int status = 0;     // the HTTP status; 0 when no answer came
  std::string error;  // with status 0: why (connection refused, timeout, TLS failure ...)
};

// Thread-safety: implementations must allow concurrent Post calls.
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // POSTs `request` once and returns the answer's status, or why there was none. Bounded by
  // the implementation's timeouts; follows no redirects; never throws.
  virtual WebhookResponse Post(const WebhookRequest& request) = 0;
};

// The POST of `event` to `url`: its payload as the body, with Content-Type, User-Agent,
// X-Hamlet-Event (the type), X-Hamlet-Event-Id (the receiver's idempotency key: the same on
// every retry), X-Hamlet-Attempt and X-Hamlet-Signature (engine/webhook_signature.h) made
// with `secret` at `now_unix_seconds`.
WebhookRequest BuildWebhookRequest(const store::WebhookEvent& event, const WebhookUrl& url,
                                   std::string_view secret, int64_t now_unix_seconds);

}  // namespace hamlet::engine
