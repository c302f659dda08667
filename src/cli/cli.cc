// The CLI's entry point: global options, the command table, exit codes.
#include <exception>
#include <iostream>
#include <sstream>

#include "cli/command.h"

namespace hamlet::cli {
namespace {

struct CommandRow {
  void (*register_fn)(CLI::App&, Context&);
};

// The command table: one row per command file.
constexpr CommandRow kCommands[] = {
    {&RegisterKeys},     {&RegisterCheck},  {&RegisterQueue}, {&RegisterShow},
    {&RegisterReview},   {&RegisterMark},   {&RegisterUndo},  {&RegisterStats},
    {&RegisterTransfer}, {&RegisterPurge},  {&RegisterTrain}, {&RegisterEval},
    {&RegisterRetrain},  {&RegisterReplay}, {&RegisterSites}, {&RegisterLists},
    {&RegisterWebhooks}, {&RegisterModels}, {&RegisterMigrate},
};

int Run(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err,
        bool process_streams);

}  // namespace

int ExitCodeFor(const core::Status& status) {
  switch (status.code()) {
    case core::StatusCode::kOk:
      return 0;
    case core::StatusCode::kInvalidArgument:
    case core::StatusCode::kUnauthenticated:
    case core::StatusCode::kPermissionDenied:
      return 2;
    case core::StatusCode::kNotFound:
      return 3;
    case core::StatusCode::kUnavailable:
      return 4;
    case core::StatusCode::kInternal:
      return 1;
  }
  return 1;
}

void Context::Fail(const core::Status& status) {
  *err << "hamlet: " << status.ToString() << "\n";
  exit_code = ExitCodeFor(status);
}

core::Result<app::Services*> Context::Services(bool need_model) {
  if (services_ && (model_loaded_ || !need_model)) return services_.get();
  services_.reset();  // reopen with the model
  app::Options options;
  options.db_path = db_path;
  options.store_url = store_url;
  options.model_path = model_path;
  options.load_model = need_model;
  options.memory = memory;
  auto opened = app::Open(options);
  if (!opened) return opened.error();
  services_ = std::move(*opened);
  model_loaded_ = need_model;
  return services_.get();
}

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  std::istringstream empty;
  return Run(argc, argv, empty, out, err, false);
}

int RunCli(int argc, const char* const* argv, std::istream& in, std::ostream& out,
           std::ostream& err) {
  return Run(argc, argv, in, out, err, false);
}

int RunCliOnProcessStreams(int argc, const char* const* argv) {
  return Run(argc, argv, std::cin, std::cout, std::cerr, true);
}

namespace {

int Run(int argc, const char* const* argv, std::istream& in, std::ostream& out, std::ostream& err,
        bool process_streams) {
  CLI::App app{"hamlet: moderate, train and evaluate the hamlet comment spam filter", "hamlet"};
  app.footer(
      "Exit codes: 0 ok, 1 internal error, 2 bad usage or input, 3 not found (model file too),\n"
      "4 unavailable (database locked or full), 5 candidate refused (retrain),\n"
      "6 count check failed (migrate), "
      "70 unexpected error, 130 review interrupted (SIGINT, SIGTERM, Ctrl-C).\n"
      "Example: hamlet --db hamlet.db keys create --site https://blog.example.org/");
  app.require_subcommand(1);
  Context ctx;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;
  ctx.process_streams = process_streams;
  auto* db = app.add_option("--db", ctx.db_path, "SQLite database file")->capture_default_str();
  auto* store = app.add_option("--store", ctx.store_url,
                               "PostgreSQL database instead of --db: postgresql://USER@HOST/DB");
  db->excludes(store);
  store->excludes(db);
  app.add_option("--model", ctx.model_path, "fastText model (default: the shipped model)");
  for (const auto& row : kCommands) row.register_fn(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the help or the usage error; the exit code is ours: 0 for --help, else 2.
    return app.exit(e, out, err) == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    err << "hamlet: unexpected error: " << e.what() << "\n";
    return 70;
  }
  return ctx.exit_code;
}

}  // namespace

}  // namespace hamlet::cli
