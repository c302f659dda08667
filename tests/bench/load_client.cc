// An HTTP/1.1 load client for the benchmarks and the load and crash tests: keep-alive
// connections on one epoll thread, either closed-loop (each connection sends its next request
// when the answer arrives) or open-loop at a fixed rate (wrk2-style: request k is due at
// start + k/rate, and its latency counts from that due time, so a stalled server cannot hide
// its queue). Request bodies rotate through a file, one body per line.
//
//   hamlet_load_client --port P [--host 127.0.0.1] [--path /1.1/comment-check]
//       [--bodies FILE] [--connections 32] [--duration 10] [--rate 0] [--guid-log FILE]
//       [--idle K] [--idle-interval-ms 1000] [--slow-log FILE] [--slow-ms 5]
//
// Without --bodies it sends GET, with it POST (application/x-www-form-urlencoded). --idle K
// opens K more connections that each send one GET /healthz every --idle-interval-ms and are
// otherwise idle: clients that hold a keep-alive connection (and so a server thread) without
// load. --guid-log writes the X-akismet-guid of every 200 answer, one per line: the answers
// the client has received. --slow-log writes one line per answer that took --slow-ms or more
// (due_ms: when it was due, from the start; latency_ms; status), to see when a tail happens
// (every second? in bursts?) and match it with the server's log. SIGTERM ends the run early
// (as --duration would: the answers in flight are awaited, then the report). Prints key=value
// lines (see PrintReport).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// Set by SIGTERM: end the run as if --duration had passed.
volatile std::sig_atomic_t g_stop_requested = 0;
void RequestStop(int) { g_stop_requested = 1; }

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string path = "/1.1/comment-check";
  std::string bodies_file;
  int connections = 32;
  double duration_s = 10;
  double rate = 0;  // requests per second over all connections; 0: closed loop
  std::string guid_log;
  std::string slow_log;
  double slow_ms = 5;
  int idle = 0;
  int idle_interval_ms = 1000;
};

struct Stats {
  uint64_t sent = 0, ok = 0, errors = 0, connects = 0, connect_errors = 0;
  uint64_t spam = 0, ham = 0, other_body = 0;
  std::vector<double> latency_ms;  // of answered requests (any status), load connections only
  std::map<int, uint64_t> non_2xx_by_status;  // what went wrong, for the report

  uint64_t non_2xx() const {
    uint64_t n = 0;
    for (const auto& [status, count] : non_2xx_by_status) n += count;
    return n;
  }
};

struct Conn {
  int fd = -1;
  bool idle_kind = false;  // an --idle connection
  bool connecting = false;
  bool busy = false;      // a request is on the wire
  Clock::time_point due;  // when the request in flight was due (latency origin)
  Clock::time_point next_idle_send;
  Clock::time_point retry_at;  // after a refused connect: do not spin on a server that is down
  std::string out;
  size_t out_pos = 0;
  std::string in;
};

class Client {
 public:
  Client(Options o, std::vector<std::string> bodies)
      : o_(std::move(o)), bodies_(std::move(bodies)) {}

  int Run();

 private:
  void Connect(Conn& c);
  void Close(Conn& c, bool error);
  void Send(Conn& c, Clock::time_point due);
  void Flush(Conn& c);
  void Read(Conn& c);
  // Parses one complete answer from c.in when there is one; returns false while incomplete.
  bool TakeAnswer(Conn& c);
  void Dispatch(Clock::time_point now);
  void PrintReport(double elapsed_s);

  Options o_;
  std::vector<std::string> bodies_;
  size_t next_body_ = 0;
  int ep_ = -1;
  sockaddr_in addr_{};
  std::vector<Conn> conns_;
  Stats st_;
  std::FILE* guids_ = nullptr;
  std::FILE* slow_ = nullptr;
  Clock::time_point start_;
  uint64_t due_count_ = 0;                 // open loop: requests due so far
  std::deque<Clock::time_point> backlog_;  // open loop: due, not yet sent
  bool stopping_ = false;
};

