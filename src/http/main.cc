// hamletd: the Akismet-compatible HTTP daemon. Parses flags, then runs http::RunDaemon.
#include <CLI/CLI.hpp>

#include "http/server.h"

int main(int argc, char** argv) {
  hamlet::http::DaemonOptions options;
  CLI::App app{"hamletd: self-hosted, Akismet-compatible comment spam filter (HTTP daemon)"};
  app.add_option("--db", options.db_path, "SQLite database file (created when missing)")
      ->required();
  app.add_option("--listen", options.listen, "HOST:PORT to listen on")
      ->capture_default_str();
  app.add_option("--model", options.model_path, "fastText model (default: the shipped model)");
  app.add_option("--data-dir", options.data_dir,
                 "data directory whose lists/ holds the list files (default: the shipped data; "
                 "$HAMLET_DATA)");
  app.add_option("--threads", options.threads, "worker threads (= connections served at once, idle kept-alive ones included)")
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
                 "seconds an idle kept-alive connection may hold its thread")
      ->check(CLI::Range(0, 300))
      ->capture_default_str();
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--retention", options.retention,
                 "blank the personal fields (IP, e-mail, author, content ...) of decisions and "
                 "feedback older than this: 30d, 12h ... or off; counts are kept")
      ->capture_default_str();
  app.add_option("--purge-interval", options.purge_interval,
                 "how often the retention purge runs (it also runs at start)")
      ->capture_default_str();
  app.add_option("--webhook-retry-base-ms", options.webhook_retry_base_ms,
                 "delay after a webhook's first failed attempt; doubles per attempt up to 4 h")
      ->check(CLI::Range(int64_t{1}, int64_t{4} * 3'600'000))
      ->capture_default_str();
  app.add_option("--webhook-max-attempts", options.webhook_max_attempts,
                 "attempts before a webhook event is marked failed (hamlet webhooks retry)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  return hamlet::http::RunDaemon(options);
}
