// `hamlet eval`: the service's decision pipeline over labeled JSONL, with metrics, a threshold
// sweep on the decision's log-odds, and operating thresholds written beside the model.
#include <algorithm>
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
#include "engine/site_profile.h"
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
  std::vector<std::string> without;  // check families switched off
  bool ablation = false;
  bool replay = false;
  bool replay_labels = false;
};

// The families of --without, switched off in a profile of their own. InvalidArgument for a
// name that is no check family.
core::Result<engine::SiteProfile> ProfileWithout(const std::vector<std::string>& families) {
  engine::SiteProfile profile;
  for (const std::string& family : families) {
    if (family.find('.') != std::string::npos) {
      return core::Status::InvalidArgument("--without takes check families, not '" + family + "'");
    }
    if (auto s = engine::ValidateSiteSetting("weight." + family, "0"); !s.ok()) return s;
    profile.checks.weights[family] = 0.0;
  }
  return profile;
}

// How the comments are judged: each on its own with nothing remembered, or (replay) in date
// order through a fresh memory, so the history checks act as they would have live, learning
// each true label at once with learn_labels.
struct JudgeMode {
  bool replay = false;
  bool learn_labels = false;
};

core::Result<std::vector<core::Decision>> JudgeAll(const engine::Filter& filter,
                                                   const std::vector<engine::LabeledComment>& all,
                                                   const engine::SiteProfile& profile,
                                                   const JudgeMode& mode) {
  if (mode.replay) {
    engine::TimelineOptions timeline;
    timeline.profile = &profile;
    timeline.learn_labels = mode.learn_labels;
    return engine::ScoreTimeline(filter, all, timeline);
  }
  engine::ScoreOptions options;
  options.profile = &profile;
  std::vector<core::Decision> decisions;
  decisions.reserve(all.size());
  for (const engine::LabeledComment& item : all) {
    auto decision = filter.Score(item.comment, options);
    if (!decision) return decision.error();
    decisions.push_back(std::move(*decision));
  }
  return decisions;
}

// One row of the ablation table: the metrics with `family` switched off ("" = every check on).
struct AblationRow {
  std::string family;
  engine::Metrics m;
};

core::Result<std::vector<AblationRow>> Ablate(const engine::Filter& filter,
                                              const std::vector<engine::LabeledComment>& all,
                                              const std::vector<std::string>& without,
                                              const JudgeMode& mode, double threshold) {
  std::vector<AblationRow> rows;
  std::vector<std::string> families = {""};
  for (std::string_view family : engine::CheckFamilies()) families.emplace_back(family);
  for (const std::string& family : families) {
    std::vector<std::string> off = without;
    if (!family.empty()) {
      if (std::find(off.begin(), off.end(), family) != off.end()) continue;
      off.push_back(family);
    }
    auto profile = ProfileWithout(off);
    if (!profile) return profile.error();
    auto decisions = JudgeAll(filter, all, *profile, mode);
    if (!decisions) return decisions.error();
    rows.push_back({family, engine::MetricsAt(engine::ScoredOf(*decisions, all), threshold)});
  }
  return rows;
}

void PrintAblation(std::ostream& out, const std::vector<AblationRow>& rows, double threshold) {
  out << "ablation at log-odds >= " << threshold << " (each row: that check family switched off)\n"
      << std::left << std::setw(18) << "  checks" << std::right << std::setw(9) << "FPR"
      << std::setw(9) << "recall" << std::setw(9) << "F1" << std::setw(7) << "FP" << std::setw(7)
      << "FN" << std::setw(8) << "dFP" << std::setw(8) << "dFN"
      << "\n";
  const engine::Metrics& base = rows.front().m;
  for (const AblationRow& r : rows) {
    out << std::left << std::setw(18) << (r.family.empty() ? "  all" : "  -" + r.family)
        << std::right << std::setw(9) << r.m.fpr << std::setw(9) << r.m.recall << std::setw(9)
        << r.m.f1 << std::setw(7) << r.m.fp << std::setw(7) << r.m.fn << std::setw(8)
        << std::showpos << r.m.fp - base.fp << std::setw(8) << r.m.fn - base.fn << std::noshowpos
        << "\n";
  }
}

// JSON has no infinity: an unreachable threshold is written as null.
nlohmann::json Number(double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(); }

