// `hamlet replay`: stored decisions re-scored by a candidate model; lists the verdicts it
// would change. Nothing is stored.
#include <cmath>
#include <iomanip>
#include <memory>
#include <sstream>
#include <string>

#include "app/duration.h"
#include "cli/command.h"
#include "cli/format.h"
#include "engine/replay.h"

namespace hamlet::cli {
namespace {

struct ReplayArgs {
  std::string since = "30d";
  int limit = 1000;
  bool json = false;
};

std::string LogOdds(double x) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << std::showpos << x;
  return s.str();
}

nlohmann::json ChangeToJson(const engine::ReplayChange& c) {
  const auto& r = c.stored;
  auto number = [](double x) { return std::isfinite(x) ? nlohmann::json(x) : nlohmann::json(); };
  return {{"id", r.id},
          {"created", FormatTime(r.created_ms)},
          {"old_verdict", std::string(core::VerdictName(r.decision.verdict))},
          {"old_log_odds", number(r.decision.log_odds)},
          {"new_verdict", std::string(core::VerdictName(c.replayed.verdict))},
          {"new_log_odds", number(c.replayed.log_odds)},
          {"old_model", r.model_version},
          {"label", r.feedback_label ? nlohmann::json(*r.feedback_label) : nlohmann::json()},
          {"is_test", r.comment.is_test},
          {"snippet", Snippet(r.comment.comment_content, 72)}};
}

nlohmann::json SummaryToJson(const engine::ReplaySummary& s) {
  return {{"scanned", s.scanned},
          {"changed", s.changed},
          {"ham_to_spam", s.ham_to_spam},
          {"spam_to_ham", s.spam_to_ham},
          {"tests", s.tests},
          {"labeled_changed", s.labeled_changed},
          {"candidate_right", s.replayed_right},
          {"stored_right", s.stored_right}};
}

void Run(Context& ctx, const ReplayArgs& args) {
  std::optional<int64_t> window_ms;
  if (args.since != "all") {
    auto window = app::ParseDurationMs(args.since);
    if (!window) return ctx.Fail(window.error());
    window_ms = *window;
  }
  auto services = ctx.Services(true);
  if (!services) return ctx.Fail(services.error());
  engine::ReplayOptions options;
  options.limit = args.limit;
  const int64_t now_ms = (*services)->clock.NowMillis();
  if (window_ms) options.since_ms = now_ms - *window_ms;
  options.until_ms = now_ms + 1;
  auto report = engine::Replay(*(*services)->store, *(*services)->filter, options);
  if (!report) return ctx.Fail(report.error());
  const auto& s = report->summary;
  if (args.json) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : report->changes) changes.push_back(ChangeToJson(c));
    *ctx.out << DumpJson({{"model", (*services)->filter->ModelVersion()},
                          {"changes", changes},
                          {"summary", SummaryToJson(s)}})
             << "\n";
    return;
  }
  auto& out = *ctx.out;
  for (const auto& c : report->changes) {
    const auto& r = c.stored;
    out << r.id << "  " << FormatTime(r.created_ms) << "  "
        << core::VerdictName(r.decision.verdict) << " " << LogOdds(r.decision.log_odds) << " -> "
        << core::VerdictName(c.replayed.verdict) << " " << LogOdds(c.replayed.log_odds)
        << "  was " << Snippet(r.model_version, 30) << "  label "
        << r.feedback_label.value_or("-") << (r.comment.is_test ? "  [test]" : "") << "\n    "
        << Snippet(r.comment.comment_content, 72) << "\n";
  }
  out << "replayed with " << (*services)->filter->ModelVersion() << ": " << s.scanned
      << " scanned (" << s.tests << " tests), " << s.changed << " changed (" << s.ham_to_spam
      << " ham->spam, " << s.spam_to_ham << " spam->ham)\n";
  if (s.labeled_changed > 0) {
    out << "of the " << s.labeled_changed << " changed ones with a moderator's label: candidate "
        << s.replayed_right << " right, stored verdict " << s.stored_right << " right\n";
  }
}

}  // namespace

void RegisterReplay(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ReplayArgs>();
  auto* cmd = app.add_subcommand(
      "replay",
      "Re-score stored decisions with a (candidate) model and list the verdicts it would\n"
      "change, newest first; rechecks are skipped, tests marked. Nothing is stored.\n"
      "Example: hamlet --db hamlet.db replay --model models/hamlet-default.candidate.ftz "
      "--since 7d");
  cmd->add_option("--model", ctx.model_path, "the model to replay with (its .json applies)");
  cmd->add_option("--since", args->since, "how far back: 30d, 12h, 90m, or all")
      ->capture_default_str();
  cmd->add_option("--limit", args->limit, "at most this many decisions scanned")
      ->check(CLI::Range(1, 100000000))
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "print one JSON object: model, changes, summary");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
