// The CLI's command table: each command is one file that registers a CLI11 subcommand.
// Commands reach the engine only through app::Services, opened lazily with the global
// --db/--model options, so `hamlet --help` works without a database.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "app/wiring.h"
#include "core/status.h"

namespace hamlet::cli {

// Documented exit codes (README "Exit codes"): 0 ok, 1 internal error, 2 bad usage or input,
// 3 not found (a missing model file too), 4 unavailable (database locked/full), 5 candidate refused
// (`hamlet retrain`), 6 count check failed (`hamlet migrate`), 70 unexpected exception.
int ExitCodeFor(const core::Status& status);
// Not an error: `hamlet retrain` ran and the candidate was not good enough to install.
constexpr int kExitRefused = 5;
// `hamlet migrate` finished, but the destination's row counts differ from the source's.
constexpr int kExitCountMismatch = 6;

struct Context {
  std::string db_path = "hamlet.db";
  // A PostgreSQL URL (--store postgresql://...) to use instead of db_path; empty: db_path.
  std::string store_url;
  std::string model_path;  // empty: shipped default
  // Open the services with memory (rebuilt from the store): set by `hamlet check --key`.
  bool memory = false;
  // Opens the services once; `need_model` loads the classifier too.
  core::Result<app::Services*> Services(bool need_model);
  // Prints "hamlet: <status>" on err and sets the matching exit code.
  void Fail(const core::Status& status);
  int exit_code = 0;
  std::istream* in = nullptr;   // stdin of the command (review's line prompts, import -)
  std::ostream* out = nullptr;  // stdout of the command
  std::ostream* err = nullptr;  // stderr of the command
  // The streams are the process's own stdin/stdout (not a test's string streams), so a
  // command may use the terminal behind file descriptors 0 and 1.
  bool process_streams = false;

 private:
  std::unique_ptr<app::Services> services_;
  bool model_loaded_ = false;
};

// `hamlet review` stopped by SIGINT, SIGTERM, SIGHUP or Ctrl-C (verdicts given are kept).
constexpr int kExitInterrupted = 130;

// Each Register* adds one subcommand whose callback sets ctx.exit_code.
void RegisterKeys(CLI::App& app, Context& ctx);
void RegisterCheck(CLI::App& app, Context& ctx);
void RegisterQueue(CLI::App& app, Context& ctx);
void RegisterShow(CLI::App& app, Context& ctx);
void RegisterMark(CLI::App& app, Context& ctx);
void RegisterTrain(CLI::App& app, Context& ctx);
void RegisterEval(CLI::App& app, Context& ctx);
void RegisterRetrain(CLI::App& app, Context& ctx);
void RegisterReplay(CLI::App& app, Context& ctx);
void RegisterSites(CLI::App& app, Context& ctx);
void RegisterReview(CLI::App& app, Context& ctx);
void RegisterUndo(CLI::App& app, Context& ctx);
void RegisterStats(CLI::App& app, Context& ctx);
void RegisterTransfer(CLI::App& app, Context& ctx);  // export and import
void RegisterPurge(CLI::App& app, Context& ctx);
void RegisterLists(CLI::App& app, Context& ctx);
void RegisterWebhooks(CLI::App& app, Context& ctx);
void RegisterModels(CLI::App& app, Context& ctx);  // the model registry
void RegisterMigrate(CLI::App& app, Context& ctx);  // ignores --db and --store

// Runs the CLI with argv; returns the process exit code. Input and output go through the given
// streams, so tests can run commands in-process; without `in`, stdin is empty.
int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);
int RunCli(int argc, const char* const* argv, std::istream& in, std::ostream& out,
           std::ostream& err);
// main(): RunCli on std::cin, std::cout and std::cerr, which may be a terminal.
int RunCliOnProcessStreams(int argc, const char* const* argv);

}  // namespace hamlet::cli
