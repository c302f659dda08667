// Building a webhook attempt's request.
#include "engine/webhook_sender.h"

#include "engine/webhook_signature.h"

namespace hamlet::engine {

WebhookRequest BuildWebhookRequest(const store::WebhookEvent& event, const WebhookUrl& url,
                                   std::string_view secret, int64_t now_unix_seconds) {
  WebhookRequest request;
  request.url = url;
  request.body = event.payload;
  request.headers = {
      {"Content-Type", "application/json"},
      {"User-Agent", "hamlet-webhook/1"},
      {"X-Hamlet-Event", event.type},
      {"X-Hamlet-Event-Id", event.event_id},
      {"X-Hamlet-Attempt", std::to_string(event.attempts)},
      {std::string(kSignatureHeader), SignWebhook(secret, now_unix_seconds, event.payload)},
  };
  return request;
}

}  // namespace hamlet::engine
