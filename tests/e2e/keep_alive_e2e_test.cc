// hamletd's thread pool against clients that hold keep-alive connections open: httplib alone
// serves one connection per thread; the connection manager must keep idle kept-alive
// connections from taking every thread. Each case runs on both store backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"

namespace hamlet::testing {
namespace {

// `count` keep-alive clients that each GET /healthz every 300 ms (well inside the keep-alive
// timeout) until stopped: under httplib alone, each would hold a server thread the whole time.
class IdleClients {
 public:
  IdleClients(const HamletdProcess& d, int count) {
    for (int i = 0; i < count; ++i) {
      threads_.emplace_back([this, &d] {
        httplib::Client c(d.host(), d.port());
        c.set_keep_alive(true);
        c.set_read_timeout(std::chrono::seconds(20));
        while (!stop_.load()) {
          if (auto r = c.Get("/healthz"); r && r->status == 200) ++answers_;
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
        }
      });
    }
  }
  ~IdleClients() {
    stop_ = true;
    for (auto& t : threads_) t.join();
  }
  int answers() const { return answers_.load(); }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> answers_{0};
  std::vector<std::thread> threads_;
};

}  // namespace

TEST_SUITE("e2e/keep_alive") {
  TEST_CASE_TEMPLATE("forty idle keep-alive clients do not starve a client that checks comments",
                     Backend, SqliteBackend, PostgresBackend) {
    // With the former default of 16 threads, the checks below got no thread while the idle
    // clients kept theirs (each waited past the 5 s timeout); with the default pool they are
    // answered at once.
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    IdleClients idle(d, 40);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // all forty connected
    httplib::Client c(d.host(), d.port());
    c.set_read_timeout(std::chrono::seconds(5));
    c.set_connection_timeout(std::chrono::seconds(5));
    int verdicts = 0;
    for (int i = 0; i < 5; ++i) {
      auto r = c.Post("/1.1/comment-check",
                      "api_key=" + d.key() + "&blog=http%3A%2F%2Fx.test%2F&user_ip=10.0.0.9" +
                          "&comment_content=keep+alive+" + std::to_string(i),
                      "application/x-www-form-urlencoded");
      if (r && r->status == 200 && (r->body == "true" || r->body == "false")) ++verdicts;
    }
    CHECK(verdicts == 5);
    CHECK(idle.answers() >= 40);
  }

  TEST_CASE_TEMPLATE("idle keep-alive clients hold no worker: a pool of 4 still answers at once",
                     Backend, SqliteBackend, PostgresBackend) {
    // httplib alone holds a thread per open connection: with 16 threads, 40 idle clients left
    // nothing for a 41st (no answer within 2 s). The connection manager parks idle
    // connections in its epoll thread, so even 4 workers answer others at once.
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--threads", "4"};
    HamletdProcess d(options);
    IdleClients idle(d, 40);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    httplib::Client c(d.host(), d.port());
    c.set_read_timeout(std::chrono::seconds(2));
    c.set_connection_timeout(std::chrono::seconds(2));
    auto r = c.Post("/1.1/comment-check",
                    "api_key=" + d.key() + "&blog=http%3A%2F%2Fx.test%2F&user_ip=10.0.0.9" +
                        "&comment_content=not+starved",
                    "application/x-www-form-urlencoded");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK((r->body == "true" || r->body == "false"));
    CHECK(idle.answers() >= 40);
  }
}

}  // namespace hamlet::testing
