// Plain sockets for RawConnection.
#include "support/raw_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace hamlet::testing {
namespace {

// Content-Length of a complete head, or -1 when it has none.
long ContentLength(const std::string& head) {
  size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string::npos) {
    pos += 2;
    if (head.size() - pos >= 15 && ::strncasecmp(head.c_str() + pos, "Content-Length:", 15) == 0) {
      return std::strtol(head.c_str() + pos + 15, nullptr, 10);
    }
  }
  return -1;
}

}  // namespace

RawConnection::RawConnection(const std::string& host, int port, const std::string& source_ip) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return;
  if (!source_ip.empty()) {
    sockaddr_in src{};
    src.sin_family = AF_INET;
    ::inet_pton(AF_INET, source_ip.c_str(), &src.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
      ::close(fd);
      return;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return;
  }
  fd_ = fd;
}

RawConnection::~RawConnection() { Close(); }

void RawConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool RawConnection::Send(const std::string& data) {
  size_t sent = 0;
  while (fd_ >= 0 && sent < data.size()) {
    const ssize_t n = ::send(fd_, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return fd_ >= 0;
}

std::string RawConnection::ReadResponse(int timeout_ms) {
  std::string data = std::move(pending_);
  pending_.clear();
  char buf[8192];
  for (;;) {
    const size_t head_end = data.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const long length = ContentLength(data.substr(0, head_end + 2));
      const size_t total = head_end + 4 + static_cast<size_t>(length < 0 ? 0 : length);
      if (length >= 0 && data.size() >= total) {
        pending_ = data.substr(total);
        data.resize(total);
        return data;
      }
    }
    if (fd_ < 0) return data;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return data;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return data;
    data.append(buf, static_cast<size_t>(n));
  }
}

std::string RawConnection::ReadToEnd(int timeout_ms) {
  std::string data = std::move(pending_);
  pending_.clear();
  char buf[8192];
  while (fd_ >= 0) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) break;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  return data;
}

std::string RawResponse::Header(const std::string& name) const {
  size_t pos = 0;
  while ((pos = head.find("\r\n", pos)) != std::string::npos) {
    pos += 2;
    if (head.size() - pos > name.size() &&
        ::strncasecmp(head.c_str() + pos, name.c_str(), name.size()) == 0 &&
        head[pos + name.size()] == ':') {
      size_t start = pos + name.size() + 1;
      while (start < head.size() && head[start] == ' ') ++start;
      return head.substr(start, head.find("\r\n", start) - start);
    }
  }
  return "";
}

RawResponse ParseRawResponse(const std::string& text) {
  RawResponse r;
  if (text.starts_with("HTTP/1.") && text.size() >= 12) r.status = std::atoi(text.c_str() + 9);
  const size_t head_end = text.find("\r\n\r\n");
  r.head = text.substr(0, head_end == std::string::npos ? text.size() : head_end + 2);
  if (head_end != std::string::npos) r.body = text.substr(head_end + 4);
  return r;
}

}  // namespace hamlet::testing
