// `hamlet export` / `hamlet import`: labeled decisions as JSON Lines in the corpora's format,
// to retrain elsewhere (`hamlet train --data export.jsonl`) or to move a site to another
// installation. Import is idempotent: a second run of the same file changes nothing.
#include <fstream>

#include "app/decision_jsonl.h"
#include "cli/command.h"
#include "cli/filter_args.h"

namespace hamlet::cli {
namespace {

struct ExportArgs {
  FilterArgs filter;
  std::string out;  // empty or "-": stdout
};

struct ImportArgs {
  std::string file;  // "-": stdin
  int64_t key_id = 0;
  bool dry_run = false;
  bool json = false;
};

const FilterDefaults kExportDefaults{"any", "labeled", "oldest"};

void Export(Context& ctx, const ExportArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto query = ToQuery(args.filter, kExportDefaults, (*services)->clock.NowMillis());
  if (!query) return ctx.Fail(query.error());
  if (query->filter.label == store::LabelFilter::kUnlabeled) {
    return ctx.Fail(core::Status::InvalidArgument(
        "export writes labeled decisions; --label none selects none of them"));
  }
  std::ofstream file;
  std::ostream* out = ctx.out;
  const bool to_file = !args.out.empty() && args.out != "-";
  if (to_file) {
    file.open(args.out, std::ios::trunc);
    if (!file) return ctx.Fail(core::Status::InvalidArgument("cannot write '" + args.out + "'"));
    out = &file;
  }
  int64_t written = 0;
  core::Status s = (*services)->transfer->Export(*query, [&](const engine::LabeledDecision& item) {
    *out << app::EncodeDecisionLine(item) << "\n";
    ++written;
    return *out ? core::Status::Ok()
                : core::Status::Unavailable("write failed (disk full?) after " +
                                            std::to_string(written) + " lines");
  });
  if (!s.ok()) return ctx.Fail(s);
  if (to_file) {
    file.close();
    if (!file)
      return ctx.Fail(core::Status::Unavailable("cannot finish writing '" + args.out + "'"));
    *ctx.err << "hamlet: exported " << written << " labeled decision(s) to " << args.out << "\n";
  }
}

void Import(Context& ctx, const ImportArgs& args) {
  std::ifstream file;
  std::istream* in = ctx.in;
  if (args.file != "-") {
    file.open(args.file);
    if (!file) return ctx.Fail(core::Status::NotFound("cannot open '" + args.file + "'"));
    in = &file;
  }
  auto items = app::ReadDecisionJsonl(*in, args.file == "-" ? "stdin" : args.file);
  if (!items) return ctx.Fail(items.error());
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto summary = (*services)->transfer->Import(*items, args.key_id, args.dry_run);
  if (!summary) return ctx.Fail(summary.error());
  if (args.json) {
    *ctx.out << nlohmann::json{{"lines", items->size()},
                               {"created", summary->created},
                               {"relabeled", summary->relabeled},
                               {"unchanged", summary->unchanged},
                               {"dry_run", args.dry_run}}
                    .dump()
             << "\n";
    return;
  }
  *ctx.out << (args.dry_run ? "Dry run: would import " : "Imported ") << items->size()
           << " line(s): " << summary->created << " new decision(s), " << summary->relabeled
           << " relabeled, " << summary->unchanged << " already there with the same label.\n";
}

}  // namespace

void RegisterTransfer(CLI::App& app, Context& ctx) {
  auto export_args = std::make_shared<ExportArgs>();
  auto* exp = app.add_subcommand(
      "export",
      "Write labeled decisions as JSON Lines (the corpora's format plus verdict, score,\n"
      "reasons, who labeled it), oldest first; test calls and purged ones are left out.\n"
      "`hamlet train --data` reads the file as it is; `hamlet import` loads it elsewhere.\n"
      "Example: hamlet export --site https://blog.example/ --since 90d --out blog.jsonl");
  AddFilterOptions(exp, export_args->filter, kExportDefaults);
  exp->add_option("--out", export_args->out, "write to this file (default: stdout)");
  exp->callback([&ctx, export_args] { Export(ctx, *export_args); });

  auto import_args = std::make_shared<ImportArgs>();
  auto* imp = app.add_subcommand(
      "import",
      "Load a `hamlet export` file: new decisions are added with their label, known ones get\n"
      "the label only if theirs differs, so running it twice changes nothing the second time\n"
      "Example: hamlet --db new.db import blog.jsonl --key-id 1 --dry-run");
  imp->add_option("file", import_args->file, "the JSONL file, or - for stdin")->required();
  imp->add_option("--key-id", import_args->key_id,
                  "attach new decisions to this key of this installation (hamlet keys list)")
      ->check(CLI::PositiveNumber);
  imp->add_flag("--dry-run", import_args->dry_run, "count what would change; change nothing");
  imp->add_flag("--json", import_args->json,
                "print {\"lines\", \"created\", \"relabeled\", \"unchanged\", \"dry_run\"}");
  imp->callback([&ctx, import_args] { Import(ctx, *import_args); });
}

}  // namespace hamlet::cli
