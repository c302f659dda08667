// `hamlet eval`: the service's decision pipeline over labeled JSONL, with metrics, a threshold
// sweep on the decision's log-odds, and operating thresholds written beside the model.
#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <optional>
#include <vector>

#include "app/labeled_jsonl.h"
#include "app/model_meta.h"
#include "cli/command.h"
#include "cli/format.h"
#include "engine/timeline.h"

namespace hamlet::cli {
namespace {

struct EvalArgs {
  std::vector<std::string> data;
  bool json = false;
  bool sweep = false;
  double target_fpr = 0.01;
  std::optional<double> threshold;
  bool write_thresholds = false;
  std::string scores_path;
  bool replay = false;
  bool replay_labels = false;
};

// JSON has no infinity: an unreachable threshold is written as null.
nlohmann::json Number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(); }

nlohmann::json MetricsJson(const engine::Metrics& m) {
  return {{"precision", m.precision}, {"recall", m.recall}, {"f1", m.f1}, {"fpr", m.fpr},
          {"auc", m.auc},             {"tp", m.tp},         {"fp", m.fp}, {"tn", m.tn},
          {"fn", m.fn}};
}

void PrintMetrics(std::ostream& out, const engine::Metrics& m) {
  out << "false-pos. rate  " << m.fpr << "   (ham marked spam: " << m.fp << " of " << m.fp + m.tn
      << ")\n"
      << "precision        " << m.precision << "\n"
      << "recall           " << m.recall << "\n"
      << "F1               " << m.f1 << "\n"
      << "ROC AUC          " << m.auc << "\n"
      << "confusion          predicted spam  predicted ham\n"
      << "  actual spam    " << std::setw(16) << m.tp << std::setw(15) << m.fn << "\n"
      << "  actual ham     " << std::setw(16) << m.fp << std::setw(15) << m.tn << "\n";
}

// One JSON line per comment, in input order: its label, log-odds and text, so errors can be
// read (sort by log_odds) without a second pass through the model.
core::Status WriteScores(const std::string& path, const std::vector<engine::LabeledComment>& all,
                         const std::vector<engine::Scored>& scored) {
  std::ofstream file(path, std::ios::trunc);
  if (!file) return core::Status::InvalidArgument("cannot write --scores file '" + path + "'");
  for (size_t i = 0; i < all.size(); ++i) {
    nlohmann::json row = {{"label", all[i].is_spam ? "spam" : "ham"},
                          {"log_odds", Number(scored[i].log_odds)},
                          {"comment_content", all[i].comment.comment_content}};
    file << row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  file.flush();
  if (!file) return core::Status::Internal("writing --scores file '" + path + "' failed");
  return core::Status::Ok();
}

void Run(Context& ctx, const EvalArgs& args) {
  if (!(args.target_fpr >= 0 && args.target_fpr < 1)) {
    return ctx.Fail(core::Status::InvalidArgument("--target-fpr must be in [0, 1)"));
  }
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
  const engine::Filter& filter = *(*services)->filter;
  // The file the services loaded: --write-thresholds writes beside exactly that one.
  const std::string& model_path = (*services)->reloader->model_path();
  // With --replay, one pass in date order through a fresh memory gives both the log-odds and
  // the verdicts; without it, the comments are judged independently, with nothing remembered.
  std::optional<std::vector<core::Decision>> replayed;
  if (args.replay || args.replay_labels) {
    engine::TimelineOptions timeline;
    timeline.learn_labels = args.replay_labels;
    auto decisions = engine::ScoreTimeline(filter, all, timeline);
    if (!decisions) return ctx.Fail(decisions.error());
    replayed = std::move(*decisions);
  }
  core::Result<std::vector<engine::Scored>> scored =
      replayed ? engine::ScoredOf(*replayed, all) : engine::ScoreAll(filter, all);
  if (!scored) return ctx.Fail(scored.error());
  if (!args.scores_path.empty()) {
    if (auto s = WriteScores(args.scores_path, all, *scored); !s.ok()) return ctx.Fail(s);
  }

  // The operating point: --threshold, else the service's own verdicts.
  engine::Metrics m;
  if (args.threshold) {
    m = engine::MetricsAt(*scored, *args.threshold);
  } else if (replayed) {
    m = engine::VerdictMetrics(*replayed, all);
  } else {
    auto verdicts = engine::Evaluate(filter, all);
    if (!verdicts) return ctx.Fail(verdicts.error());
    m = *verdicts;
  }
  const bool want_sweep = args.sweep || args.write_thresholds;
  engine::Sweep sweep, discard;
  if (want_sweep) {
    sweep = engine::SweepThresholds(*scored, args.target_fpr);
    // Discard (never shown to anyone) is held to a tenth of the spam target.
    discard = engine::SweepThresholds(*scored, args.target_fpr / 10.0, 2);
  }

  if (args.write_thresholds) {
    auto thresholds = app::PickThresholds(
        *scored, args.target_fpr,
        "hamlet eval on " + std::to_string(all.size()) + " labeled comments");
    if (!thresholds) return ctx.Fail(thresholds.error());
    app::ModelMeta meta = (*services)->model_meta;
    meta.model = filter.ModelVersion();
    meta.thresholds = *thresholds;
    if (auto s = app::WriteModelMeta(model_path, meta); !s.ok()) return ctx.Fail(s);
  }

  if (args.json) {
    nlohmann::json out = MetricsJson(m);
    out["model"] = filter.ModelVersion();
    out["replay"] = args.replay_labels ? "labels" : (args.replay ? "verdicts" : "off");
    out["input"] = std::string(text::InputModeName((*services)->model_meta.input));
    if (args.threshold) out["threshold"] = *args.threshold;
    if (want_sweep) {
      nlohmann::json pr = nlohmann::json::array();
      for (const auto& p : sweep.curve) {
        pr.push_back({Number(p.threshold), p.recall, p.precision, p.fpr});
      }
      out["sweep"] = {{"target_fpr", sweep.target_fpr},
                      {"threshold", Number(sweep.threshold)},
                      {"recall_at_target", sweep.at_target.recall},
                      {"at_target", MetricsJson(sweep.at_target)},
                      {"discard_threshold", Number(discard.threshold)},
                      {"pr_columns", {"threshold", "recall", "precision", "fpr"}},
                      {"pr", pr}};
    }
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  auto& out = *ctx.out;
  out << std::fixed << std::setprecision(4);
  out << "comments         " << all.size() << "  (model " << filter.ModelVersion() << ")\n";
  if (replayed) {
    out << "replay           in date order through a fresh memory"
        << (args.replay_labels ? ", every label learnt at once" : "") << "\n";
  }
  if (args.threshold) out << "threshold        log-odds >= " << *args.threshold << "\n";
  PrintMetrics(out, m);
  if (want_sweep) {
    out << "sweep (log-odds of the decision; spam = log-odds >= threshold)\n"
        << "  target FPR " << sweep.target_fpr << ": threshold " << sweep.threshold
        << ", recall " << sweep.at_target.recall << ", precision " << sweep.at_target.precision
        << ", FPR " << sweep.at_target.fpr << "\n"
        << "  discard (FPR " << discard.target_fpr << "): threshold " << discard.threshold
        << "\n";
    const size_t n = sweep.curve.size();
    for (size_t k = 0; k < 11 && n > 0; ++k) {
      const auto& p = sweep.curve[std::min(n - 1, k * (n - 1) / 10)];
      out << "  threshold " << std::setw(9) << p.threshold << "  recall " << p.recall
          << "  precision " << p.precision << "  FPR " << p.fpr << "\n";
    }
  }
  if (args.write_thresholds) {
    out << "wrote thresholds to " << app::ModelMetaPath(model_path) << "\n";
  }
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
                "print one JSON object: precision recall f1 fpr auc tp fp tn fn (+ sweep)");
  cmd->add_flag("--sweep", args->sweep,
                "sweep thresholds on the log-odds: recall at --target-fpr, precision-recall curve");
  cmd->add_option("--target-fpr", args->target_fpr, "false-positive rate to aim for")
      ->capture_default_str();
  cmd->add_option("--threshold", args->threshold,
                  "measure at log-odds >= THRESHOLD instead of the service's verdicts");
  cmd->add_flag("--write-thresholds", args->write_thresholds,
                "store the spam threshold for --target-fpr (discard: a tenth of it) in the "
                "model's .json, where the service reads it");
  cmd->add_option("--scores", args->scores_path,
                  "also write one JSON line per comment (label, log_odds, comment_content) to "
                  "FILE, to read the errors; log_odds is null when a check settled the verdict "
                  "alone");
  cmd->add_flag("--replay", args->replay,
                "judge the comments in date order (comment_date_gmt) through a fresh memory, so "
                "the reputation, campaign, rate and trust checks act as they would have live");
  cmd->add_flag("--replay-labels", args->replay_labels,
                "--replay, and learn each comment's true label right after it as a moderator's "
                "(every comment reviewed at once: an upper bound on what labels add)");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
