// The connection loop (worker side), the epoll thread that holds connections between
// request heads, and the connection caps.
#include "http/connection_manager.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "http/client_address.h"

namespace hamlet::http {

struct ConnectionManager::Connection {
  Connection(int socket, std::string peer_ip, int peer_port, std::string address_key,
             std::chrono::milliseconds io_timeout)
      : fd(socket),
        ip_key(std::move(address_key)),
        stream(socket, std::move(peer_ip), peer_port, io_timeout) {}

  const int fd;
  const std::string ip_key;
  ConnectionStream stream;
  size_t served = 0;  // requests answered on this connection
  // Set while a head is arriving (from the accept, or from the first byte after an answer);
  // nullopt while the connection idles between requests.
  std::optional<Clock::time_point> head_started;
  Clock::time_point idle_since;
  // Refused: only waiting for the client to close, until drain_until.
  bool draining = false;
  Clock::time_point drain_until;
  size_t drained = 0;  // bytes discarded so far
};

namespace {

constexpr auto kSweepInterval = std::chrono::milliseconds(100);
// A draining client that keeps sending is cut off after this much.
constexpr size_t kMaxDrainBytes = 1 << 20;

int MillisLeft(std::chrono::steady_clock::time_point until) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      until - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// The status line's reason phrase for the refusals this file sends.
std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 408:
      return "Request Timeout";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    default:
      return "Service Unavailable";
  }
}

}  // namespace

ConnectionManager::ConnectionManager(ConnectionLimits limits, ServeRequest serve, Enqueue enqueue)
    : limits_(limits), serve_(std::move(serve)), enqueue_(std::move(enqueue)) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_fd_ >= 0 && wake_fd_ >= 0) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = wake_fd_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  }
  watcher_ = std::thread([this] { WatchLoop(); });
}