void Client::Connect(Conn& c) {
  c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ++st_.connects;
  c.connecting = true;
  c.busy = false;
  c.in.clear();
  int rc = ::connect(c.fd, reinterpret_cast<sockaddr*>(&addr_), sizeof addr_);
  if (rc != 0 && errno != EINPROGRESS) {
    ++st_.connect_errors;
    ::close(c.fd);
    c.fd = -1;
    c.retry_at = Clock::now() + std::chrono::milliseconds(10);
    return;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
  ev.data.ptr = &c;
  ::epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev);
}

void Client::Close(Conn& c, bool error) {
  if (c.fd < 0) return;
  if (error && c.busy) ++st_.errors;
  if (error && c.busy && !c.idle_kind && o_.rate > 0) backlog_.push_front(c.due);  // retry it
  ::epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  c.fd = -1;
  c.busy = false;
  c.connecting = false;
}

void Client::Send(Conn& c, Clock::time_point due) {
  c.out.clear();
  c.out_pos = 0;
  if (c.idle_kind || bodies_.empty()) {
    const std::string path = c.idle_kind ? "/healthz" : o_.path;
    c.out = "GET " + path + " HTTP/1.1\r\nHost: " + o_.host + "\r\n\r\n";
  } else {
    const std::string& body = bodies_[next_body_++ % bodies_.size()];
    c.out = "POST " + o_.path + " HTTP/1.1\r\nHost: " + o_.host +
            "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body;
  }
  c.busy = true;
  c.due = due;
  if (!c.idle_kind) ++st_.sent;
  Flush(c);
}

void Client::Flush(Conn& c) {
  while (c.fd >= 0 && c.out_pos < c.out.size()) {
    ssize_t n = ::send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_pos += static_cast<size_t>(n);
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;  // EPOLLOUT resumes it
    } else {
      Close(c, true);
    }
  }
}

// Case-insensitive search for "\r\nName:" in the head; the trimmed value or "".
std::string HeaderValue(std::string_view head, std::string_view name) {
  for (size_t pos = head.find("\r\n"); pos != std::string_view::npos;
       pos = head.find("\r\n", pos + 2)) {
    std::string_view line = head.substr(pos + 2);
    line = line.substr(0, line.find("\r\n"));
    if (line.size() <= name.size() || line[name.size()] != ':') continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(line[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (!same) continue;
    std::string_view v = line.substr(name.size() + 1);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return std::string(v);
  }
  return "";
}

bool Client::TakeAnswer(Conn& c) {
  const size_t head_end = c.in.find("\r\n\r\n");
  if (head_end == std::string::npos) return false;
  const std::string_view head(c.in.data(), head_end + 2);
  const size_t length =
      static_cast<size_t>(std::atoll(HeaderValue(head, "Content-Length").c_str()));
  if (c.in.size() < head_end + 4 + length) return false;
  const int status = head.size() > 12 ? std::atoi(std::string(head.substr(9, 3)).c_str()) : 0;
  const std::string_view body(c.in.data() + head_end + 4, length);
  std::string connection = HeaderValue(head, "Connection");
  for (char& ch : connection) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!c.idle_kind) {
    const double latency = std::chrono::duration<double, std::milli>(Clock::now() - c.due).count();
    st_.latency_ms.push_back(latency);
    if (slow_ != nullptr && latency >= o_.slow_ms) {
      std::fprintf(slow_, "due_ms=%.1f latency_ms=%.3f status=%d\n",
                   std::chrono::duration<double, std::milli>(c.due - start_).count(), latency,
                   status);
    }
    if (status >= 200 && status < 300) {
      ++st_.ok;
      if (body == "true") {
        ++st_.spam;
      } else if (body == "false") {
        ++st_.ham;
      } else {
        ++st_.other_body;
      }
      if (guids_ != nullptr) {
        const std::string guid = HeaderValue(head, "X-akismet-guid");
        if (!guid.empty()) std::fprintf(guids_, "%s\n", guid.c_str());
      }
    } else {
      ++st_.non_2xx_by_status[status];
    }
  }
  c.in.erase(0, head_end + 4 + length);
  c.busy = false;
  if (connection == "close") Close(c, false);
  return true;
}

void Client::Read(Conn& c) {
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n > 0) {
      c.in.append(buf, static_cast<size_t>(n));
      while (c.fd >= 0 && c.busy && TakeAnswer(c)) {
      }
      if (c.fd < 0) return;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    Close(c, true);  // EOF or error; an answer in flight is lost
    return;
  }
}

