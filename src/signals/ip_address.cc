// IP address and network parsing with inet_pton/inet_ntop (pure libc conversions).
#include "signals/ip_address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "signals/ascii.h"

namespace hamlet::signals {
namespace {

// "'text'" built by appending: GCC 12 warns falsely (-Wrestrict) on "'" + std::string(...).
std::string Quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('\'');
  out.append(text);
  out.push_back('\'');
  return out;
}

bool IsMappedV4(const std::array<uint8_t, 16>& b) {
  for (int i = 0; i < 10; ++i) {
    if (b[i] != 0) return false;
  }
  return b[10] == 0xff && b[11] == 0xff;
}

}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  text = TrimAsciiSpace(text);
  // INET6_ADDRSTRLEN is 46; anything longer is not an address.
  if (text.empty() || text.size() >= 46) return std::nullopt;
  char buf[46];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  IpAddress out;
  if (text.find(':') == std::string_view::npos) {
    in_addr v4;
    if (inet_pton(AF_INET, buf, &v4) != 1) return std::nullopt;
    out.bytes[10] = out.bytes[11] = 0xff;
    std::memcpy(out.bytes.data() + 12, &v4, 4);
    out.v4 = true;
    return out;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, buf, &v6) != 1) return std::nullopt;
  std::memcpy(out.bytes.data(), &v6, 16);
  out.v4 = IsMappedV4(out.bytes);
  return out;
}

IpAddress MaskAddress(const IpAddress& address, int prefix) {
  IpAddress out = address;
  for (int i = 0; i < 16; ++i) {
    const int keep = prefix - 8 * i;  // bits of this byte inside the prefix
    if (keep >= 8) continue;
    out.bytes[i] &= keep <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - keep));
  }
  return out;
}

bool IpNetwork::Contains(const IpAddress& address) const {
  return MaskAddress(address, prefix).bytes == base.bytes;
}

std::optional<IpNetwork> ParseIpNetwork(std::string_view text, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<IpNetwork> {
    if (error != nullptr) *error = std::move(why);
    return std::nullopt;
  };
  text = TrimAsciiSpace(text);
  std::string_view addr = text;
  std::optional<int> written;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    const std::string_view digits = text.substr(slash + 1);
    int n = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
      return fail(Quoted(digits) + " is not a prefix length");
    }
    written = n;
  }
  std::optional<IpAddress> base = ParseIpAddress(addr);
  if (!base) return fail(Quoted(addr) + " is not an IPv4 or IPv6 address");
  // The prefix counts bits of the address as written: IPv4 text 0-32, IPv6 text 0-128 (an
  // IPv4-mapped IPv6 network is IPv4 only when its prefix stays inside the IPv4 part).
  const bool v4_text = addr.find(':') == std::string_view::npos;
  const int max = v4_text ? 32 : 128;
  const int prefix = written.value_or(max);
  if (prefix < 0 || prefix > max) {
    std::string why = "prefix /";
    why.append(std::to_string(prefix)).append(" is out of range for ");
    why.append(v4_text ? "IPv4 (0-32)" : "IPv6 (0-128)");
    return fail(std::move(why));
  }
  IpNetwork net{*base, v4_text ? prefix + 96 : prefix};
  if (net.prefix < 96) net.base.v4 = false;
  if (MaskAddress(*base, net.prefix).bytes != base->bytes) {
    net.base = MaskAddress(*base, net.prefix);
    return fail(Quoted(text) + " has host bits set past the prefix; the network is " +
                FormatIpNetwork(net));
  }
  return net;
}

std::string FormatIpNetwork(const IpNetwork& network) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (network.base.v4) {
    inet_ntop(AF_INET, network.base.bytes.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, network.base.bytes.data(), buf, sizeof buf);
  }
  std::string out = buf;
  const int written = network.WrittenPrefix();
  if (written != (network.base.v4 ? 32 : 128)) out.append("/").append(std::to_string(written));
  return out;
}

}  // namespace hamlet::signals
