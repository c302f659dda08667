// WebhookUrl: a site's webhook_url taken apart (scheme, host, port, target), checked once when
// the setting is stored and again before each delivery, so the HTTP client gets parts it
// cannot misread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace hamlet::engine {

struct WebhookUrl {
  bool https = false;
  std::string host;    // a name, an IPv4 address, or an IPv6 address without brackets
  int port = 0;        // 80/443 when the URL names none
  std::string target;  // path and query, "/" when empty; never a fragment

  // "http://host:port" (brackets around an IPv6 host): what an HTTP client connects to.
  std::string Origin() const;
};

// InvalidArgument saying what is wrong unless `url` is http:// or https:// with a host, an
// optional port in 1..65535 and an optional path/query; no user:password@, no fragment, no
// spaces or control characters.
core::Result<WebhookUrl> ParseWebhookUrl(std::string_view url);

}  // namespace hamlet::engine
