// `hamlet stats`: decisions per verdict per day, the moderators' verdict on the filter
// (precision of its spam verdicts, false positives found, spam missed), top reasons, top spam
// domains, per site; a compact text chart, JSON, or a PNG chart.
#include <unistd.h>

#include <cstdio>
#include <iomanip>

#include "cli/command.h"
#include "cli/filter_args.h"
#include "cli/format.h"
#include "cli/png_chart.h"
#include "cli/terminal.h"
#include "cli/terminal_text.h"
#include "cli/text_chart.h"

namespace hamlet::cli {
namespace {

struct StatsArgs {
  std::string since = "30d";
  std::string until;
  std::string site;
  int top = 10;
  std::string png;
  bool json = false;
};

std::string Percent(double share) {
  if (share < 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
  return buf;
}

nlohmann::json VolumeToJson(const engine::VerdictVolume& v) {
  return {{"ham", v.ham},
          {"spam", v.spam},
          {"discard", v.discard},
          {"uncertain", v.uncertain},
          {"total", v.total()}};
}

nlohmann::json JudgedToJson(const engine::JudgedVerdicts& j) {
  auto share = [](double s) { return s < 0 ? nlohmann::json() : nlohmann::json(s); };
  return {{"spam_judged", j.spam_judged},
          {"false_positives", j.false_positives},
          {"spam_precision", share(j.SpamPrecision())},
          {"ham_judged", j.ham_judged},
          {"missed_spam", j.missed_spam},
          {"ham_precision", share(j.HamPrecision())}};
}

nlohmann::json ReportToJson(const engine::ModerationReport& r) {
  auto days = nlohmann::json::array();
  for (const auto& d : r.days) {
    auto day = VolumeToJson(d.volume);
    day["day"] = d.day;
    days.push_back(day);
  }
  auto reasons = nlohmann::json::array();
  for (const auto& reason : r.top_reasons) {
    reasons.push_back({{"check", reason.check}, {"decisions", reason.decisions}});
  }
  auto domains = nlohmann::json::array();
  for (const auto& d : r.top_domains) {
    domains.push_back({{"domain", d.domain}, {"decisions", d.decisions}});
  }
  auto sites = nlohmann::json::array();
  for (const auto& s : r.sites) {
    sites.push_back(
        {{"site", s.site}, {"volume", VolumeToJson(s.volume)}, {"judged", JudgedToJson(s.judged)}});
  }
  return {{"since", FormatTime(r.query.since_ms)},
          {"until", FormatTime(r.query.until_ms)},
          {"site", r.query.site.empty() ? nlohmann::json() : nlohmann::json(r.query.site)},
          {"totals", VolumeToJson(r.totals)},
          {"days", days},
          {"judged", JudgedToJson(r.judged)},
          {"top_reasons", reasons},
          {"top_domains", domains},
          {"domains_scanned", r.domain_decisions_scanned},
          {"sites", sites}};
}

void PrintText(std::ostream& out, const engine::ModerationReport& r, const Style& style) {
  const auto& t = r.totals;
  out << "Decisions " << engine::UtcDay(r.query.since_ms) << " to "
      << engine::UtcDay(r.query.until_ms - 1) << " (UTC), "
      << (r.query.site.empty() ? std::string("all sites") : ForTerminal(r.query.site)) << ": "
      << t.total() << " (ham " << t.ham << ", spam " << t.spam << ", discard " << t.discard << "; "
      << t.uncertain << " uncertain). First checks only, test calls left out.\n\n";
  if (!r.days.empty()) {
    out << "DAY           HAM  SPAM  DISC  UNC\n";
    for (const auto& row : DailyChart(r.days, 40, style)) out << row << "\n";
    out << "\n";
  }
  const auto& j = r.judged;
  out << "Automatic verdicts as judged by moderators (latest labels)\n"
      << "  spam verdicts judged " << std::setw(6) << j.spam_judged << ": "
      << j.spam_judged - j.false_positives << " confirmed, " << j.false_positives
      << " false positives   precision " << Percent(j.SpamPrecision()) << "\n"
      << "  ham verdicts judged  " << std::setw(6) << j.ham_judged << ": "
      << j.ham_judged - j.missed_spam << " confirmed, " << j.missed_spam
      << " spam missed       precision " << Percent(j.HamPrecision()) << "\n\n";
  out << "Top reasons (decisions naming the check)\n";
  if (r.top_reasons.empty()) out << "  none\n";
  for (const auto& reason : r.top_reasons) {
    out << "  " << std::left << std::setw(28) << Snippet(reason.check, 27) << std::right
        << std::setw(8) << reason.decisions << "\n";
  }
  out << "\nTop spam domains (links in " << r.domain_decisions_scanned
      << " spam comments whose text is kept)\n";
  if (r.top_domains.empty()) out << "  none\n";
  for (const auto& d : r.top_domains) {
    out << "  " << std::left << std::setw(40) << Snippet(d.domain, 39) << std::right << std::setw(8)
        << d.decisions << "\n";
  }
  out << "\nPer site" << std::string(32, ' ') << "   HAM  SPAM  DISC    FP MISSED PRECISION\n";
  for (const auto& s : r.sites) {
    const auto& v = s.volume;
    out << "  " << std::left << std::setw(38) << Snippet(s.site.empty() ? "(none)" : s.site, 37)
        << std::right << std::setw(6) << v.ham << std::setw(6) << v.spam << std::setw(6)
        << v.discard << std::setw(6) << s.judged.false_positives << std::setw(7)
        << s.judged.missed_spam << std::setw(10) << Percent(s.judged.SpamPrecision()) << "\n";
  }
}

void Run(Context& ctx, const StatsArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  const int64_t now = (*services)->clock.NowMillis();
  engine::StatsQuery query;
  query.site = args.site;
  query.top = args.top;
  query.until_ms = now + 1;
  if (!args.until.empty()) {
    auto until = ParseWhen("until", args.until, now);
    if (!until) return ctx.Fail(until.error());
    query.until_ms = *until;
  }
  if (args.since != "all") {
    auto since = ParseWhen("since", args.since, now);
    if (!since) return ctx.Fail(since.error());
    query.since_ms = *since;
  }
  auto report = (*services)->stats->Report(query);
  if (!report) return ctx.Fail(report.error());
  if (!args.png.empty()) {
    const Image image = RenderStatsChart(
        *report, args.site.empty() ? std::string("all sites") : ForTerminal(args.site));
    if (core::Status s = WritePng(image, args.png); !s.ok()) return ctx.Fail(s);
  }
  if (args.json) {
    auto out = ReportToJson(*report);
    out["png"] = args.png.empty() ? nlohmann::json() : nlohmann::json(args.png);
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  Style style;
  style.color = ctx.process_streams && ColorWanted(STDOUT_FILENO);
  PrintText(*ctx.out, *report, style);
  if (!args.png.empty()) *ctx.out << "\nChart written to " << args.png << "\n";
}

}  // namespace

void RegisterStats(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<StatsArgs>();
  auto* cmd = app.add_subcommand(
      "stats",
      "Statistics: decisions per verdict per day, precision of the automatic verdicts as\n"
      "judged by moderators (false positives, spam missed), top reasons, top spam domains,\n"
      "per site; a text chart, --json, or --png FILE for a chart image\n"
      "Example: hamlet stats --since 30d --site https://blog.example/ --png stats.png");
  cmd->add_option("--since", args->since,
                  "from this UTC day (YYYY-MM-DD), this long ago (30d), or all")
      ->capture_default_str();
  cmd->add_option("--until", args->until, "before this UTC day or this long ago (default: now)");
  cmd->add_option("--site", args->site, "only this site (the key's site URL or the blog sent)");
  cmd->add_option("--top", args->top, "how many reasons and domains to list")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--png", args->png, "also draw the daily chart into this PNG file");
  cmd->add_flag("--json", args->json, "print one JSON object");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
