// Socket addresses as text, and which client a connection or request counts against, for
// per-address limits.
#pragma once

#include <string>
#include <string_view>

namespace hamlet::http {

// An IPv4 address as is (also when written IPv4-mapped, "::ffff:1.2.3.4"); an IPv6 address as
// its /64 prefix ("2001:db8:1:2::/64"), since one host commonly holds a whole /64. Anything
// else is returned unchanged.
std::string ClientAddressKey(std::string_view ip);

// The address at the other end of (peer) or at this end of (local) the connected socket
// `fd`, as text ("203.0.113.7", "2001:db8::1"), and its port; "" and -1 when it has none (a
// Unix socket) or the call fails.
std::string PeerAddress(int fd, int& port);
std::string LocalAddress(int fd, int& port);

}  // namespace hamlet::http
