// IPv4 / IPv6 /64 client keys, and socket addresses as text.
#include "http/client_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

namespace hamlet::http {
namespace {

// getpeername or getsockname as text and port.
template <typename Get>
std::string AddressOf(int fd, int& port, Get get) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  port = -1;
  if (get(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "";
  char text[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    port = ntohs(in.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    port = ntohs(in6.sin6_port);
  }
  return text;
}

}  // namespace

std::string PeerAddress(int fd, int& port) { return AddressOf(fd, port, ::getpeername); }

std::string LocalAddress(int fd, int& port) { return AddressOf(fd, port, ::getsockname); }

std::string ClientAddressKey(std::string_view ip) {
  const std::string text(ip);
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) != 1) return text;  // IPv4, or not an address
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char v4[INET_ADDRSTRLEN] = {0};
    ::inet_ntop(AF_INET, &v6.s6_addr[12], v4, sizeof v4);
    return v4;
  }
  std::memset(&v6.s6_addr[8], 0, 8);
  char prefix[INET6_ADDRSTRLEN] = {0};
  ::inet_ntop(AF_INET6, &v6, prefix, sizeof prefix);
  return std::string(prefix) + "/64";
}

}  // namespace hamlet::http
