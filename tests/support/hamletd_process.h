// HamletdProcess: the real build/hamletd on a free loopback port with a fresh database and a
// site key, for end-to-end tests. Also runs the real build/hamlet CLI on the same database.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace hamlet::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when it could not run or died by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// Runs `argv` (argv[0] is a path) and waits; stdin is /dev/null.
CommandResult RunCommand(const std::vector<std::string>& argv);

// The model e2e tests serve: models/hamlet-default.ftz when it exists, else the tiny model.
std::string E2eModelPath();

class HamletdProcess {
 public:
  struct Options {
    std::string model_path;               // empty: E2eModelPath()
    std::vector<std::string> extra_args;  // appended to hamletd's command line
    bool create_key = true;
    // empty: hamlet.db in dir(); a postgresql:// URL is passed as --store instead of --db.
    std::string db_path;
    // hamletd's --log-level; load tests lower it so the log does not compete for the cores.
    std::string log_level = "debug";
  };

  // Creates the database and key, starts hamletd and waits (up to 15 s) for GET /healthz
  // to answer 200. Fails the current test (doctest REQUIRE) when it does not come up.
  HamletdProcess();
  explicit HamletdProcess(Options options);
  // Stop(), ignoring the result.
  ~HamletdProcess();
  HamletdProcess(const HamletdProcess&) = delete;
  HamletdProcess& operator=(const HamletdProcess&) = delete;

  // SIGTERM, up to 5 s for a clean exit, then SIGKILL. Returns hamletd's exit code, or -1
  // when it had to be killed or was not running. Fails the current test when hamletd's log
  // holds a sanitizer report (ASan, UBSan, TSan builds).
  int Stop();
  // Starts hamletd again on the same database and key (after Stop), with the same options,
  // on a fresh port. Fails the current test when it does not come up.
  void Restart();
  // Sends SIGTERM and returns at once; Wait() collects the exit.
  void Terminate() const;
  // Waits up to `seconds` for hamletd to exit (then SIGKILL); its exit code, or -1.
  int Wait(int seconds = 10);

  const std::string& host() const { return host_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& key() const { return key_; }  // the site key (12 hex)
  const std::string& db_path() const { return db_; }
  const TempDir& dir() const { return dir_; }
  // Everything hamletd wrote to stderr so far (its log).
  std::string Log() const;
  // build/hamlet --db <db> args... (--store <url> for PostgreSQL)
  CommandResult Hamlet(const std::vector<std::string>& args) const;
  // `hamlet show ID --json` as text; empty when the command fails (e.g. no such decision).
  std::string ShowJson(const std::string& decision_id) const;

 private:
  bool StartOnce(const Options& options, std::string& why);
  void Start();
  // Fails the current test when hamletd's log holds a sanitizer report.
  void CheckLogForSanitizerReports() const;

  TempDir dir_;
  Options options_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  pid_t pid_ = -1;
  std::string key_;
  std::string db_;
  std::string log_;
};

// Sends `request` verbatim over a new TCP connection and returns everything read until the
// peer closes or `timeout_ms` passes. For wire forms httplib::Client cannot produce.
std::string RawHttp(const std::string& host, int port, const std::string& request,
                    int timeout_ms = 3000);

// A loopback TCP port that was free a moment ago (bind to 0, read it back, close).
int FreeLoopbackPort();

// Paths of the binaries under test.
std::string HamletdBinary();
std::string HamletBinary();

}  // namespace hamlet::testing
