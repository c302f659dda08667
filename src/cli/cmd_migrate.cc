// `hamlet migrate --from A --to B`: moves an installation between a SQLite file and a
// PostgreSQL database (either way) and prints the count check, one row per table.
#include <iomanip>
#include <nlohmann/json.hpp>

#include "app/migrate.h"
#include "cli/command.h"

namespace hamlet::cli {
namespace {

struct MigrateArgs {
  std::string from;
  std::string to;
  int batch = 1000;
  bool json = false;
};

// Progress on stderr every this many rows of a table (and when a table is done).
constexpr int64_t kProgressEvery = 100000;

nlohmann::json ReportToJson(const engine::CopyReport& report) {
  nlohmann::json tables = nlohmann::json::array();
  for (const engine::TableCopyCount& t : report.tables) {
    tables.push_back({{"table", std::string(store::InstallTableName(t.table))},
                      {"source", t.source},
                      {"source_after", t.source_after},
                      {"copied", t.copied},
                      {"destination", t.destination},
                      {"ok", t.ok()}});
  }
  return {{"ok", report.ok()},
          {"tables", tables},
          {"list_revision",
           {{"source", report.source_list_revision},
            {"destination", report.destination_list_revision},
            {"ok", report.source_list_revision == report.destination_list_revision}}}};
}

void PrintReport(Context& ctx, const engine::CopyReport& report) {
  std::ostream& out = *ctx.out;
  out << std::left << std::setw(20) << "TABLE" << std::right << std::setw(12) << "SOURCE"
      << std::setw(12) << "COPIED" << std::setw(13) << "DESTINATION"
      << "  CHECK\n";
  for (const engine::TableCopyCount& t : report.tables) {
    out << std::left << std::setw(20) << store::InstallTableName(t.table) << std::right
        << std::setw(12) << t.source << std::setw(12) << t.copied << std::setw(13) << t.destination
        << "  " << (t.ok() ? "ok" : "MISMATCH");
    if (t.source_after != t.source) {
      out << " (the source changed to " << t.source_after << " rows meanwhile)";
    }
    out << "\n";
  }
  const bool revision_ok = report.source_list_revision == report.destination_list_revision;
  out << std::left << std::setw(20) << "list_revision" << std::right << std::setw(12)
      << report.source_list_revision << std::setw(12) << "-" << std::setw(13)
      << report.destination_list_revision << "  " << (revision_ok ? "ok" : "MISMATCH") << "\n";
}

void Migrate(Context& ctx, const MigrateArgs& args) {
  app::MigrateOptions options;
  options.from = args.from;
  options.to = args.to;
  options.copy.batch_rows = args.batch;
  const int64_t batch = args.batch;
  options.copy.progress = [&ctx, batch](store::InstallTable table, int64_t copied, int64_t total) {
    const bool crossed = copied / kProgressEvery != (copied - batch) / kProgressEvery;
    if (!crossed && copied != total) return;
    *ctx.err << "hamlet: " << store::InstallTableName(table) << ": " << copied << " of " << total
             << " rows copied\n";
  };
  auto report = app::MigrateInstallation(options);
  if (!report) return ctx.Fail(report.error());
  if (args.json) {
    *ctx.out << ReportToJson(*report).dump() << "\n";
  } else {
    PrintReport(ctx, *report);
  }
  if (!report->ok()) {
    *ctx.err << "hamlet: the count check failed: the destination does not hold what the source "
                "does (was hamletd still running on the source?); drop the destination and run "
                "again\n";
    ctx.exit_code = kExitCountMismatch;
  }
}

}  // namespace

void RegisterMigrate(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<MigrateArgs>();
  auto* migrate = app.add_subcommand(
      "migrate",
      "Move an installation between a SQLite file and PostgreSQL (either way): keys, salts,\n"
      "settings, lists, decisions, feedback, moderator actions and webhook events, with a\n"
      "count check per table. Stop hamletd first; the destination must be empty.\n"
      "Example: hamlet migrate --from hamlet.db --to "
      "postgresql://hamlet@/hamlet?host=/run/postgresql\n"
      "         hamlet migrate --from postgresql://hamlet@db.internal/hamlet --to back.db");
  migrate->add_option("--from", args->from, "the installation: a SQLite file or postgresql:// URL")
      ->required();
  migrate->add_option("--to", args->to, "an empty destination: a SQLite file or postgresql:// URL")
      ->required();
  migrate->add_option("--batch", args->batch, "rows per transaction")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  migrate->add_flag("--json", args->json, "print the count check as JSON");
  migrate->callback([&ctx, args] { Migrate(ctx, *args); });
}

}  // namespace hamlet::cli
