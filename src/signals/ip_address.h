// IP addresses and CIDR networks for the ip lists: IPv4 and IPv6 in one 16-byte form (IPv4 as
// the IPv4-mapped IPv6 address ::ffff:a.b.c.d), so one matcher serves both families.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hamlet::signals {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool v4 = false;  // written as IPv4 (or as an IPv4-mapped IPv6 address)

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// An address in dotted IPv4 or RFC 4291 IPv6 text, spaces around it ignored; nullopt for
// anything else (a host name, a zone "%eth0", a port). "::ffff:192.0.2.1" is the IPv4
// address 192.0.2.1.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

struct IpNetwork {
  IpAddress base;  // host bits zero
  int prefix = 0;  // over the 16-byte form: an IPv4 /24 is 96 + 24 = 120

  // The prefix as written: 0..32 for IPv4, 0..128 for IPv6.
  int WrittenPrefix() const { return base.v4 ? prefix - 96 : prefix; }
  bool Contains(const IpAddress& address) const;
};

// "192.0.2.0/24", "2001:db8::/32" or a single address (a /32 or /128). `error` says why not
// (a bad address, a prefix out of range, host bits set past the prefix).
std::optional<IpNetwork> ParseIpNetwork(std::string_view text, std::string* error = nullptr);

// `address` with every bit past `prefix` (16-byte form) cleared.
IpAddress MaskAddress(const IpAddress& address, int prefix);

// Canonical text: dotted IPv4, RFC 5952 IPv6; "/N" only when the network is wider than one
// address.
std::string FormatIpNetwork(const IpNetwork& network);

}  // namespace hamlet::signals
