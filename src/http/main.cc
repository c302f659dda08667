// hamletd: the Akismet-compatible HTTP daemon. Parses flags, then runs http::RunDaemon.
#include <CLI/CLI.hpp>

#include "http/malloc_arenas.h"
#include "http/server.h"

int main(int argc, char** argv) {
  const int malloc_arenas = hamlet::http::LimitMallocArenas();  // before any thread allocates
  hamlet::http::DaemonOptions options;
  options.malloc_arenas = malloc_arenas;
  CLI::App app{"hamletd: self-hosted, Akismet-compatible comment spam filter (HTTP daemon)"};
  auto* db = app.add_option("--db", options.db_path, "SQLite database file (created when missing)");
  auto* store = app.add_option("--store", options.store_url,
                               "PostgreSQL database shared by several nodes, instead of --db: "
                               "postgresql://USER@HOST/DB (migrated when behind)");
  db->excludes(store);
  store->excludes(db);
  app.add_option("--listen", options.listen, "HOST:PORT to listen on")
      ->capture_default_str();
  app.add_option("--model", options.model_path, "fastText model (default: the shipped model)");
  app.add_option("--data-dir", options.data_dir,
                 "data directory whose lists/ holds the list files (default: the shipped data; "
                 "$HAMLET_DATA)");
  app.add_option("--threads", options.threads,
                 "worker threads (= requests handled at once; idle and slow connections wait "
                 "without one)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--max-body-bytes", options.max_body_bytes, "request body limit; larger gets 413")
      ->check(CLI::Range(size_t{1024}, size_t{64} << 20))
      ->capture_default_str();
  app.add_option("--keep-alive-max", options.keep_alive_max_count,
                 "requests served on one connection before it is closed")
      ->check(CLI::Range(size_t{1}, size_t{100000}))
      ->capture_default_str();
  app.add_option("--keep-alive-timeout", options.keep_alive_timeout_seconds,
                 "seconds an idle kept-alive connection may wait for its next request")
      ->check(CLI::Range(0, 300))
      ->capture_default_str();
  app.add_option("--max-connections", options.max_connections,
                 "connections open at once; more are answered 503 (also capped by the "
                 "open-file limit)")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--max-connections-per-ip", options.max_connections_per_ip,
                 "connections open at once from one IPv4 address or IPv6 /64; more get 429")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--head-timeout", options.head_timeout_seconds,
                 "seconds a request head may take to arrive (slow clients wait without a "
                 "worker); then 408")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--rate-limit-ip", options.rate_limit_ip,
                 "requests per second from one client address, bursts of twice that; beyond: "
                 "429 + Retry-After (Akismet calls: body 'throttled'); 0: off")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  app.add_option("--rate-limit-key", options.rate_limit_key,
                 "requests per second with one key, bursts of twice that; 0: off")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  app.add_option("--max-auth-failures", options.auth_failures_per_minute,
                 "failed key checks per minute from one client address (up to that many at "
                 "once); beyond, its key checks get 429 until it is under again; 0: off")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  app.add_option("--metrics-auth", options.metrics_auth,
                 "GET /metrics: 'none' (open) or 'admin' (Authorization: Bearer ADMIN_KEY)")
      ->check(CLI::IsMember({"none", "admin"}))
      ->capture_default_str();
  app.add_option("--max-db-mb", options.max_db_mb,
                 "cap on the database file in MiB: beyond it checks are answered 503 (as on a "
                 "full disk) until rows are deleted; 0: none")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30))
      ->capture_default_str();
  app.add_flag("--log-personal-data", options.log_personal_data,
               "log IP and e-mail addresses unmasked (default: masked, 203.0.113.x, a***@x.org)");
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--retention", options.retention,
                 "blank the personal fields (IP, e-mail, author, content ...) of decisions and "
                 "feedback older than this: 30d, 12h ... or off; counts are kept")
      ->capture_default_str();
  app.add_option("--delete-after", options.delete_after,
                 "delete decisions (with their feedback) older than this, keeping their counts "
                 "per day for statistics: 400d ... (at least 2d) or off")
      ->capture_default_str();
  app.add_option("--purge-interval", options.purge_interval,
                 "how often the retention purge and deletion run (they also run at start)")
      ->capture_default_str();
  app.add_option("--model-poll-interval", options.model_poll_interval,
                 "how often the model registry is polled (also at start): the newest model "
                 "published with `hamlet retrain` or `hamlet models publish` goes into service; "
                 "10s, 1m ... or off")
      ->capture_default_str();
  app.add_option("--model-cache", options.model_cache_dir,
                 "folder for published models taken from the registry (default: registry/ "
                 "beside --model)");
  app.add_option("--webhook-retry-base-ms", options.webhook_retry_base_ms,
                 "delay after a webhook's first failed attempt; doubles per attempt up to 4 h")
      ->check(CLI::Range(int64_t{1}, int64_t{4} * 3'600'000))
      ->capture_default_str();
  app.add_option("--webhook-max-attempts", options.webhook_max_attempts,
                 "attempts before a webhook event is marked failed (hamlet webhooks retry)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  bool no_memory = false;
  app.add_flag("--no-memory", no_memory,
               "no memory of earlier comments: the reputation, campaign, rate and trust checks "
               "say nothing");
  app.add_option("--memory-half-life-days", options.memory_half_life_days,
                 "reputation counts halve every this many days; kept 4 half-lives")
      ->check(CLI::Range(0.05, 365.0))
      ->capture_default_str();
  app.add_option("--campaign-window-hours", options.campaign_window_hours,
                 "near-copies of a text within this window form a campaign")
      ->check(CLI::Range(1.0, 2160.0))
      ->capture_default_str();
  app.add_option("--memory-max-entries", options.memory_max_entries,
                 "cap on remembered reputation entries (campaigns: half, senders: a fifth)")
      ->check(CLI::Range(size_t{1000}, size_t{100'000'000}))
      ->capture_default_str();
  app.add_option("--memory-refresh-ms", options.memory_refresh_ms,
                 "how often memory learns the decisions and labels other nodes (and other "
                 "processes on the database) stored: at most this much later than they were "
                 "stored, given checks arriving")
      ->check(CLI::Range(int64_t{10}, int64_t{600'000}))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
    if (options.db_path.empty() && options.store_url.empty()) {
      throw CLI::RequiredError("--db FILE or --store postgresql://...");
    }
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  options.memory = !no_memory;
  return hamlet::http::RunDaemon(options);
}
