// `hamlet purge --older-than 30d`: the retention policy by hand. Blanks the personal fields
// (IP, e-mail, author name and URL, user agent, referrer, text, raw fields) of decisions and
// feedback older than that; rows, verdicts, labels and counts stay. hamletd does the same by
// itself with --retention.
#include "app/duration.h"
#include "cli/command.h"

namespace hamlet::cli {
namespace {

struct PurgeArgs {
  std::string older_than;
  bool dry_run = false;
  bool json = false;
};

void Run(Context& ctx, const PurgeArgs& args) {
  auto age = app::ParseDurationMs(args.older_than);
  if (!age)
    return ctx.Fail(core::Status::InvalidArgument("--older-than: " + age.error().message()));
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  const auto& retention = *(*services)->retention;
  auto counts = args.dry_run ? retention.Preview(*age) : retention.Purge(*age);
  if (!counts) return ctx.Fail(counts.error());
  if (args.json) {
    *ctx.out << nlohmann::json{{"decisions", counts->decisions},
                               {"feedback", counts->feedback},
                               {"actions", counts->actions},
                               {"webhook_events", counts->webhook_events},
                               {"older_than", args.older_than},
                               {"dry_run", args.dry_run}}
                    .dump()
             << "\n";
    return;
  }
  *ctx.out << (args.dry_run ? "Dry run: would blank" : "Blanked") << " the personal fields of "
           << counts->decisions << " decision(s), " << counts->feedback << " feedback row(s) and "
           << counts->actions << " moderator action(s) older than " << args.older_than << ", and "
           << (args.dry_run ? "would delete " : "deleted ") << counts->webhook_events
           << " sent or failed webhook event(s). Verdicts, labels and counts are kept.\n";
}

}  // namespace

void RegisterPurge(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<PurgeArgs>();
  auto* cmd = app.add_subcommand(
      "purge",
      "Blank the personal fields (IP, e-mail, author, user agent, referrer, text, raw fields)\n"
      "of decisions and feedback older than a duration; counts and labels are kept\n"
      "Example: hamlet purge --older-than 30d --dry-run");
  cmd->add_option("--older-than", args->older_than, "a duration: 30d, 12h, 90m")->required();
  cmd->add_flag("--dry-run", args->dry_run, "count what would be blanked; change nothing");
  cmd->add_flag("--json", args->json,
                "print {\"decisions\", \"feedback\", \"actions\", \"webhook_events\", \"older_than\",\n"
                "\"dry_run\"}");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
