// ConnectionManager over socket pairs: complete heads are served on the calling worker,
// incomplete ones wait without one, and the refusals (431, 408, 429) and Stop.
#include "http/connection_manager.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/eventually.h"
namespace hamlet::http {
namespace {

using std::chrono::milliseconds;

// The client end of a socket pair; the server end goes to the manager (which closes it).
struct Client {
  Client() {
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    timeval tv{3, 0};
    ::setsockopt(fds[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Client() { ::close(fds[1]); }
  int server_end() const { return fds[0]; }
  void Send(const std::string& s) const { (void)::send(fds[1], s.data(), s.size(), MSG_NOSIGNAL); }
  // Everything until EOF or the 3 s receive timeout.
  std::string ReadToEnd() const {
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fds[1], buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
    return out;
  }
  int fds[2] = {-1, -1};
};

// A manager whose "request handling" reads the head and answers "ok", closing afterwards;
// jobs run on threads of their own.
class Harness {
 public:
  explicit Harness(ConnectionLimits limits)
      : manager_(
            limits,
            [this](ConnectionStream& s, bool) {
              std::string head;
              char c;
              while (!head.ends_with("\r\n\r\n") && s.read(&c, 1) == 1) head.push_back(c);
              {
                std::lock_guard lock(mu_);
                served_.push_back(head);
              }
              s.WriteAll("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
              return ConnectionManager::After::kClose;
            },
            [this](std::function<void()> job) {
              std::lock_guard lock(mu_);
              threads_.emplace_back(std::move(job));
            }) {}
  ~Harness() {
    manager_.Stop();
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
  }
  // Serve(fd) on a "worker" of its own, as httplib's accept loop would.
  void Accept(int fd) {
    std::lock_guard lock(mu_);
    threads_.emplace_back([this, fd] { manager_.Serve(fd); });
  }
  size_t served() {
    std::lock_guard lock(mu_);
    return served_.size();
  }
  ConnectionManager& manager() { return manager_; }

 private:
  std::mutex mu_;
  std::vector<std::string> served_;
  std::vector<std::thread> threads_;
  ConnectionManager manager_;  // last: stopped before the rest goes
};

ConnectionLimits Limits() {
  ConnectionLimits limits;
  limits.head_timeout = milliseconds(300);
  limits.max_head_bytes = 1024;
  limits.drain_timeout = milliseconds(200);
  return limits;
}


}  // namespace

TEST_SUITE("http/connection_manager") {
  TEST_CASE("a complete head is served, a trickled one once it is complete") {
    Harness h(Limits());
    Client quick;
    quick.Send("GET /a HTTP/1.1\r\n\r\n");
    h.Accept(quick.server_end());
    CHECK(quick.ReadToEnd().ends_with("\r\n\r\nok"));

    Client slow;
    slow.Send("GET /b HTTP/1.1\r\n");
    h.Accept(slow.server_end());
    // The worker hands it over: it waits in the epoll thread.
    CHECK(testing::Eventually([&] { return h.manager().Stats().waiting == 1; }));
    CHECK(h.served() == 1);
    slow.Send("Host: x\r\n\r\n");
    CHECK(slow.ReadToEnd().ends_with("\r\n\r\nok"));
    CHECK(h.served() == 2);
    CHECK(testing::Eventually([&] { return h.manager().Stats().open == 0; }));
    CHECK(h.manager().Stats().accepted == 2);
  }

  TEST_CASE("a head larger than the cap is answered 431 whether it comes at once or slowly") {
    Harness h(Limits());
    Client at_once;
    at_once.Send("GET / HTTP/1.1\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
    h.Accept(at_once.server_end());
    CHECK(at_once.ReadToEnd().starts_with("HTTP/1.1 431 "));

    Client slowly;
    slowly.Send("GET / HTTP/1.1\r\n");
    h.Accept(slowly.server_end());
    REQUIRE(testing::Eventually([&] { return h.manager().Stats().waiting == 1; }));
    slowly.Send("X-Big: " + std::string(2000, 'a'));
    CHECK(slowly.ReadToEnd().starts_with("HTTP/1.1 431 "));
    CHECK(h.manager().Stats().heads_too_large == 2);
    CHECK(h.served() == 0);
  }

  TEST_CASE("a head that does not complete in time is answered 408") {
    Harness h(Limits());
    Client c;
    c.Send("GET / HTTP/1.1\r\nHost: x\r\n");
    h.Accept(c.server_end());
    const std::string answer = c.ReadToEnd();
    CHECK(answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"));
    CHECK(answer.find("Connection: close") != std::string::npos);
    CHECK(h.manager().Stats().head_timeouts == 1);
    CHECK(h.served() == 0);
  }

  TEST_CASE("connections over the per-address cap are answered 429 at once") {
    ConnectionLimits limits = Limits();
    limits.max_connections_per_ip = 2;
    Harness h(limits);
    Client a, b, c;
    h.Accept(a.server_end());
    h.Accept(b.server_end());
    REQUIRE(testing::Eventually([&] { return h.manager().Stats().waiting == 2; }));
    h.Accept(c.server_end());
    CHECK(c.ReadToEnd().starts_with("HTTP/1.1 429 Too Many Requests\r\n"));
    CHECK(h.manager().Stats().refused_ip_cap == 1);
  }

  TEST_CASE("Stop closes waiting connections and serves no more") {
    Harness h(Limits());
    Client c;
    c.Send("GET / HTTP/1.1\r\n");
    h.Accept(c.server_end());
    REQUIRE(testing::Eventually([&] { return h.manager().Stats().waiting == 1; }));
    h.manager().Stop();
    CHECK(c.ReadToEnd().empty());  // closed without an answer: no request was complete
    CHECK(h.manager().Stats().open == 0);
  }
}

}  // namespace hamlet::http