// Hands requests to free connections: closed loop, every free one; open loop, the due ones.
void Client::Dispatch(Clock::time_point now) {
  if (stopping_) return;
  if (o_.rate > 0) {
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const auto due_now = static_cast<uint64_t>(elapsed * o_.rate);
    for (; due_count_ < due_now; ++due_count_) {
      backlog_.push_back(start_ + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(due_count_ / o_.rate)));
    }
  }
  for (Conn& c : conns_) {
    if (c.fd < 0 && now >= c.retry_at) Connect(c);
    if (c.fd < 0 || c.connecting || c.busy) continue;
    if (c.idle_kind) {
      if (now >= c.next_idle_send) {
        c.next_idle_send = now + std::chrono::milliseconds(o_.idle_interval_ms);
        Send(c, now);
      }
    } else if (o_.rate <= 0) {
      Send(c, now);
    } else if (!backlog_.empty()) {
      const Clock::time_point due = backlog_.front();
      backlog_.pop_front();
      Send(c, due);
    }
  }
}

int Client::Run() {
  ep_ = ::epoll_create1(EPOLL_CLOEXEC);
  addr_.sin_family = AF_INET;
  addr_.sin_port = htons(static_cast<uint16_t>(o_.port));
  if (::inet_pton(AF_INET, o_.host.c_str(), &addr_.sin_addr) != 1) {
    std::fprintf(stderr, "load_client: --host must be an IPv4 address\n");
    return 2;
  }
  if (!o_.guid_log.empty()) {
    guids_ = std::fopen(o_.guid_log.c_str(), "w");
    if (guids_ == nullptr) {
      std::fprintf(stderr, "load_client: cannot write %s\n", o_.guid_log.c_str());
      return 2;
    }
    std::setvbuf(guids_, nullptr, _IOLBF, 4096);  // each line as it arrives (crash test)
  }
  if (!o_.slow_log.empty()) {
    slow_ = std::fopen(o_.slow_log.c_str(), "w");
    if (slow_ == nullptr) {
      std::fprintf(stderr, "load_client: cannot write %s\n", o_.slow_log.c_str());
      return 2;
    }
  }
  struct sigaction stop {};
  stop.sa_handler = RequestStop;
  ::sigaction(SIGTERM, &stop, nullptr);
  conns_.resize(static_cast<size_t>(o_.connections + o_.idle));
  for (int i = o_.connections; i < o_.connections + o_.idle; ++i) conns_[i].idle_kind = true;
  start_ = Clock::now();
  const auto end = start_ + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(o_.duration_s));
  std::vector<epoll_event> events(256);
  Clock::time_point drain_until{};
  for (;;) {
    const Clock::time_point now = Clock::now();
    if (!stopping_ && (now >= end || g_stop_requested != 0)) {
      // Stop sending; wait up to 2 s for the answers in flight (they count).
      stopping_ = true;
      drain_until = now + std::chrono::seconds(2);
    }
    if (stopping_) {
      const bool any_busy = std::any_of(conns_.begin(), conns_.end(), [](const Conn& c) {
        return c.fd >= 0 && c.busy && !c.idle_kind;
      });
      if (!any_busy || now >= drain_until) break;
    }
    Dispatch(now);
    // Open loop wakes for the next due request; reconnects after refused connects back off.
    int timeout_ms = 1;
    if (o_.rate <= 0 && o_.idle == 0) timeout_ms = 10;
    const int n = ::epoll_wait(ep_, events.data(), static_cast<int>(events.size()), timeout_ms);
    for (int i = 0; i < n; ++i) {
      Conn& c = *static_cast<Conn*>(events[i].data.ptr);
      if (c.fd < 0) continue;
      if (c.connecting && (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int err = 0;
        socklen_t len = sizeof err;
        ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err != 0) {
          ++st_.connect_errors;
          Close(c, false);
          c.retry_at = Clock::now() + std::chrono::milliseconds(10);
          continue;
        }
        c.connecting = false;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLRDHUP;
        ev.data.ptr = &c;
        ::epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
        continue;
      }
      if (events[i].events & EPOLLOUT) Flush(c);
      if (c.fd >= 0 && (events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) Read(c);
    }
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  for (Conn& c : conns_) {
    if (c.busy && !c.idle_kind) ++st_.errors;  // sent, never answered
    c.busy = false;
    Close(c, false);
  }
  if (guids_ != nullptr) std::fclose(guids_);
  if (slow_ != nullptr) std::fclose(slow_);
  PrintReport(elapsed);
  return 0;
}

void Client::PrintReport(double elapsed_s) {
  std::vector<double>& l = st_.latency_ms;
  std::sort(l.begin(), l.end());
  auto pct = [&l](double p) {
    if (l.empty()) return 0.0;
    return l[std::min(l.size() - 1,
                      static_cast<size_t>(p / 100.0 * static_cast<double>(l.size())))];
  };
  // rps: answers per second of the sending window (the drain after it does not count).
  std::printf("duration_s=%.2f\nrate_target=%.0f\nconnections=%d\nidle_connections=%d\n", elapsed_s,
              o_.rate, o_.connections, o_.idle);
  std::printf("sent=%llu\nanswered_2xx=%llu\nnon_2xx=%llu\nerrors=%llu\n",
              static_cast<unsigned long long>(st_.sent), static_cast<unsigned long long>(st_.ok),
              static_cast<unsigned long long>(st_.non_2xx()),
              static_cast<unsigned long long>(st_.errors));
  for (const auto& [status, count] : st_.non_2xx_by_status) {
    std::printf("status_%d=%llu\n", status, static_cast<unsigned long long>(count));
  }
  std::printf("connects=%llu\nconnect_errors=%llu\n", static_cast<unsigned long long>(st_.connects),
              static_cast<unsigned long long>(st_.connect_errors));
  std::printf("body_true=%llu\nbody_false=%llu\nbody_other=%llu\n",
              static_cast<unsigned long long>(st_.spam), static_cast<unsigned long long>(st_.ham),
              static_cast<unsigned long long>(st_.other_body));
  std::printf("rps=%.1f\np50_ms=%.3f\np90_ms=%.3f\np99_ms=%.3f\np999_ms=%.3f\nmax_ms=%.3f\n",
              static_cast<double>(st_.ok + st_.non_2xx()) / std::min(elapsed_s, o_.duration_s),
              pct(50), pct(90), pct(99), pct(99.9), l.empty() ? 0.0 : l.back());
}

int Usage() {
  std::fprintf(stderr,
               "usage: hamlet_load_client --port P [--host IPV4] [--path PATH] [--bodies FILE]\n"
               "  [--connections N] [--duration S] [--rate R] [--guid-log FILE] [--idle K]\n"
               "  [--idle-interval-ms MS] [--slow-log FILE] [--slow-ms MS]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return Usage();
    const char* v = argv[++i];
    if (arg == "--host") {
      o.host = v;
    } else if (arg == "--port") {
      o.port = std::atoi(v);
    } else if (arg == "--path") {
      o.path = v;
    } else if (arg == "--bodies") {
      o.bodies_file = v;
    } else if (arg == "--connections") {
      o.connections = std::atoi(v);
    } else if (arg == "--duration") {
      o.duration_s = std::atof(v);
    } else if (arg == "--rate") {
      o.rate = std::atof(v);
    } else if (arg == "--guid-log") {
      o.guid_log = v;
    } else if (arg == "--slow-log") {
      o.slow_log = v;
    } else if (arg == "--slow-ms") {
      o.slow_ms = std::atof(v);
    } else if (arg == "--idle") {
      o.idle = std::atoi(v);
    } else if (arg == "--idle-interval-ms") {
      o.idle_interval_ms = std::atoi(v);
    } else {
      return Usage();
    }
  }
  if (o.port <= 0 || o.connections < 1 || o.duration_s <= 0 || o.rate < 0 || o.idle < 0 ||
      o.slow_ms < 0) {
    return Usage();
  }
  std::vector<std::string> bodies;
  if (!o.bodies_file.empty()) {
    std::ifstream in(o.bodies_file);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) bodies.push_back(line);
    }
    if (bodies.empty()) {
      std::fprintf(stderr, "load_client: no bodies in %s\n", o.bodies_file.c_str());
      return 2;
    }
  }
  return Client(std::move(o), std::move(bodies)).Run();
}
