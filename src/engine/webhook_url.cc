// Parsing webhook URLs.
#include "engine/webhook_url.h"

#include <cctype>
#include <charconv>

namespace hamlet::engine {
namespace {

core::Status Bad(std::string_view url, std::string_view why) {
  return core::Status::InvalidArgument("webhook URL '" + std::string(url.substr(0, 200)) +
                                       "': " + std::string(why));
}

bool HostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

}  // namespace

std::string WebhookUrl::Origin() const {
  // Appended piecewise: chained `+` on these strings trips GCC 12's -Wrestrict false positive.
  const bool v6 = host.find(':') != std::string::npos;
  std::string out = https ? "https://" : "http://";
  if (v6) out += '[';
  out += host;
  if (v6) out += ']';
  out += ':';
  out += std::to_string(port);
  return out;
}

core::Result<WebhookUrl> ParseWebhookUrl(std::string_view url) {
  WebhookUrl out;
  std::string_view rest;
  if (url.starts_with("https://")) {
    out.https = true;
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return Bad(url, "wants http:// or https://");
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) return Bad(url, "holds a space or a control character");
  }
  if (url.find('#') != std::string_view::npos) return Bad(url, "holds a fragment (#...)");
  const size_t target_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, target_at);
  const std::string_view target =
      target_at == std::string_view::npos ? std::string_view() : rest.substr(target_at);
  if (target.empty() || target.front() == '?') out.target = "/";
  out.target.append(target);
  if (authority.find('@') != std::string_view::npos) {
    return Bad(url, "holds user:password@ (put credentials in the secret, not the URL)");
  }
  std::string_view port_text;
  bool has_port = false;
  if (authority.starts_with("[")) {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Bad(url, "has an unclosed [IPv6 address]");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(":")) return Bad(url, "has text after ]");
    has_port = !after.empty();
    if (has_port) port_text = after.substr(1);
    for (char c : out.host) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return Bad(url, "has a malformed IPv6 address");
      }
    }
  } else {
    const size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    has_port = colon != std::string_view::npos;
    if (has_port) port_text = authority.substr(colon + 1);
    for (char c : out.host) {
      if (!HostChar(c)) return Bad(url, "has a malformed host name");
    }
  }
  if (out.host.empty()) return Bad(url, "has no host");
  out.port = out.https ? 443 : 80;
  if (has_port) {
    int port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
        port < 1 || port > 65535) {
      return Bad(url, "has a port outside 1..65535");
    }
    out.port = port;
  }
  return out;
}

}  // namespace hamlet::engine
