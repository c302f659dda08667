// ConnectionManager: hamletd's connections, served so that a connection holds a worker thread
// only while a complete request is being handled. httplib is thread-per-connection: a client
// that sends its request head slowly (slowloris), or an idle keep-alive connection, would
// otherwise hold a worker and starve everyone else. Here a head that is still arriving waits
// in one epoll thread; once it is complete, a worker parses and answers it (httplib's
// process_request, through the callback). Also enforces what httplib 0.11 cannot: a deadline
// for the head (408), a size cap on it (431; httplib has no limit on the number of header
// lines), and caps on connections open at once, in total (503) and per client address (429).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "http/connection_stream.h"

namespace hamlet::http {

struct ConnectionLimits {
  std::chrono::milliseconds io_timeout{5000};  // each read or write of a request being served
  // From a connection's first byte (or its accept) to the end of a request head.
  std::chrono::milliseconds head_timeout{10000};
  // From a complete head to the end of the request body.
  std::chrono::milliseconds body_timeout{10000};
  // Keep-alive: how long a connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{2000};
  // How long a worker waits for the next head on its connection before handing it to the
  // epoll thread: long enough for a busy client's next request, short enough that idle
  // connections do not hold workers.
  std::chrono::milliseconds linger{5};
  // After a refusal: how long to discard the client's input before closing (kDrainAndClose).
  std::chrono::milliseconds drain_timeout{1000};
  size_t max_head_bytes = 32 * 1024;
  size_t keep_alive_max_count = 5;      // requests per connection
  size_t max_connections = 4096;        // open at once
  size_t max_connections_per_ip = 128;  // per IPv4 address or IPv6 /64
};

// Counters and gauges for /metrics.
struct ConnectionStats {
  int64_t open = 0;     // connections open now
  int64_t waiting = 0;  // of which waiting for a request head in the epoll thread
  uint64_t accepted = 0;
  uint64_t refused_total_cap = 0;  // answered 503: max_connections reached
  uint64_t refused_ip_cap = 0;     // answered 429: max_connections_per_ip reached
  uint64_t head_timeouts = 0;      // answered 408: the head did not arrive in time
  uint64_t heads_too_large = 0;    // answered 431: the head exceeded max_head_bytes
};

// Thread-safety: Serve runs on worker threads concurrently; Stop and stats from any thread.
class ConnectionManager {
 public:
  // What to do with a connection after a request.
  enum class After {
    kKeepAlive,  // wait for the next request
    kClose,      // close now (the client asked to, the last request, or the socket failed)
    // Close after the answer has surely reached the client: input may be left unread (a
    // refused head or body), and closing with unread input resets the connection, which can
    // destroy the answer before the client reads it. Shuts down the sending side and
    // discards what arrives until the client closes, for up to a second.
    kDrainAndClose,
  };
  // Parses and answers the request whose head is in `stream` (httplib's process_request).
  // `last`: answer with "Connection: close".
  using ServeRequest = std::function<After(ConnectionStream& stream, bool last)>;
  // Runs a job on a worker thread.
  using Enqueue = std::function<void(std::function<void()> job)>;

  ConnectionManager(ConnectionLimits limits, ServeRequest serve, Enqueue enqueue);
  ~ConnectionManager();  // Stop()
  ConnectionManager(const ConnectionManager&) = delete;
  ConnectionManager& operator=(const ConnectionManager&) = delete;

  // Takes over the accepted socket `fd` on the calling worker: serves its requests while
  // heads are complete, hands it to the epoll thread while they are not, and closes it in
  // the end. After Stop, only a head already received is answered.
  void Serve(int fd);
  // Stops waiting for heads: closes every waiting connection, and makes connections close
  // after the request they are serving. Idempotent. Jobs already enqueued still run.
  void Stop();
  // The first step of Stop, at once and from any thread: requests answered from now on say
  // `Connection: close` and their connections close after them. Waiting connections are still
  // watched (a head arriving now is answered) until Stop(), which must still follow.
  void BeginStop() { closing_.store(true); }
  ConnectionStats Stats() const;
  // True once BeginStop() or Stop() has begun: answers close their connections.
  bool stopping() const { return closing_.load(); }

 private:
  struct Connection;
  using Clock = std::chrono::steady_clock;

  // Serves `conn` on this worker until it must wait or close.
  void Run(std::unique_ptr<Connection> conn);
  // Hands `conn` to the epoll thread.
  void Park(std::unique_ptr<Connection> conn);
  // The epoll thread.
  void WatchLoop();
  // Reads what `conn` sent while parked; true when it left the parked set (complete head
  // enqueued, or closed). REQUIRES: mu_ held.
  bool OnReadable(Connection& conn);
  // Closes connections whose deadline passed. REQUIRES: mu_ held.
  void ExpireParked(Clock::time_point now);
  void Close(std::unique_ptr<Connection> conn);
  // kDrainAndClose: shuts down sending, then lets the epoll thread discard input until EOF.
  void DrainAndClose(std::unique_ptr<Connection> conn);
  // The same for a parked connection. REQUIRES: mu_ held.
  void StartDraining(Connection& conn);
  // True when the head (complete, or what has arrived of it) exceeds max_head_bytes.
  bool HeadTooLarge(Connection& conn) const;
  // Answers 431 and counts it.
  void RefuseLargeHead(int fd);
  // Closes the socket and forgets it in the counts. REQUIRES: mu_ held.
  void CloseLocked(const Connection& conn);
  // Sends a short complete answer (`status`, a text body, Connection: close), best effort.
  static void Refuse(int fd, int status, std::string_view body);

  const ConnectionLimits limits_;
  const ServeRequest serve_;
  const Enqueue enqueue_;

  std::atomic<bool> stopping_{false};  // Stop(): no more waiting, parking or watching
  std::atomic<bool> closing_{false};   // BeginStop() or Stop(): each answer is the last
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: wakes the epoll thread for Stop

  mutable std::mutex mu_;
  // Connections waiting for a head, by fd. Guarded by mu_.
  std::unordered_map<int, std::unique_ptr<Connection>> parked_;
  // Open connections per client address (IPv4, or IPv6 /64). Guarded by mu_.
  std::unordered_map<std::string, size_t> per_ip_;
  int64_t open_ = 0;  // guarded by mu_

  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> refused_total_cap_{0};
  std::atomic<uint64_t> refused_ip_cap_{0};
  std::atomic<uint64_t> head_timeouts_{0};
  std::atomic<uint64_t> heads_too_large_{0};

  std::thread watcher_;  // started last
};

}  // namespace hamlet::http
