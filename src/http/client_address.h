// Which client a connection or request counts against, for per-address limits.
#pragma once

#include <string>
#include <string_view>

namespace hamlet::http {

// An IPv4 address as is (also when written IPv4-mapped, "::ffff:1.2.3.4"); an IPv6 address as
// its /64 prefix ("2001:db8:1:2::/64"), since one host commonly holds a whole /64. Anything
// else is returned unchanged.
std::string ClientAddressKey(std::string_view ip);

}  // namespace hamlet::http