ConnectionManager::~ConnectionManager() {
  Stop();
  if (epoll_fd_ >= 0) ::close(epoll_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void ConnectionManager::Serve(int fd) {
  accepted_.fetch_add(1, std::memory_order_relaxed);
  int port = -1;
  std::string ip = PeerAddress(fd, port);
  std::string key = ClientAddressKey(ip);
  {
    std::unique_lock lock(mu_);
    if (static_cast<size_t>(open_) >= limits_.max_connections) {
      lock.unlock();
      refused_total_cap_.fetch_add(1, std::memory_order_relaxed);
      Refuse(fd, 503,
             "too many connections (limit " + std::to_string(limits_.max_connections) + ")\n");
      ::close(fd);
      return;
    }
    size_t& mine = per_ip_[key];
    if (mine >= limits_.max_connections_per_ip) {
      if (mine == 0) per_ip_.erase(key);
      lock.unlock();
      refused_ip_cap_.fetch_add(1, std::memory_order_relaxed);
      Refuse(fd, 429,
             "too many connections from your address (limit " +
                 std::to_string(limits_.max_connections_per_ip) + ")\n");
      ::close(fd);
      return;
    }
    ++mine;
    ++open_;
  }
  auto conn =
      std::make_unique<Connection>(fd, std::move(ip), port, std::move(key), limits_.io_timeout);
  conn->head_started = Clock::now();
  Run(std::move(conn));
}

void ConnectionManager::Run(std::unique_ptr<Connection> conn) {
  ConnectionStream& stream = conn->stream;
  for (;;) {
    if (!stream.HasCompleteHead()) {
      // Read what is there; wait up to the linger time for the rest, then hand it over.
      const auto linger_until = Clock::now() + limits_.linger;
      for (;;) {
        const ConnectionStream::Fill fill = stream.FillNonBlocking();
        if (fill == ConnectionStream::Fill::kClosed) return Close(std::move(conn));
        if (fill == ConnectionStream::Fill::kData) {
          if (!conn->head_started) conn->head_started = Clock::now();
          if (stream.HasCompleteHead() || HeadTooLarge(*conn)) break;
          continue;
        }
        const int left = MillisLeft(linger_until);
        if (left <= 0 || stopping_.load()) break;
        pollfd p{conn->fd, POLLIN, 0};
        if (::poll(&p, 1, left) <= 0) break;
      }
      if (!stream.HasCompleteHead() && !HeadTooLarge(*conn)) {
        if (stopping_.load()) return Close(std::move(conn));
        return Park(std::move(conn));
      }
    }
    if (HeadTooLarge(*conn)) {
      RefuseLargeHead(conn->fd);
      return DrainAndClose(std::move(conn));
    }
    ++conn->served;
    const bool last = conn->served >= limits_.keep_alive_max_count || closing_.load();
    stream.set_deadline(Clock::now() + limits_.body_timeout);
    const After after = serve_(stream, last);
    stream.set_deadline(Clock::time_point::max());
    stream.clear_deadline_passed();
    conn->head_started.reset();
    conn->idle_since = Clock::now();
    if (after == After::kDrainAndClose) return DrainAndClose(std::move(conn));
    if (after == After::kClose || last || closing_.load()) return Close(std::move(conn));
  }
}

bool ConnectionManager::HeadTooLarge(Connection& conn) const {
  const size_t head = conn.stream.CompleteHeadSize();
  return (head > 0 ? head : conn.stream.buffered()) > limits_.max_head_bytes;
}

void ConnectionManager::RefuseLargeHead(int fd) {
  heads_too_large_.fetch_add(1, std::memory_order_relaxed);
  Refuse(fd, 431,
         "request head larger than " + std::to_string(limits_.max_head_bytes) + " bytes\n");
}

void ConnectionManager::DrainAndClose(std::unique_ptr<Connection> conn) {
  ::shutdown(conn->fd, SHUT_WR);
  conn->draining = true;
  conn->drain_until = Clock::now() + limits_.drain_timeout;
  Park(std::move(conn));
}

void ConnectionManager::Park(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.fd = conn->fd;
  if (stopping_.load() || ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, conn->fd, &ev) != 0) {
    CloseLocked(*conn);
    return;
  }
  const int fd = conn->fd;
  parked_[fd] = std::move(conn);
}

void ConnectionManager::Close(std::unique_ptr<Connection> conn) {
  std::lock_guard lock(mu_);
  CloseLocked(*conn);
}

void ConnectionManager::CloseLocked(const Connection& conn) {
  ::close(conn.fd);
  --open_;
  if (--per_ip_[conn.ip_key] == 0) per_ip_.erase(conn.ip_key);
}

void ConnectionManager::WatchLoop() {
  epoll_event events[64];
  auto next_sweep = Clock::now() + kSweepInterval;
  while (!stopping_.load()) {
    const int n = ::epoll_wait(epoll_fd_, events, 64, static_cast<int>(kSweepInterval.count()));
    std::lock_guard lock(mu_);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) continue;
      if (auto it = parked_.find(fd); it != parked_.end()) OnReadable(*it->second);
    }
    const auto now = Clock::now();
    if (now >= next_sweep) {
      ExpireParked(now);
      next_sweep = now + kSweepInterval;
    }
  }
}

