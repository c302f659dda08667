// hamletd as a process: health, start-up failures, graceful stop, concurrent load. On both
// store backends.
#include <doctest/doctest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "http/usable_cpus.h"
#include "support/e2e_backends.h"
#include "support/env_guard.h"
#include "support/hamletd_process.h"
#include "support/sanitizers.h"

namespace hamlet::testing {

TEST_SUITE("e2e/service") {
  TEST_CASE_TEMPLATE("healthz answers ok once the model and database are up", Backend,
                     SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    httplib::Client c(d.host(), d.port());
    auto res = c.Get("/healthz");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "ok");
    CHECK(res->has_header("X-Request-Id"));
  }

  TEST_CASE_TEMPLATE("SIGTERM stops hamletd cleanly with exit code 0", Backend, SqliteBackend,
                     PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    CHECK(d.Stop() == 0);
    CHECK(d.Log().find("stopping") != std::string::npos);
  }

  TEST_CASE_TEMPLATE("the access log has a request id, latency and a masked IP, never the key",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    HamletdProcess d(options);
    httplib::Client c(d.host(), d.port());
    auto r = c.Post("/1.1/comment-check",
                    "api_key=" + d.key() +
                        "&blog=http%3A%2F%2Fx.test%2F&user_ip=203.0.113.77"
                        "&comment_author_email=alice%40example.com&comment_content=hi",
                    "application/x-www-form-urlencoded");
    REQUIRE(r);
    const std::string id = r->get_header_value("X-Request-Id");
    REQUIRE_FALSE(id.empty());
    d.Stop();  // flushes the log
    const std::string log = d.Log();
    CHECK(log.find("req=" + id + " method=POST path=/1.1/comment-check status=200") !=
          std::string::npos);
    CHECK(log.find(" ip=127.0.0.x") != std::string::npos);
    CHECK(log.find("req=" + id + " event=comment-check") != std::string::npos);
    CHECK(log.find("203.0.113.x") != std::string::npos);
    CHECK(log.find("203.0.113.77") == std::string::npos);
    CHECK(log.find("alice@") == std::string::npos);
    CHECK(log.find(d.key()) == std::string::npos);
  }

  TEST_CASE("hamletd logs its malloc arena cap and leaves it to MALLOC_ARENA_MAX when set") {
    // Sanitizer runtimes bring their own malloc, whose mallopt ignores the cap (TSan's still
    // answers that it took it).
    EnvGuard arena_max("MALLOC_ARENA_MAX");
    arena_max.Unset();
    {
      HamletdProcess d;
      const std::string log = d.Log();
      if (kSanitizerMalloc) {
        // Whether the sanitizer's mallopt reports success is its own affair; a line is logged.
        CHECK(log.find("malloc arenas") != std::string::npos);
      } else {
        const std::string cap =
            "memory: at most " + std::to_string(std::max(2, http::UsableCpus())) + " malloc arenas";
        CHECK_MESSAGE(log.find(cap) != std::string::npos, log);
      }
    }
    arena_max.Set("3");  // hamletd inherits it
    {
      HamletdProcess d;
      CHECK(d.Log().find("memory: malloc arenas left as they are") != std::string::npos);
      CHECK(d.Log().find("memory: at most") == std::string::npos);
    }
  }

  // SQLite only: its database subcases break SQLite files (PostgreSQL's case follows).
  TEST_CASE("hamletd refuses to start with one clear line for a bad model or database") {
    TempDir dir;
    const std::string db = dir.File("h.db");
    SUBCASE("missing model") {
      const CommandResult r = RunCommand({HamletdBinary(), "--db", db, "--listen", "127.0.0.1:1",
                                          "--model", dir.File("none.ftz")});
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("none.ftz") != std::string::npos);
    }
    SUBCASE("corrupt model") {
      std::ofstream(dir.File("bad.ftz")) << "not a model at all";
      const CommandResult r = RunCommand(
          {HamletdBinary(), "--db", db, "--listen", "127.0.0.1:1", "--model", dir.File("bad.ftz")});
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("bad.ftz") != std::string::npos);
    }
    SUBCASE("database in a missing directory") {
      const CommandResult r = RunCommand({HamletdBinary(), "--db", dir.File("no/such/dir/h.db"),
                                          "--listen", "127.0.0.1:1", "--model", E2eModelPath()});
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("h.db") != std::string::npos);
    }
    SUBCASE("a file that is not a database") {
      std::ofstream(dir.File("text.db")) << "hello, this is not SQLite\n";
      const CommandResult r = RunCommand({HamletdBinary(), "--db", dir.File("text.db"), "--listen",
                                          "127.0.0.1:1", "--model", E2eModelPath()});
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("text.db") != std::string::npos);
    }
    SUBCASE("bad --listen") {
      const CommandResult r = RunCommand(
          {HamletdBinary(), "--db", db, "--listen", "nonsense", "--model", E2eModelPath()});
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("--listen") != std::string::npos);
    }
    SUBCASE("a port another hamletd listens on") {
      // A second hamletd (another database, another start.sh) on the same port must not
      // start and share the connections with the first. `timeout` ends it if it does.
      HamletdProcess first;
      const std::string listen = first.host() + ":" + std::to_string(first.port());
      const CommandResult r = RunCommand({"/usr/bin/timeout", "20", HamletdBinary(), "--db", db,
                                          "--listen", listen, "--model", E2eModelPath()});
      CHECK(r.exit_code == 1);
      CHECK(r.err.find("cannot listen on " + listen) != std::string::npos);
    }
  }

  // PostgreSQL's counterpart of the database subcases above (which break SQLite files).
  TEST_CASE("hamletd refuses to start with one clear line when PostgreSQL is unreachable") {
    TempDir dir;  // holds no server socket
    const CommandResult r = RunCommand({HamletdBinary(), "--store",
                                        "postgresql://hamlet:s3cret@/hamlet?host=" + dir.path(),
                                        "--listen", "127.0.0.1:1", "--model", E2eModelPath()});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("cannot connect to PostgreSQL") != std::string::npos);
    CHECK(r.err.find(dir.path()) != std::string::npos);  // where it looked
    CHECK(r.err.find("s3cret") == std::string::npos);
    // libpq's message has a hint on a second line: a log reader sees one line per event.
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.back() == '\n');
  }

  TEST_CASE_TEMPLATE("concurrent clients on more connections than workers all get verdicts",
                     Backend, SqliteBackend, PostgresBackend) {
    HAMLET_E2E_OPTIONS(options, Backend);
    options.extra_args = {"--threads", "4"};
    HamletdProcess d(options);
    std::atomic<int> ok{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 8; ++t) {
      clients.emplace_back([&, t] {
        httplib::Client c(d.host(), d.port());
        c.set_read_timeout(std::chrono::seconds(10));
        for (int i = 0; i < 10; ++i) {
          auto r = c.Post("/1.1/comment-check",
                          "api_key=" + d.key() + "&blog=http%3A%2F%2Fx.test%2F&user_ip=10.0.0." +
                              std::to_string(t) + "&comment_content=comment+" + std::to_string(i),
                          "application/x-www-form-urlencoded");
          if (r && r->status == 200 && (r->body == "true" || r->body == "false")) ++ok;
        }
      });
    }
    for (auto& c : clients) c.join();
    CHECK(ok.load() == 80);
  }
}

}  // namespace hamlet::testing
