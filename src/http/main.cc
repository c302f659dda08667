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
  app.add_option("--threads", options.threads, "worker threads (= concurrent connections)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--max-body-bytes", options.max_body_bytes, "request body limit; larger gets 413")
      ->check(CLI::Range(size_t{1024}, size_t{64} << 20))
      ->capture_default_str();
  app.add_option("--log-level", options.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  options.memory = !no_memory;
  return hamlet::http::RunDaemon(options);
}
