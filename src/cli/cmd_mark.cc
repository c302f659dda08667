// `hamlet mark-spam ID...` / `hamlet mark-ham ID...`: a moderator's verdict, kept as feedback.
#include <cstdlib>

#include "cli/command.h"

namespace hamlet::cli {
namespace {

struct MarkArgs {
  std::vector<std::string> ids;
  std::string moderator;
};

void Run(Context& ctx, const MarkArgs& args, engine::Label label) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  std::string moderator = args.moderator;
  if (moderator.empty()) {
    const char* user = std::getenv("USER");
    moderator = user != nullptr ? user : "";
  }
  for (const auto& id : args.ids) {
    auto outcome = (*services)->feedback->Mark(id, label, moderator);
    if (!outcome) return ctx.Fail(outcome.error());
    *ctx.out << "Marked " << id << " as " << engine::LabelName(label) << ".\n";
  }
}

void AddMark(CLI::App& app, Context& ctx, const char* name, engine::Label label,
             const char* help) {
  auto args = std::make_shared<MarkArgs>();
  auto* cmd = app.add_subcommand(name, help);
  cmd->add_option("ids", args->ids, "decision ids")->required();
  cmd->add_option("--moderator", args->moderator, "who judged (default: $USER)");
  cmd->callback([&ctx, args, label] { Run(ctx, *args, label); });
}

}  // namespace

void RegisterMark(CLI::App& app, Context& ctx) {
  AddMark(app, ctx, "mark-spam", engine::Label::kSpam,
          "Record that decisions are spam\nExample: hamlet mark-spam ID --moderator alice");
  AddMark(app, ctx, "mark-ham", engine::Label::kHam,
          "Record that decisions are not spam\nExample: hamlet mark-ham ID --moderator alice");
}

}  // namespace hamlet::cli
