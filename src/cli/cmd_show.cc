// `hamlet show ID`: everything known about one decision.
#include <iomanip>

#include "cli/command.h"
#include "cli/format.h"
#include "cli/terminal_text.h"
#include "engine/contacts.h"

namespace hamlet::cli {
namespace {

struct ShowArgs {
  std::string id;
  bool json = false;
};

void PrintText(std::ostream& out, const engine::DecisionDetail& detail) {
  const auto& r = detail.decision;
  out << "Decision   " << r.id << "\n"
      << "Time       " << FormatTime(r.created_ms) << "  (" << std::fixed << std::setprecision(2)
      << r.latency_ms << " ms to judge)\n"
      << "Site       " << ForTerminal(r.site_url) << "  (key " << r.key_id << ", via "
      << r.channel << ")\n"
      << "Verdict    " << VerdictLabel(r.decision) << "  score " << std::setprecision(3)
      << r.decision.score << (r.comment.is_test ? "  [test call]" : "") << "\n"
      << "Model      " << r.model_version << "\n";
  if (r.purged_ms) {
    out << "Purged     " << FormatTime(*r.purged_ms)
        << "  (retention: personal fields and text blanked; counts kept)\n";
  }
  if (!r.recheck_of.empty()) {
    out << "Recheck of " << r.recheck_of << "  (" << ForTerminal(r.comment.recheck_reason)
        << "; counted once, as that decision)\n";
  }
  out << "Reasons\n";
  for (const auto& reason : r.decision.reasons) {
    out << "  " << std::showpos << std::setprecision(2) << reason.contribution << std::noshowpos
        << "  " << reason.check << ": " << ForTerminal(reason.detail) << "\n";
  }
  out << "Comment\n";
  const auto line = [&out](const char* name, const std::string& value) {
    if (!value.empty()) out << "  " << std::left << std::setw(10) << name << ForTerminal(value) << "\n";
  };
  line("author", r.comment.comment_author);
  line("e-mail", r.comment.comment_author_email);
  line("url", r.comment.comment_author_url);
  line("ip", r.comment.user_ip);
  line("post", r.comment.permalink);
  out << "  ----\n  " << ForTerminal(r.comment.comment_content, /*keep_newlines=*/false) << "\n";
  out << "Submitted fields (" << r.comment.fields.size() << ")\n";
  for (const auto& [name, value] : r.comment.fields) {
    out << "  " << ForTerminal(name) << " = " << Snippet(value, 100) << "\n";
  }
  const auto links = engine::LinkDomains(r.comment);
  if (!links.empty()) {
    out << "Links to  ";
    for (size_t i = 0; i < links.size(); ++i) out << (i ? ", " : " ") << ForTerminal(links[i]);
    out << "\n";
  }
  out << "Moderation history (label in force: " << r.feedback_label.value_or("none") << ")\n";
  if (detail.feedback.empty()) out << "  none yet\n";
  for (const auto& f : detail.feedback) {
    out << "  " << FormatTime(f.created_ms) << "  " << f.label << "  by "
        << (f.moderator.empty() ? "(unnamed)" : ForTerminal(f.moderator)) << " via " << f.source;
    if (f.action_id != 0) {
      out << ", action " << f.action_id;
      for (const auto& a : detail.actions) {
        if (a.id == f.action_id && !a.selection.empty())
          out << " (" << Snippet(a.selection, 60) << ")";
      }
    }
    if (f.revoked_ms) {
      out << "  [undone " << FormatTime(*f.revoked_ms);
      for (const auto& a : detail.actions) {
        if (a.id == f.action_id && !a.undone_by.empty()) out << " by " << ForTerminal(a.undone_by);
      }
      out << "]";
    }
    out << "\n";
  }
}

void Run(Context& ctx, const ShowArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto detail = (*services)->moderation->Show(args.id);
  if (!detail) return ctx.Fail(detail.error());
  if (args.json) {
    auto out = DecisionToJson(detail->decision);
    auto history = nlohmann::json::array();
    for (const auto& f : detail->feedback) history.push_back(FeedbackToJson(f));
    out["history"] = history;
    auto actions = nlohmann::json::array();
    for (const auto& a : detail->actions) actions.push_back(ActionToJson(a));
    out["actions"] = actions;
    auto links = nlohmann::json::array();
    for (const auto& host : engine::LinkDomains(detail->decision.comment)) links.push_back(host);
    out["links"] = links;
    *ctx.out << DumpJson(out, 2) << "\n";
    return;
  }
  PrintText(*ctx.out, *detail);
}

}  // namespace

void RegisterShow(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ShowArgs>();
  auto* cmd = app.add_subcommand(
      "show",
      "Show one decision: verdict, reasons, submitted fields, moderation history (who\n"
      "judged it, when, and which verdicts were undone)\n"
      "Example: hamlet show 3f2a9c0d4e5b6a7f8091a2b3c4d5e6f7 --json");
  cmd->add_option("id", args->id, "the decision id (Akismet's X-akismet-guid)")->required();
  cmd->add_flag("--json", args->json, "print a JSON object");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
