// Buffered socket reads and timed writes for ConnectionStream.
#include "http/connection_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "http/client_address.h"

namespace hamlet::http {
namespace {

constexpr size_t kChunk = 16 * 1024;

// poll() for `events` up to `timeout_ms`, retried on EINTR. > 0 ready, 0 timeout, < 0 error.
int WaitFor(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r > 0 && (p.revents & (POLLERR | POLLNVAL)) != 0 && (p.revents & events) == 0) return -1;
    return r;
  }
}

}  // namespace

ConnectionStream::ConnectionStream(int fd, std::string peer_ip, int peer_port,
                                   std::chrono::milliseconds io_timeout)
    : fd_(fd), peer_ip_(std::move(peer_ip)), peer_port_(peer_port), io_timeout_(io_timeout) {}

bool ConnectionStream::is_readable() const {
  return buffered() > 0 || WaitFor(fd_, POLLIN, static_cast<int>(io_timeout_.count())) > 0;
}

bool ConnectionStream::is_writable() const {
  return WaitFor(fd_, POLLOUT, static_cast<int>(io_timeout_.count())) > 0;
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (buffered() == 0) {
    auto wait = io_timeout_;
    bool deadline_first = false;
    if (deadline_ != Clock::time_point::max()) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
      if (left.count() <= 0) {
        deadline_passed_ = true;
        return -1;
      }
      if (left < wait) {
        wait = left;
        deadline_first = true;
      }
    }
    const int ready = WaitFor(fd_, POLLIN, static_cast<int>(wait.count()));
    if (ready == 0 && deadline_first) deadline_passed_ = true;
    if (ready <= 0) return -1;
    Compact();
    const size_t old = buffer_.size();
    buffer_.resize(old + kChunk);
    ssize_t n;
    do {
      n = ::recv(fd_, buffer_.data() + old, kChunk, 0);
    } while (n < 0 && errno == EINTR);
    buffer_.resize(old + static_cast<size_t>(std::max<ssize_t>(n, 0)));
    if (n <= 0) return -1;
  }
  const size_t n = std::min(size, buffered());
  std::memcpy(ptr, buffer_.data() + read_pos_, n);
  read_pos_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n;
  do {
    n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void ConnectionStream::WriteAll(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(data.data(), data.size());
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = peer_ip_;
  port = peer_port_;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = LocalAddress(fd_, port);
}

ConnectionStream::Fill ConnectionStream::FillNonBlocking() {
  Compact();
  const size_t old = buffer_.size();
  buffer_.resize(old + kChunk);
  ssize_t n;
  do {
    n = ::recv(fd_, buffer_.data() + old, kChunk, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  buffer_.resize(old + static_cast<size_t>(std::max<ssize_t>(n, 0)));
  if (n > 0) return Fill::kData;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Fill::kNone;
  return Fill::kClosed;
}

size_t ConnectionStream::CompleteHeadSize() {
  // [read_pos_, scanned_) holds no terminator; look again from two bytes before its end, so
  // a terminator split across reads is found.
  size_t i = std::max(read_pos_, scanned_ >= read_pos_ + 2 ? scanned_ - 2 : read_pos_);
  for (; i < buffer_.size(); ++i) {
    if (buffer_[i] != '\n') continue;
    if (i + 1 < buffer_.size() && buffer_[i + 1] == '\n') return i + 2 - read_pos_;
    if (i + 2 < buffer_.size() && buffer_[i + 1] == '\r' && buffer_[i + 2] == '\n') {
      return i + 3 - read_pos_;
    }
  }
  scanned_ = buffer_.size();
  return 0;
}

void ConnectionStream::Compact() {
  if (read_pos_ == 0) return;
  if (read_pos_ == buffer_.size()) {
    buffer_.clear();
  } else if (read_pos_ >= kChunk) {
    buffer_.erase(0, read_pos_);
  } else {
    return;
  }
  scanned_ = scanned_ > read_pos_ ? scanned_ - read_pos_ : 0;
  read_pos_ = 0;
}

}  // namespace hamlet::http
