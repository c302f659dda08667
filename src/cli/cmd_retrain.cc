// `hamlet retrain`: base data plus moderators' feedback -> a candidate model, compared with
// the current one on held-out comments and installed only when it is no worse.
#include <iomanip>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "app/model_registry.h"
#include "app/retraining.h"
#include "cli/command.h"

namespace hamlet::cli {
namespace {

struct RetrainArgs {
  std::vector<std::string> data;
  std::string out;
  int holdout_percent = 20;
  bool dry_run = false;
};

std::string Fixed(double x, int precision = 4) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(precision) << x;
  return s.str();
}

std::string Counts(const engine::Metrics& m) {
  return std::to_string(m.tp) + "/" + std::to_string(m.fp) + "/" + std::to_string(m.tn) + "/" +
         std::to_string(m.fn);
}

std::string ThresholdText(const app::ModelMeta::Thresholds& t, bool has) {
  if (!has) return "defaults (P(spam) >= 0.5)";
  return "spam " + Fixed(t.spam_log_odds, 2) + ", discard " + Fixed(t.discard_log_odds, 2);
}

void PrintReport(std::ostream& out, const app::RetrainReport& r) {
  auto row = [&out](const std::string& name, const std::string& a, const std::string& b,
                    const std::string& c) {
    out << "  " << std::left << std::setw(20) << name << std::right << std::setw(10) << a
        << std::setw(10) << b << std::setw(10) << c << "\n";
  };
  out << "examples (by normalized text)\n";
  row("", "train", "tune", "test");
  row("base", std::to_string(r.train.base), std::to_string(r.tune.base),
      std::to_string(r.test.base));
  row("feedback", std::to_string(r.train.feedback), std::to_string(r.tune.feedback),
      std::to_string(r.test.feedback));
  row("spam / ham", std::to_string(r.train.spam) + "/" + std::to_string(r.train.ham),
      std::to_string(r.tune.spam) + "/" + std::to_string(r.tune.ham),
      std::to_string(r.test.spam) + "/" + std::to_string(r.test.ham));
  out << "duplicates dropped: " << r.duplicates << "\n";
  if (r.label_conflicts > 0) {
    out << "texts with both labels: " << r.label_conflicts
        << " (the moderators' latest verdict wins over older verdicts and base data)\n";
  }
  out << "\ncomparison on the test part (" << r.test.total()
      << " comments; thresholds were tuned on the tune part only)\n";
  auto cmp = [&out](const std::string& name, const std::string& a, const std::string& b) {
    out << "  " << std::left << std::setw(18) << name << std::setw(30) << a << b << "\n";
  };
  cmp("", "current", "candidate");
  cmp("model", r.current_version, r.candidate_version);
  cmp("thresholds", ThresholdText(r.current_thresholds, r.current_has_thresholds),
      ThresholdText(r.candidate_thresholds, true));
  cmp("false-pos. rate", Fixed(r.current.fpr), Fixed(r.candidate.fpr));
  cmp("F1", Fixed(r.current.f1), Fixed(r.candidate.f1));
  cmp("precision", Fixed(r.current.precision), Fixed(r.candidate.precision));
  cmp("recall", Fixed(r.current.recall), Fixed(r.candidate.recall));
  cmp("tp/fp/tn/fn", Counts(r.current), Counts(r.candidate));
}

void Run(Context& ctx, const RetrainArgs& args) {
  auto services = ctx.Services(true);
  if (!services) return ctx.Fail(services.error());
  app::RetrainOptions options;
  options.base = args.data;
  // The file the services loaded and evaluate with: the candidate installs over exactly it.
  options.current_model = (*services)->reloader->model_path();
  options.candidate_out = args.out;
  options.holdout_percent = args.holdout_percent;
  *ctx.err << "training a candidate for " << options.current_model << " ...\n";
  auto report = app::Retrain(*(*services)->store, *(*services)->filter, (*services)->model_meta,
                             options);
  if (!report) return ctx.Fail(report.error());
  auto& out = *ctx.out;
  PrintReport(out, *report);
  out << "\n";
  const auto& decision = report->decision;
  if (!decision.install) {
    out << (args.dry_run ? "dry run: would refuse: " : "refused: ") << decision.why << "\n"
        << "candidate kept for inspection: " << report->candidate_path << "\n";
    ctx.exit_code = kExitRefused;
    return;
  }
  if (args.dry_run) {
    out << "dry run: would install (" << decision.why << "); candidate at "
        << report->candidate_path << "\n";
    return;
  }
  if (auto s = app::InstallModel(report->candidate_path, options.current_model); !s.ok()) {
    return ctx.Fail(s);
  }
  out << "installed " << options.current_model << " (" << decision.why << ")\n"
      << "previous model kept as " << options.current_model << ".prev and " << options.current_model
      << ".prev.json\n";
  // The registry: every hamletd on this database takes it into service at its next poll.
  auto published = app::PublishModelFile(*(*services)->store, options.current_model,
                                         app::DefaultPublisher(), (*services)->clock.NowMillis());
  if (!published) {
    const std::string why =
        "installed, but not published to the model registry (publish it with `hamlet models "
        "publish`): " +
        published.error().message();
    return ctx.Fail(published.error().code() == core::StatusCode::kUnavailable
                        ? core::Status::Unavailable(why)
                        : core::Status::Internal(why));
  }
  out << "published " << published->version << " as registry entry " << published->id
      << ": every hamletd on this database serves it after its next poll "
         "(--model-poll-interval; or kill -HUP <pid>, POST /v1/admin/reload)\n";
}

}  // namespace

void RegisterRetrain(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<RetrainArgs>();
  auto* cmd = app.add_subcommand(
      "retrain",
      "Train a candidate from base data plus the moderators' feedback, compare it with the\n"
      "current model (--model) on held-out comments, and install it only if its false-positive\n"
      "rate is no higher and its F1 no lower (the previous model is kept as FILE.prev), and\n"
      "publish it to the database's model registry (every hamletd on it then serves it).\n"
      "Exit 0: installed (or would be, with --dry-run); " +
          std::to_string(kExitRefused) +
          ": candidate refused, current model unchanged.\n"
          "Example: hamlet --db hamlet.db --model models/hamlet-default.ftz retrain "
          "--data base.jsonl");
  cmd->add_option("--data", args->data, "labeled JSONL file(s) to train on besides the feedback");
  cmd->add_option("--out", args->out, "where the candidate is written (default: NAME.candidate.ftz "
                                      "beside the model)");
  cmd->add_option("--holdout-percent", args->holdout_percent,
                  "share of the examples held out, half to tune thresholds, half to compare")
      ->check(CLI::Range(1, 99))
      ->capture_default_str();
  cmd->add_flag("--dry-run", args->dry_run, "compare only, never install");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
