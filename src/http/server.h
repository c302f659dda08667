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
#include "http/connection_manager.h"
#include "http/request_guard.h"
#include "engine/local_memory.h"

namespace hamlet::app {
struct Services;
}

namespace hamlet::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port())
  // Worker threads: requests handled at once. A connection holds a worker only while one of
  // its requests is handled (ConnectionManager); idle keep-alive and slow clients wait in one
  // epoll thread. Each check waits for its decision's group commit (an fsync, a few ms), so
  // the requests in flight are what fills a commit batch: many threads keep the disk's
  // commits large under load. An idle thread costs about 40 KB of RSS.
  int threads = 256;
  size_t max_body_bytes = 64 * 1024;  // larger bodies get 413
  std::chrono::seconds io_timeout{5};  // read and write timeouts
  // Requests per connection before the server closes it: a higher count saves reconnects
  // (design/dependencies-and-gotchas.md 3c).
  size_t keep_alive_max_count = 100;
  // How long an idle kept-alive connection may wait for its next request.
  std::chrono::seconds keep_alive_timeout{2};
  // Request heads: how long one may take to arrive (408 after) and how large it may be (431
  // above; also more than max_header_count header lines).
  std::chrono::seconds head_timeout{10};
  size_t max_head_bytes = 32 * 1024;
  size_t max_header_count = 100;
  // Connections open at once, in total (503 above) and per client address (429 above).
  size_t max_connections = 4096;
  size_t max_connections_per_ip = 128;
  GuardOptions guard;                   // request rate limits and failed key checks
  bool metrics_need_admin_key = false;  // GET /metrics behind an admin key
};

// Thread-safety: Stop() may be called from any thread; the rest from one thread.
// Stop() is graceful: hamletd stops accepting, requests being handled (and heads already
// received) are answered, with "Connection: close", and their decisions committed,
// connections waiting for a request are closed, and Run() returns once all of that is done.
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
  // Client connections open now (being served or waiting for a request).
  int64_t OpenConnections() const;
  // Serves until Stop(); requests in flight are finished first. REQUIRES: Bind() succeeded.
  core::Status Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct DaemonOptions {
  std::string db_path;    // SQLite file (--db)
  std::string store_url;  // or a PostgreSQL URL (--store postgresql://...)
  std::string model_path;  // empty: the shipped default model
  std::string data_dir;    // holds lists/; empty: the shipped data (app::DefaultDataDir)
  std::string listen = "127.0.0.1:8080";
  int threads = 256;                   // ServerOptions::threads
  int malloc_arenas = 0;  // the cap LimitMallocArenas applied (0: none), logged at start
  size_t max_body_bytes = 64 * 1024;
  size_t keep_alive_max_count = 100;   // ServerOptions::keep_alive_max_count
  int keep_alive_timeout_seconds = 2;  // ServerOptions::keep_alive_timeout
  std::string log_level = "info";
  // Personal fields of decisions and feedback older than this are blanked by a background
  // thread (app::RetentionWorker): a duration ("90d", "12h") or "off".
  std::string retention = "90d";
  // Decisions older than this (whole UTC days) are deleted by the same thread, with their
  // feedback and webhook events; their counts are kept per day (store::DeletedCount): a
  // duration of at least 2 days ("400d") or "off".
  std::string delete_after = "400d";
  // How often that thread looks for old rows (it also runs once at start).
  std::string purge_interval = "1h";
  // How often the model registry is polled (app::ModelRegistryWorker; also once at start):
  // a duration ("10s", "1m") or "off". The newest published model goes into service.
  std::string model_poll_interval = "10s";
  // Where published models are cached; empty: app::DefaultModelCacheDir of the model.
  std::string model_cache_dir;
  // Webhook delivery (docs/webhooks.md): the delay after the first failed attempt (doubling
  // up to 4 h) and the attempts before an event is failed.
  int64_t webhook_retry_base_ms = 30'000;
  int webhook_max_attempts = 15;
  // Log IP and e-mail addresses unmasked (off: masked, see app::MaskIp).
  bool log_personal_data = false;
  // Rate limits: requests per second per client address and per key (bursts of twice
  // that), failed key checks per client address per minute; 0 turns one off.
  double rate_limit_ip = 200;
  double rate_limit_key = 100;
  double auth_failures_per_minute = 10;
  size_t max_connections = 4096;
  size_t max_connections_per_ip = 128;
  int head_timeout_seconds = 10;      // a request head must arrive within this; else 408
  std::string metrics_auth = "none";  // "none" or "admin"
  int64_t max_db_mb = 0;              // database size cap in MiB (0: none)
  // The memory of earlier comments (reputation, campaigns, rates, trust): off with
  // --no-memory; its half-life, campaign window and size cap (engine::MemoryOptions).
  bool memory = true;
  double memory_half_life_days = 7.0;
  double campaign_window_hours = 72.0;
  size_t memory_max_entries = 500'000;
  // How often memory reads what other nodes and processes stored (engine::SyncedMemory).
  int64_t memory_refresh_ms = 2000;
};

// The memory settings hamletd's options ask for (the caps split by what an entry costs).
engine::MemoryOptions MemoryOptionsOf(const DaemonOptions& options);

// "HOST:PORT", "[v6]:PORT" -> (host, port). InvalidArgument otherwise.
core::Result<std::pair<std::string, int>> ParseListen(std::string_view listen);

// hamletd: sets up logging, opens the database and model, starts the retention purge (unless
// options.retention is "off") and the webhook delivery thread, serves until SIGINT or SIGTERM,
// then stops the delivery thread after its attempt in flight.
// SIGHUP re-reads the allow/block lists and reloads the model from the path it was started
// with (--model, or the default path resolved at start), or, once the model registry put a
// published model in service, from its cache file; success and failure are logged, and a bad
// file leaves the old model.
// Returns the process exit code: 0 after a clean stop, 1 when it could not start (one line
// on stderr says why). Never throws.
int RunDaemon(const DaemonOptions& options);

}  // namespace hamlet::http