bool ConnectionManager::OnReadable(Connection& conn) {
  const int fd = conn.fd;
  auto leave = [&] {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    auto it = parked_.find(fd);
    std::unique_ptr<Connection> owned = std::move(it->second);
    parked_.erase(it);
    return owned;
  };
  auto close_now = [&] {
    CloseLocked(*leave());
    return true;
  };
  if (conn.draining) {
    char discard[16 * 1024];
    for (int chunk = 0; chunk < 4; ++chunk) {
      const ssize_t n = ::recv(fd, discard, sizeof discard, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        return close_now();
      }
      if (n < 0) return false;
      conn.drained += static_cast<size_t>(n);
      if (conn.drained > kMaxDrainBytes) return close_now();
    }
    return false;
  }
  // A few chunks per wake-up, so one fast sender cannot hold the thread.
  for (int chunk = 0; chunk < 4; ++chunk) {
    const ConnectionStream::Fill fill = conn.stream.FillNonBlocking();
    if (fill == ConnectionStream::Fill::kClosed) return close_now();
    if (fill == ConnectionStream::Fill::kNone) return false;
    if (!conn.head_started) conn.head_started = Clock::now();
    if (HeadTooLarge(conn)) {
      RefuseLargeHead(fd);
      StartDraining(conn);
      return false;
    }
    if (conn.stream.HasCompleteHead()) {
      Connection* ready = leave().release();
      // Owned by the job from here; the pool runs every queued job, also while stopping.
      enqueue_([this, ready] { Run(std::unique_ptr<Connection>(ready)); });
      return true;
    }
  }
  return false;
}

void ConnectionManager::ExpireParked(Clock::time_point now) {
  for (auto it = parked_.begin(); it != parked_.end();) {
    Connection& conn = *it->second;
    if (conn.draining) {
      if (now >= conn.drain_until) {
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, conn.fd, nullptr);
        CloseLocked(conn);
        it = parked_.erase(it);
      } else {
        ++it;
      }
      continue;
    }
    const bool idle = !conn.head_started.has_value();
    const Clock::time_point deadline =
        idle ? conn.idle_since + limits_.idle_timeout : *conn.head_started + limits_.head_timeout;
    if (now < deadline) {
      ++it;
      continue;
    }
    if (!idle) {
      head_timeouts_.fetch_add(1, std::memory_order_relaxed);
      // Answer only a client that started a request; one that never sent a byte is dropped.
      if (conn.stream.buffered() > 0) {
        Refuse(conn.fd, 408,
               "the request head did not arrive within " +
                   std::to_string(limits_.head_timeout.count()) + " ms\n");
        StartDraining(conn);
        ++it;
        continue;
      }
    }
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, conn.fd, nullptr);
    CloseLocked(conn);
    it = parked_.erase(it);
  }
}

void ConnectionManager::StartDraining(Connection& conn) {
  ::shutdown(conn.fd, SHUT_WR);
  conn.draining = true;
  conn.drain_until = Clock::now() + limits_.drain_timeout;
}

void ConnectionManager::Stop() {
  closing_.store(true);
  stopping_.store(true);
  if (wake_fd_ >= 0) {
    const uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof one);
  }
  if (watcher_.joinable()) watcher_.join();
  std::lock_guard lock(mu_);
  for (auto& [fd, conn] : parked_) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    CloseLocked(*conn);
  }
  parked_.clear();
}

ConnectionStats ConnectionManager::Stats() const {
  ConnectionStats s;
  {
    std::lock_guard lock(mu_);
    s.open = open_;
    s.waiting = static_cast<int64_t>(parked_.size());
  }
  s.accepted = accepted_.load(std::memory_order_relaxed);
  s.refused_total_cap = refused_total_cap_.load(std::memory_order_relaxed);
  s.refused_ip_cap = refused_ip_cap_.load(std::memory_order_relaxed);
  s.head_timeouts = head_timeouts_.load(std::memory_order_relaxed);
  s.heads_too_large = heads_too_large_.load(std::memory_order_relaxed);
  return s;
}

void ConnectionManager::Refuse(int fd, int status, std::string_view body) {
  const std::string answer = "HTTP/1.1 " + std::to_string(status) + " " +
                             std::string(ReasonPhrase(status)) +
                             "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                             std::to_string(body.size()) +
                             "\r\nConnection: close\r\nRetry-After: 1\r\n\r\n" + std::string(body);
  // Best effort and never blocking: a refused client gets what fits in the socket buffer.
  (void)::send(fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
}

}  // namespace hamlet::http
