// `hamlet purge --older-than 30d` and `--delete-older-than 400d`: the retention policy by hand.
// The first blanks the personal fields (IP, e-mail, author name and URL, user agent, referrer,
// text, raw fields) of decisions and feedback older than that; rows, verdicts, labels and counts
// stay. The second deletes decisions of whole days older than that with their feedback, keeping
// their counts per day for statistics. hamletd does both by itself (--retention, --delete-after).
#include "app/duration.h"
#include "cli/command.h"

namespace hamlet::cli {
namespace {

struct PurgeArgs {
  std::string older_than;
  std::string delete_older_than;
  bool dry_run = false;
  bool json = false;
};

void PrintPurged(Context& ctx, const PurgeArgs& args, const store::PurgeCounts& counts) {
  *ctx.out << (args.dry_run ? "Dry run: would blank" : "Blanked") << " the personal fields of "
           << counts.decisions << " decision(s), " << counts.feedback << " feedback row(s) and "
           << counts.actions << " moderator action(s) older than " << args.older_than << ", and "
           << (args.dry_run ? "would delete " : "deleted ") << counts.webhook_events
           << " sent or failed webhook event(s). Verdicts, labels and counts are kept.\n";
}

void PrintDeleted(Context& ctx, const PurgeArgs& args, const store::DeleteCounts& counts) {
  *ctx.out << (args.dry_run ? "Dry run: would delete about " : "Deleted ") << counts.decisions
           << " decision(s) older than " << args.delete_older_than << " (whole UTC days), with "
           << counts.feedback << " feedback row(s), " << counts.actions
           << " moderator action(s) and " << counts.webhook_events
           << " webhook event(s). Their counts are kept per day for statistics.\n";
}

void Run(Context& ctx, const PurgeArgs& args) {
  if (args.older_than.empty() && args.delete_older_than.empty()) {
    return ctx.Fail(core::Status::InvalidArgument(
        "give --older-than (blank personal fields), --delete-older-than (delete rows), or both"));
  }
  std::optional<int64_t> blank_age, delete_age;
  if (!args.older_than.empty()) {
    auto age = app::ParseDurationMs(args.older_than);
    if (!age)
      return ctx.Fail(core::Status::InvalidArgument("--older-than: " + age.error().message()));
    blank_age = *age;
  }
  if (!args.delete_older_than.empty()) {
    auto age = app::ParseDurationMs(args.delete_older_than);
    if (!age) {
      return ctx.Fail(
          core::Status::InvalidArgument("--delete-older-than: " + age.error().message()));
    }
    if (*age < engine::Retention::kMinDeleteAgeMs) {
      return ctx.Fail(core::Status::InvalidArgument("--delete-older-than: must be at least 2d"));
    }
    delete_age = *age;
  }
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  const auto& retention = *(*services)->retention;
  nlohmann::json out{{"dry_run", args.dry_run}};
  if (blank_age) {
    auto counts = args.dry_run ? retention.Preview(*blank_age) : retention.Purge(*blank_age);
    if (!counts) return ctx.Fail(counts.error());
    if (args.json) {
      out.update({{"decisions", counts->decisions},
                  {"feedback", counts->feedback},
                  {"actions", counts->actions},
                  {"webhook_events", counts->webhook_events},
                  {"older_than", args.older_than}});
    } else {
      PrintPurged(ctx, args, *counts);
    }
  }
  if (delete_age) {
    auto counts =
        args.dry_run ? retention.PreviewDelete(*delete_age) : retention.Delete(*delete_age);
    if (!counts) return ctx.Fail(counts.error());
    if (args.json) {
      out["deleted"] = {{"decisions", counts->decisions},
                        {"feedback", counts->feedback},
                        {"actions", counts->actions},
                        {"webhook_events", counts->webhook_events},
                        {"older_than", args.delete_older_than}};
    } else {
      PrintDeleted(ctx, args, *counts);
    }
  }
  if (args.json) *ctx.out << out.dump() << "\n";
}

}  // namespace

void RegisterPurge(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<PurgeArgs>();
  auto* cmd = app.add_subcommand(
      "purge",
      "Blank the personal fields (IP, e-mail, author, user agent, referrer, text, raw fields)\n"
      "of decisions and feedback older than a duration; counts and labels are kept.\n"
      "--delete-older-than deletes old decisions with their feedback, keeping their counts\n"
      "per day for `hamlet stats`\n"
      "Example: hamlet purge --older-than 30d --delete-older-than 400d --dry-run");
  cmd->add_option("--older-than", args->older_than,
                  "blank personal fields older than a duration: 30d, 12h, 90m");
  cmd->add_option("--delete-older-than", args->delete_older_than,
                  "delete decisions of whole UTC days older than a duration (at least 2d)");
  cmd->add_flag("--dry-run", args->dry_run, "count what would change; change nothing");
  cmd->add_flag(
      "--json", args->json,
      "print {\"decisions\", \"feedback\", \"actions\", \"webhook_events\", \"older_than\",\n"
      "\"dry_run\"} for --older-than, and \"deleted\": {the same} for\n"
      "--delete-older-than");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
