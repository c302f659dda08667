// Signing and verifying webhook bodies.
#include "engine/webhook_signature.h"

#include <charconv>
#include <optional>
#include <vector>

#include "engine/crypto.h"

namespace hamlet::engine {
namespace {

std::string SignedText(int64_t unix_seconds, std::string_view body) {
  std::string text = std::to_string(unix_seconds);
  text += '.';
  text.append(body);
  return text;
}

std::optional<int64_t> ParseSeconds(std::string_view text) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

std::string SignWebhook(std::string_view secret, int64_t unix_seconds, std::string_view body) {
  return "t=" + std::to_string(unix_seconds) +
         ",v1=" + HmacSha256Hex(secret, SignedText(unix_seconds, body));
}

core::Status VerifyWebhookSignature(std::string_view secret, std::string_view header,
                                    std::string_view body, int64_t now_unix_seconds,
                                    int64_t tolerance_seconds) {
  std::optional<int64_t> t;
  std::vector<std::string_view> signatures;
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    if (item.starts_with("t=")) t = ParseSeconds(item.substr(2));
    if (item.starts_with("v1=")) signatures.push_back(item.substr(3));
  }
  if (!t || signatures.empty()) {
    return core::Status::Unauthenticated("the signature header has no t= or no v1=");
  }
  const int64_t age = now_unix_seconds - *t;
  if (age > tolerance_seconds || -age > tolerance_seconds) {
    return core::Status::Unauthenticated("the signature's timestamp is " + std::to_string(age) +
                                         " s away from now (tolerance " +
                                         std::to_string(tolerance_seconds) + " s)");
  }
  const std::string expected = HmacSha256Hex(secret, SignedText(*t, body));
  bool match = false;
  // Every entry is compared, so the time taken does not tell which one matched.
  for (std::string_view s : signatures) match |= ConstantTimeEquals(s, expected);
  if (!match) return core::Status::Unauthenticated("no v1= signature matches the body");
  return core::Status::Ok();
}

}  // namespace hamlet::engine
