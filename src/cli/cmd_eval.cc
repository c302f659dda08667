// `hamlet eval`: the service's decision pipeline over labeled JSONL, with metrics.
#include <iomanip>

#include "app/labeled_jsonl.h"
#include "cli/command.h"
#include "cli/format.h"

namespace hamlet::cli {
namespace {

struct EvalArgs {
  std::vector<std::string> data;
  bool json = false;
};

void Run(Context& ctx, const EvalArgs& args) {
  std::vector<engine::LabeledComment> all;
  for (const auto& path : args.data) {
    auto rows = app::ReadLabeledJsonl(path);
    if (!rows) return ctx.Fail(rows.error());
    all.insert(all.end(), std::make_move_iterator(rows->begin()),
               std::make_move_iterator(rows->end()));
  }
  if (all.empty()) return ctx.Fail(core::Status::InvalidArgument("no labeled comments in the data"));
  // Evaluation stores nothing, so it never touches a real database.
  ctx.db_path = ":memory:";
  auto services = ctx.Services(true);
  if (!services) return ctx.Fail(services.error());
  auto m = engine::Evaluate(*(*services)->filter, all);
  if (!m) return ctx.Fail(m.error());

  if (args.json) {
    nlohmann::json out = {{"precision", m->precision}, {"recall", m->recall}, {"f1", m->f1},
                          {"fpr", m->fpr},             {"auc", m->auc},       {"tp", m->tp},
                          {"fp", m->fp},               {"tn", m->tn},         {"fn", m->fn},
                          {"model", (*services)->filter->ModelVersion()}};
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  auto& out = *ctx.out;
  out << std::fixed << std::setprecision(4);
  out << "comments         " << all.size() << "  (model " << (*services)->filter->ModelVersion()
      << ")\n"
      << "false-pos. rate  " << m->fpr << "   (ham marked spam: " << m->fp << " of "
      << m->fp + m->tn << ")\n"
      << "precision        " << m->precision << "\n"
      << "recall           " << m->recall << "\n"
      << "F1               " << m->f1 << "\n"
      << "ROC AUC          " << m->auc << "\n"
      << "confusion          predicted spam  predicted ham\n"
      << "  actual spam    " << std::setw(16) << m->tp << std::setw(15) << m->fn << "\n"
      << "  actual ham     " << std::setw(16) << m->fp << std::setw(15) << m->tn << "\n";
}

}  // namespace

void RegisterEval(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand(
      "eval",
      "Run labeled JSONL through the service's decision pipeline and print metrics\n"
      "Example: hamlet eval --data held-out.jsonl --model models/hamlet-default.ftz --json");
  cmd->add_option("--data", args->data, "labeled JSONL file(s), the corpora's format")
      ->required();
  cmd->add_option("--model", ctx.model_path, "fastText model (default: the shipped model)");
  cmd->add_flag("--json", args->json,
                "print one JSON object: precision recall f1 fpr auc tp fp tn fn");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
