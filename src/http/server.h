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
#include "engine/local_memory.h"

namespace hamlet::app {
struct Services;
}

namespace hamlet::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port())
  // Worker threads. httplib serves one connection per thread, so this is also the number of
  // connections served at once; more wait in the (1024-deep) listen backlog.
  int threads = 16;
  size_t max_body_bytes = 64 * 1024;  // larger bodies get 413
  std::chrono::seconds io_timeout{5};  // read and write timeouts
  // Kept at httplib's 5 with a short idle timeout: a kept-alive idle connection holds a
  // worker, and raising the count only pays when threads >= concurrent client connections
  // (design/dependencies-and-gotchas.md section 3c).
  size_t keep_alive_max_count = 5;
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
  std::string listen = "127.0.0.1:8080";
  int threads = 16;
  size_t max_body_bytes = 64 * 1024;
  std::string log_level = "info";
  // The memory of earlier comments (reputation, campaigns, rates, trust): off with
  // --no-memory; its half-life, campaign window and size cap (engine::MemoryOptions).
  bool memory = true;
  double memory_half_life_days = 7.0;
  double campaign_window_hours = 72.0;
  size_t memory_max_entries = 500'000;
};

// The memory settings hamletd's options ask for (the caps split by what an entry costs).
engine::MemoryOptions MemoryOptionsOf(const DaemonOptions& options);

// "HOST:PORT", "[v6]:PORT" -> (host, port). InvalidArgument otherwise.
core::Result<std::pair<std::string, int>> ParseListen(std::string_view listen);

// hamletd: sets up logging, opens the database and model, serves until SIGINT or SIGTERM.
// SIGHUP reloads the model from the path it was started with (--model, or the default path
// resolved at start); success and failure are logged, and a bad file leaves the old model.
// Returns the process exit code: 0 after a clean stop, 1 when it could not start (one line
// on stderr says why). Never throws.
int RunDaemon(const DaemonOptions& options);

}  // namespace hamlet::http
