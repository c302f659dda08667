// Graceful stop: SIGTERM while checks are in flight. hamletd stops accepting, answers the
// requests it is serving (their decisions committed first, as always), and exits 0; every
// check a client got an answer for is in the database. On both store backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/e2e_backends.h"
#include "support/e2e_http.h"
#include "support/hamletd_process.h"
#include "support/raw_connection.h"
#include "support/store_probe.h"

namespace hamlet::testing {
namespace {

std::string CheckBody(const std::string& key, int n) {
  return "api_key=" + key + "&blog=http%3A%2F%2Fexample.test%2F&user_ip=192.0.2." +
         std::to_string(n % 250) + "&comment_content=comment+number+" + std::to_string(n);
}

}  // namespace

TEST_SUITE("e2e/shutdown") {
  TEST_CASE_TEMPLATE(
      "SIGTERM with checks in flight: each is answered and stored and hamletd exits 0", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--rate-limit-ip", "0", "--rate-limit-key", "0"};
    HamletdProcess d(options);

    std::mutex mu;
    std::set<std::string> answered;  // guids the clients received
    auto remember = [&](const std::string& guid) {
      std::lock_guard lock(mu);
      answered.insert(guid);
    };

    // Three checks whose head and half the body have arrived: in flight at the SIGTERM.
    constexpr int kInFlight = 3;
    std::vector<std::unique_ptr<RawConnection>> slow;
    std::vector<std::string> rest;
    for (int i = 0; i < kInFlight; ++i) {
      const std::string body = CheckBody(d.key(), 1000 + i);
      auto conn = std::make_unique<RawConnection>(d.host(), d.port());
      REQUIRE(conn->connected());
      REQUIRE(
          conn->Send("POST /1.1/comment-check HTTP/1.1\r\nHost: x\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, body.size() / 2)));
      rest.push_back(body.substr(body.size() / 2));
      slow.push_back(std::move(conn));
    }
    // Being served (not waiting for a head): the three, and the /metrics request asking.
    REQUIRE(WaitUntil(
        [&] {
          return MetricValue(d, "hamlet_http_connections_open") -
                     MetricValue(d, "hamlet_http_connections_waiting") >=
                 kInFlight + 1;
        },
        std::chrono::seconds(10)));

    // Clients sending checks back to back on keep-alive connections until hamletd is gone.
    std::atomic<int> loop_answers{0};
    std::atomic<bool> client_saw_wrong_answer{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&, t] {
        httplib::Client c(d.host(), d.port());
        c.set_keep_alive(true);
        c.set_read_timeout(std::chrono::seconds(10));
        for (int i = 0;; ++i) {
          auto r = c.Post("/1.1/comment-check", CheckBody(d.key(), t * 100000 + i),
                          "application/x-www-form-urlencoded");
          if (!r) {
            // Refused or closed: hamletd stopped accepting. Try once more on a new connection
            // to be sure, then stop.
            httplib::Client again(d.host(), d.port());
            if (!again.Get("/healthz")) break;
            continue;
          }
          if (r->status != 200 || (r->body != "true" && r->body != "false")) {
            client_saw_wrong_answer = true;
            continue;
          }
          remember(r->get_header_value("X-akismet-guid"));
          ++loop_answers;
        }
      });
    }
    REQUIRE(WaitUntil([&] { return loop_answers.load() >= 20; }, std::chrono::seconds(20)));

    d.Terminate();
    // Once hamletd has taken the signal, the in-flight checks send the rest of their bodies.
    REQUIRE(
        WaitUntil([&] { return d.Log().find("received signal 15, stopping") != std::string::npos; },
                  std::chrono::seconds(10)));
    for (int i = 0; i < kInFlight; ++i) {
      REQUIRE(slow[i]->Send(rest[i]));
      const RawResponse r = ParseRawResponse(slow[i]->ReadResponse());
      CAPTURE(i);
      CHECK(r.status == 200);
      CHECK((r.body == "true" || r.body == "false"));
      CHECK(r.Header("Connection") == "close");
      const std::string guid = r.Header("X-akismet-guid");
      CHECK(guid.size() == 32);
      remember(guid);
    }

    const int exit_code = d.Wait(20);
    for (auto& c : clients) c.join();
    CHECK(exit_code == 0);
    CHECK_FALSE(client_saw_wrong_answer.load());
    CHECK(d.Log().find("hamletd stopped") != std::string::npos);

    // Every answer the clients got was committed before it was sent.
    REQUIRE(answered.size() >= static_cast<size_t>(20 + kInFlight));
    std::string ids;
    for (const std::string& g : answered) ids += (ids.empty() ? "'" : ",'") + g + "'";
    CHECK(QueryStoreIntForTesting(d.db_path(),
                                  "SELECT count(*) FROM decisions WHERE id IN (" + ids + ")") ==
          static_cast<int64_t>(answered.size()));
  }

  TEST_CASE_TEMPLATE(
      "after SIGTERM idle connections are closed and a request in flight is answered", Backend,
      SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    RawConnection probe(d.host(), d.port());
    REQUIRE(probe.connected());
    RawConnection in_flight(d.host(), d.port());
    const std::string body = CheckBody(d.key(), 1);
    REQUIRE(in_flight.Send("POST /1.1/comment-check HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10)));
    REQUIRE(probe.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    REQUIRE(ParseRawResponse(probe.ReadResponse()).status == 200);
    d.Terminate();
    REQUIRE(WaitUntil([&] { return d.Log().find("received signal 15") != std::string::npos; },
                      std::chrono::seconds(10)));
    // The probe's connection was waiting for its next request: hamletd closed it.
    CHECK(probe.ReadToEnd(3000).empty());
    REQUIRE(in_flight.Send(body.substr(10)));
    CHECK(ParseRawResponse(in_flight.ReadResponse()).status == 200);
    CHECK(d.Wait(20) == 0);
  }
}

}  // namespace hamlet::testing
