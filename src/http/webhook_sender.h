// HttplibWebhookSender: engine::WebhookSender on cpp-httplib's client (https through its
// OpenSSL support, with the server's certificate verified against the system's CAs), with
// connect, write and read timeouts, no redirects and a cap on the answer read.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "engine/webhook_sender.h"

namespace hamlet::http {

struct WebhookSenderOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds write_timeout{5000};
  std::chrono::milliseconds read_timeout{10000};  // per read, while waiting for the answer
  size_t max_response_bytes = 64 * 1024;          // more is not read (the status is what counts)
  std::string ca_cert_path;                       // empty: the system's CA certificates
};

// Thread-safety: Post may be called concurrently (each call uses its own connection).
class HttplibWebhookSender final : public engine::WebhookSender {
 public:
  explicit HttplibWebhookSender(WebhookSenderOptions options = {});
  // A fresh connection per attempt (attempts are rare; nothing stale is reused).
  engine::WebhookResponse Post(const engine::WebhookRequest& request) override;

 private:
  const WebhookSenderOptions options_;
};

}  // namespace hamlet::http