nlohmann::json MetricsJson(const engine::Metrics& m) {
  return {{"precision", m.precision},
          {"recall", m.recall},
          {"f1", m.f1},
          {"fpr", m.fpr},
          {"auc", m.auc},
          {"tp", m.tp},
          {"fp", m.fp},
          {"tn", m.tn},
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
  if (all.empty())
    return ctx.Fail(core::Status::InvalidArgument("no labeled comments in the data"));
  // Evaluation stores nothing, so it never touches a real database.
  ctx.db_path = ":memory:";
  auto services = ctx.Services(true);
  if (!services) return ctx.Fail(services.error());
  const engine::Filter& filter = *(*services)->filter;
  // The file the services loaded: --write-thresholds writes beside exactly that one.
  const std::string model_path = (*services)->reloader->model_path();
  const JudgeMode mode{args.replay || args.replay_labels, args.replay_labels};
  auto profile = ProfileWithout(args.without);
  if (!profile) return ctx.Fail(profile.error());
  auto decisions = JudgeAll(filter, all, *profile, mode);
  if (!decisions) return ctx.Fail(decisions.error());
  const std::vector<engine::Scored> scored = engine::ScoredOf(*decisions, all);
  if (!args.scores_path.empty()) {
    if (auto s = WriteScores(args.scores_path, all, scored); !s.ok()) return ctx.Fail(s);
  }

  // The operating point: --threshold, else the service's own verdicts.
  engine::Metrics m;
  if (args.threshold) {
    m = engine::MetricsAt(scored, *args.threshold);
  } else {
    m = engine::VerdictMetrics(*decisions, all);
  }
  const bool want_sweep = args.sweep || args.write_thresholds;
  engine::Sweep sweep, discard;
  if (want_sweep) {
    sweep = engine::SweepThresholds(scored, args.target_fpr);
    // Discard (never shown to anyone) is held to a tenth of the spam target.
    discard = engine::SweepThresholds(scored, args.target_fpr / 10.0, 2);
  }

  std::vector<AblationRow> ablation;
  // At --threshold, else at the spam threshold the service uses.
  const double operating = args.threshold ? *args.threshold
                                          : std::log(filter.Model()->policy.spam_threshold /
                                                     (1.0 - filter.Model()->policy.spam_threshold));
  if (args.ablation) {
    auto rows = Ablate(filter, all, args.without, mode, operating);
    if (!rows) return ctx.Fail(rows.error());
    ablation = std::move(*rows);
  }

  if (args.write_thresholds) {
    auto thresholds =
        app::PickThresholds(scored, args.target_fpr,
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
    if (!args.without.empty()) out["without"] = args.without;
    if (args.ablation) {
      out["ablation"] = nlohmann::json::array();
      for (const AblationRow& r : ablation) {
        nlohmann::json row = MetricsJson(r.m);
        row["without"] = r.family.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.family);
        out["ablation"].push_back(std::move(row));
      }
      out["ablation_threshold"] = operating;
    }
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
  if (mode.replay) {
    out << "replay           in date order through a fresh memory"
        << (args.replay_labels ? ", every label learnt at once" : "") << "\n";
  }
  if (args.threshold) out << "threshold        log-odds >= " << *args.threshold << "\n";
  if (!args.without.empty()) {
    out << "checks off      ";
    for (const auto& f : args.without) out << " " << f;
    out << "\n";
  }
  PrintMetrics(out, m);
  if (args.ablation) PrintAblation(out, ablation, operating);
  if (want_sweep) {
    out << "sweep (log-odds of the decision; spam = log-odds >= threshold)\n"
        << "  target FPR " << sweep.target_fpr << ": threshold " << sweep.threshold << ", recall "
        << sweep.at_target.recall << ", precision " << sweep.at_target.precision << ", FPR "
        << sweep.at_target.fpr << "\n"
        << "  discard (FPR " << discard.target_fpr << "): threshold " << discard.threshold << "\n";
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
  cmd->add_option("--data", args->data, "labeled JSONL file(s), the corpora's format")->required();
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
  std::string families;
  for (std::string_view family : engine::CheckFamilies()) {
    families += (families.empty() ? "" : ", ") + std::string(family);
  }
  cmd->add_option("--without", args->without,
                  "switch a check family off (repeatable), as weight.FAMILY=0 would: " + families)
      ->delimiter(',');
  cmd->add_flag("--ablation", args->ablation,
                "also measure the pipeline with each check family switched off in turn, at "
                "--threshold or the service's spam threshold: each family's effect on false "
                "positives and recall");
  cmd->add_flag("--replay", args->replay,
                "judge the comments in date order (comment_date_gmt) through a fresh memory, so "
                "the reputation, campaign, rate and trust checks act as they would have live");
  cmd->add_flag("--replay-labels", args->replay_labels,
                "--replay, and learn each comment's true label right after it as a moderator's "
                "(every comment reviewed at once: an upper bound on what labels add)");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
