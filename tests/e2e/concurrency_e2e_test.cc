// Mixed concurrent load on the real hamletd: checks on both APIs, feedback, model reloads,
// metrics and readiness scrapes and slow clients all at once, then a graceful stop, on both
// store backends. Every request gets a proper answer and every answered check is stored. Under
// scripts/tsan.sh the same run is hamletd's data-race test.
#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/e2e_backends.h"
#include "support/hamletd_process.h"
#include "support/raw_connection.h"
#include "support/store_probe.h"
#include "support/text_lines.h"

namespace hamlet::testing {

TEST_SUITE("e2e/concurrency") {
  TEST_CASE_TEMPLATE("checks, feedback, reloads, scrapes and slow clients at once, then SIGTERM",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--threads", "4", "--rate-limit-ip", "0", "--rate-limit-key", "0"};
    HamletdProcess d(options);
    const CommandResult made = d.Hamlet({"keys", "create", "--admin"});
    REQUIRE(made.exit_code == 0);
    const std::string admin = LastLine(made.out);

    std::mutex mu;
    std::set<std::string> answered;
    std::atomic<int> bad{0};
    std::atomic<bool> done{false};
    std::vector<std::thread> threads;
    // Checks through Akismet and /v1, each followed now and then by feedback on it.
    for (int t = 0; t < 6; ++t) {
      threads.emplace_back([&, t] {
        httplib::Client c(d.host(), d.port());
        c.set_keep_alive(t % 2 == 0);
        c.set_read_timeout(std::chrono::seconds(30));
        for (int i = 0; i < 40; ++i) {
          std::string guid;
          const std::string text = "comment+" + std::to_string(t) + "+" + std::to_string(i);
          if (t < 3) {
            auto r =
                c.Post("/1.1/comment-check",
                       "api_key=" + d.key() +
                           "&blog=http%3A%2F%2Fx.test%2F&user_ip=192.0.2.3&comment_content=" + text,
                       "application/x-www-form-urlencoded");
            if (!r || r->status != 200 || (r->body != "true" && r->body != "false")) {
              ++bad;
              continue;
            }
            guid = r->get_header_value("X-akismet-guid");
          } else {
            auto r = c.Post("/v1/check", {{"Authorization", "Bearer " + d.key()}},
                            R"({"comment_content": ")" + text + R"("})", "application/json");
            if (!r || r->status != 200) {
              ++bad;
              continue;
            }
            guid = nlohmann::json::parse(r->body)["id"];
          }
          {
            std::lock_guard lock(mu);
            answered.insert(guid);
          }
          if (i % 10 == 0) {
            auto f = c.Post("/v1/feedback", {{"Authorization", "Bearer " + d.key()}},
                            R"({"id": ")" + guid + R"(", "label": "spam"})", "application/json");
            if (!f || f->status != 200) ++bad;
          }
        }
      });
    }
    // Reloads, scrapes and slow clients while that goes on.
    threads.emplace_back([&] {
      httplib::Client c(d.host(), d.port());
      c.set_read_timeout(std::chrono::seconds(30));
      while (!done.load()) {
        auto r = c.Post("/v1/admin/reload", {{"Authorization", "Bearer " + admin}}, "",
                        "application/json");
        if (!r || r->status != 200) ++bad;
        for (const char* path : {"/metrics", "/readyz", "/healthz", "/v1"}) {
          auto g = c.Get(path);
          if (!g || g->status != 200) ++bad;
        }
      }
    });
    threads.emplace_back([&] {
      while (!done.load()) {
        RawConnection slow(d.host(), d.port(), "127.0.0.2");
        slow.Send("POST /1.1/comment-check HTTP/1.1\r\nHost: x\r\n");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
    for (size_t i = 0; i < 6; ++i) threads[i].join();
    done = true;
    for (size_t i = 6; i < threads.size(); ++i) threads[i].join();

    CHECK(bad.load() == 0);
    CHECK(answered.size() == 240);
    CHECK(QueryStoreIntForTesting(d.db_path(), "SELECT count(*) FROM decisions") == 240);
    CHECK(QueryStoreIntForTesting(d.db_path(), "SELECT count(*) FROM feedback") == 24);
    CHECK(d.Stop() == 0);
  }
}

}  // namespace hamlet::testing
