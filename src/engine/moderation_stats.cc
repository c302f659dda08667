// Statistics for moderators, from the store's per-day counts and a scan of spam for domains.
#include "engine/moderation_stats.h"

#include <algorithm>
#include <ctime>
#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/contacts.h"

namespace hamlet::engine {
namespace {

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr int kScanPage = 1000;

void Add(VerdictVolume& v, const store::VolumeCount& c) {
  switch (c.verdict) {
    case core::Verdict::kHam:
      v.ham += c.count;
      break;
    case core::Verdict::kSpam:
      v.spam += c.count;
      break;
    case core::Verdict::kDiscard:
      v.discard += c.count;
      break;
  }
  if (c.uncertain) v.uncertain += c.count;
}

void Add(JudgedVerdicts& j, const store::VolumeCount& c) {
  if (c.label.empty()) return;
  if (core::IsSpamVerdict(c.verdict)) {
    j.spam_judged += c.count;
    if (c.label == "ham") j.false_positives += c.count;
  } else {
    j.ham_judged += c.count;
    if (c.label == "spam") j.missed_spam += c.count;
  }
}

store::DecisionFilter BaseFilter(const StatsQuery& q) {
  store::DecisionFilter f;
  f.since_ms = q.since_ms;
  f.until_ms = q.until_ms;
  f.site = q.site;
  f.exclude_linked_rechecks = true;
  f.exclude_tests = true;
  return f;
}

std::string_view TrimSlashes(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return s;
}

// The counts of decisions retention deleted that BaseFilter would have selected, as the
// store's CountVolumes reads live rows (a day counts when its start is in the period).
core::Result<std::vector<store::VolumeCount>> DeletedVolumes(store::Store& store,
                                                             const StatsQuery& q) {
  auto deleted = store.ListDeletedCounts(q.since_ms, q.until_ms);
  if (!deleted) return deleted.error();
  std::vector<store::VolumeCount> out;
  const std::string_view site = TrimSlashes(q.site);
  for (const store::DeletedCount& c : *deleted) {
    if (c.is_test || c.linked) continue;
    if (!site.empty() && TrimSlashes(c.site_url) != site && TrimSlashes(c.blog) != site) continue;
    out.push_back(store::VolumeCount{UtcDay(c.day_ms), c.blog.empty() ? c.site_url : c.blog,
                                     c.verdict, c.uncertain, c.label, c.decisions});
  }
  return out;
}

}  // namespace

double JudgedVerdicts::SpamPrecision() const {
  return spam_judged == 0 ? -1.0 : static_cast<double>(spam_judged - false_positives) / spam_judged;
}

double JudgedVerdicts::HamPrecision() const {
  return ham_judged == 0 ? -1.0 : static_cast<double>(ham_judged - missed_spam) / ham_judged;
}

std::string UtcDay(int64_t millis) {
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

ModerationStats::ModerationStats(store::Store& store) : store_(store) {}

core::Result<ModerationReport> ModerationStats::Report(const StatsQuery& query) const {
  if (query.until_ms <= query.since_ms) {
    return core::Status::InvalidArgument("stats: the period is empty (until is not after since)");
  }
  if (query.top < 1) return core::Status::InvalidArgument("stats: --top must be at least 1");
  ModerationReport report;
  report.query = query;
  const store::DecisionFilter base = BaseFilter(query);

  auto volumes = store_.CountVolumes(base);
  if (!volumes) return volumes.error();
  // Decisions that retention deleted count from their kept per-day counts.
  auto deleted = DeletedVolumes(store_, query);
  if (!deleted) return deleted.error();
  volumes->insert(volumes->end(), deleted->begin(), deleted->end());
  std::map<std::string, VerdictVolume> per_day;
  std::map<std::string, SiteStats> per_site;
  for (const store::VolumeCount& c : *volumes) {
    Add(report.totals, c);
    Add(per_day[c.day], c);
    SiteStats& site = per_site[c.site];
    site.site = c.site;
    Add(site.volume, c);
    Add(site.judged, c);
    Add(report.judged, c);
  }
  // Every day of the period that has data at either end or between: zeros show as gaps.
  if (!per_day.empty()) {
    const int64_t first = std::max(query.since_ms, query.until_ms - 3660 * kDayMs);
    for (int64_t t = first - first % kDayMs; t < query.until_ms; t += kDayMs) {
      const std::string day = UtcDay(t);
      if (day < per_day.begin()->first) continue;
      if (day > per_day.rbegin()->first) break;
      report.days.push_back(DayVolume{day, per_day.count(day) ? per_day[day] : VerdictVolume{}});
    }
  }
  for (auto& [name, site] : per_site) report.sites.push_back(std::move(site));
  std::stable_sort(
      report.sites.begin(), report.sites.end(),
      [](const SiteStats& a, const SiteStats& b) { return a.volume.total() > b.volume.total(); });

  auto reasons = store_.CountReasons(base, query.top);
  if (!reasons) return reasons.error();
  report.top_reasons = std::move(*reasons);

  // Domains need the text: read the period's unpurged spam page by page.
  store::DecisionFilter spam = base;
  spam.verdicts = {core::Verdict::kSpam, core::Verdict::kDiscard};
  spam.exclude_purged = true;
  spam.order = store::DecisionOrder::kOldest;
  spam.limit = kScanPage;
  std::unordered_map<std::string, int64_t> domains;
  for (;;) {
    auto page = store_.ListDecisions(spam);
    if (!page) return page.error();
    for (const store::DecisionRecord& r : *page) {
      ++report.domain_decisions_scanned;
      for (const std::string& host : LinkDomains(r.comment)) ++domains[host];
    }
    if (static_cast<int>(page->size()) < kScanPage) break;
    spam.offset += kScanPage;
  }
  for (auto& [domain, n] : domains) report.top_domains.push_back(DomainCount{domain, n});
  std::sort(report.top_domains.begin(), report.top_domains.end(),
            [](const DomainCount& a, const DomainCount& b) {
              return a.decisions != b.decisions ? a.decisions > b.decisions : a.domain < b.domain;
            });
  if (static_cast<int>(report.top_domains.size()) > query.top) {
    report.top_domains.resize(static_cast<size_t>(query.top));
  }
  return report;
}

}  // namespace hamlet::engine
