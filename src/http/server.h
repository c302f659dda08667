// The HTTP server (cpp-httplib) with explicit production settings, and the hamletd daemon
// loop around it: open services, bind, serve until SIGINT/SIGTERM, stop gracefully; SIGHUP
// reloads the model (app::ModelReloader).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace hamlet::app {
struct Services;
}

namespace hamlet::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port())
  // Worker threads. httplib serves one connection per thread, for as long as the connection
  // stays open (an idle kept-alive one included), so this is the number of connections served
  // at once; the others wait for a thread. 256, far above the clients' usual connection counts,
  // so that idle keep-alive clients cannot starve the others: with 16 threads, 32 clients that
  // each send one request a second stalled every other client for seconds (docs/benchmarks.md,
  // "Threads and keep-alive"). An idle thread costs about 40 KB of RSS.
  int threads = 256;
  size_t max_body_bytes = 64 * 1024;  // larger bodies get 413
  std::chrono::seconds io_timeout{5};  // read and write timeouts
  // Requests per connection before the server closes it. With threads above the number of
  // connections, a higher count saves reconnects (design/dependencies-and-gotchas.md 3c); a
  // connection beyond the thread count waits for one of them to close, so not unlimited.
  size_t keep_alive_max_count = 100;
  // How long an idle kept-alive connection may hold its thread.
  std::chrono::seconds keep_alive_timeout{2};
};

// Thread-safety: Stop() may be called from any thread; the rest from one thread.
class Server {
 public:
  // `services` must outlive the server.
  Server(app::Services& services, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket (backlog 1024). Unavailable when the address cannot be bound.
  core::Status Bind();
  // The bound port. REQUIRES: Bind() succeeded.
  int port() const;
  // Serves until Stop(); requests in flight are finished first. REQUIRES: Bind() succeeded.
  core::Status Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct DaemonOptions {
  std::string db_path;
  std::string model_path;  // empty: the shipped default model
  std::string data_dir;    // holds lists/; empty: the shipped data (app::DefaultDataDir)
  std::string listen = "127.0.0.1:8080";
  int threads = 256;                   // ServerOptions::threads
  size_t max_body_bytes = 64 * 1024;
  size_t keep_alive_max_count = 100;   // ServerOptions::keep_alive_max_count
  int keep_alive_timeout_seconds = 2;  // ServerOptions::keep_alive_timeout
  std::string log_level = "info";
  // Personal fields of decisions and feedback older than this are blanked by a background
  // thread (app::RetentionWorker): a duration ("90d", "12h") or "off".
  std::string retention = "90d";
  // How often that thread looks for old rows (it also runs once at start).
  std::string purge_interval = "1h";
  // Webhook delivery (docs/webhooks.md): the delay after the first failed attempt (doubling
  // up to 4 h) and the attempts before an event is failed.
  int64_t webhook_retry_base_ms = 30'000;
  int webhook_max_attempts = 15;
};

// "HOST:PORT", "[v6]:PORT" -> (host, port). InvalidArgument otherwise.
core::Result<std::pair<std::string, int>> ParseListen(std::string_view listen);

// hamletd: sets up logging, opens the database and model, starts the retention purge (unless
// options.retention is "off") and the webhook delivery thread, serves until SIGINT or SIGTERM,
// then stops the delivery thread after its attempt in flight.
// SIGHUP re-reads the allow/block lists and reloads the model from the path it was started
// with (--model, or the default path resolved at start); success and failure are logged, and
// a bad file leaves the old model.
// Returns the process exit code: 0 after a clean stop, 1 when it could not start (one line
// on stderr says why). Never throws.
int RunDaemon(const DaemonOptions& options);

}  // namespace hamlet::http
