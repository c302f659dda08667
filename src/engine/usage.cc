// Per-key statistics over the store's per-month counts.
#include "engine/usage.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace hamlet::engine {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

year_month_day Day(int64_t ms) {
  return year_month_day(std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms))));
}

int64_t Millis(year_month_day day) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             sys_days(day).time_since_epoch())
      .count();
}

std::string MonthName(year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()));
  return buf;
}

// The first day of "YYYY-MM"; nullopt when malformed.
std::optional<year_month_day> ParseMonth(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0;
  for (size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    if (i < 4) y = y * 10 + (s[i] - '0');
    else m = m * 10 + static_cast<unsigned>(s[i] - '0');
  }
  year_month_day d{std::chrono::year(y), std::chrono::month(m), std::chrono::day(1)};
  if (!d.ok()) return std::nullopt;
  return d;
}

void Add(PeriodStats& into, const store::DecisionCounts& c) {
  into.api_calls += c.api_calls;
  into.spam += c.spam;
  into.ham += c.ham;
  into.missed_spam += c.missed_spam;
  into.false_positives += c.false_positives;
}

int64_t OrderValue(const PeriodStats& s, std::string_view order) {
  if (order == "spam") return s.spam;
  if (order == "ham") return s.ham;
  if (order == "missed_spam") return s.missed_spam;
  if (order == "false_positives") return s.false_positives;
  return s.api_calls;
}

// The key's decisions in [from_ms, to_ms) per UTC month and blog, as store.CountDecisions
// counts them, with the decisions retention deleted added from their kept per-day counts (a
// day counts when its start is in the range).
core::Result<std::vector<store::DecisionCounts>> CountWithDeleted(store::Store& store,
                                                                  int64_t key_id, int64_t from_ms,
                                                                  int64_t to_ms) {
  auto live = store.CountDecisions(key_id, from_ms, to_ms);
  if (!live) return live.error();
  auto deleted = store.ListDeletedCounts(from_ms, to_ms);
  if (!deleted) return deleted.error();
  std::map<std::pair<std::string, std::string>, store::DecisionCounts> merged;
  for (store::DecisionCounts& c : *live) merged[{c.month, c.blog}] = std::move(c);
  for (const store::DeletedCount& d : *deleted) {
    if (d.key_id != key_id) continue;
    const std::string month = MonthName(Day(d.day_ms));
    store::DecisionCounts& c = merged[{month, d.blog}];
    c.month = month;
    c.blog = d.blog;
    c.api_calls += d.decisions;
    if (d.linked) continue;  // a recheck counts as a call only
    const bool spam = d.verdict != core::Verdict::kHam;
    (spam ? c.spam : c.ham) += d.decisions;
    if (!spam && d.label == "spam") c.missed_spam += d.decisions;
    if (spam && d.label == "ham") c.false_positives += d.decisions;
  }
  std::vector<store::DecisionCounts> out;
  for (auto& [where, c] : merged) out.push_back(std::move(c));
  return out;
}

}  // namespace

double PeriodStats::Accuracy() const {
  const int64_t answered = spam + ham;
  if (answered == 0) return 100.0;
  const double right = static_cast<double>(answered - missed_spam - false_positives);
  return std::round(10000.0 * right / static_cast<double>(answered)) / 100.0;
}

Usage::Usage(store::Store& store, const core::Clock& clock) : store_(store), clock_(clock) {}

core::Result<StatsReport> Usage::Stats(const store::SiteKey& key, std::string_view from) const {
  const int64_t now = clock_.NowMillis();
  int64_t from_ms = 0;
  if (from.empty() || from == "6-months") {
    const year_month_day today = Day(now);
    const year_month_day first{today.year(), today.month(), std::chrono::day(1)};
    from_ms = Millis(first - std::chrono::months(5));
  } else if (from == "60-days") {
    from_ms = now - int64_t{60} * 24 * 3600 * 1000;
  } else if (from != "all") {
    return core::Status::InvalidArgument("from must be 6-months, 60-days or all, got '" +
                                         std::string(from) + "'");
  }
  auto counts = CountWithDeleted(store_, key.id, from_ms, now + 1);
  if (!counts) return counts.error();
  StatsReport report;
  report.totals.period = from.empty() ? "6-months" : std::string(from);
  for (const store::DecisionCounts& c : *counts) {
    Add(report.totals, c);
    if (report.breakdown.empty() || report.breakdown.back().period != c.month) {
      report.breakdown.push_back(PeriodStats{.period = c.month});
    }
    Add(report.breakdown.back(), c);
  }
  return report;
}

core::Result<UsageReport> Usage::ThisMonth(const store::SiteKey& key) const {
  const int64_t now = clock_.NowMillis();
  const year_month_day today = Day(now);
  const year_month_day first{today.year(), today.month(), std::chrono::day(1)};
  auto counts = CountWithDeleted(store_, key.id, Millis(first), now + 1);
  if (!counts) return counts.error();
  UsageReport report{MonthName(first), 0};
  for (const store::DecisionCounts& c : *counts) report.usage += c.api_calls;
  return report;
}

core::Result<KeySitesReport> Usage::KeySites(const store::SiteKey& key,
                                             const KeySitesQuery& query) const {
  const year_month_day today = Day(clock_.NowMillis());
  std::optional<year_month_day> first =
      query.month.empty() ? year_month_day{today.year(), today.month(), std::chrono::day(1)}
                          : ParseMonth(query.month);
  if (!first) {
    return core::Status::InvalidArgument("month must be YYYY-MM, got '" + query.month + "'");
  }
  const std::string_view order = query.order.empty() ? "total" : std::string_view(query.order);
  if (order != "total" && order != "spam" && order != "ham" && order != "missed_spam" &&
      order != "false_positives") {
    return core::Status::InvalidArgument(
        "order must be total, spam, ham, missed_spam or false_positives");
  }
  if (query.limit < 0 || query.offset < 0) {
    return core::Status::InvalidArgument("limit and offset must not be negative");
  }
  const year_month_day next = *first + std::chrono::months(1);
  auto counts = CountWithDeleted(store_, key.id, Millis(*first), Millis(next));
  if (!counts) return counts.error();

  std::map<std::string, PeriodStats> by_site;
  for (const store::DecisionCounts& c : *counts) {
    if (!query.filter.empty() && c.blog.find(query.filter) == std::string::npos) continue;
    Add(by_site[c.blog], c);
  }
  std::vector<SiteActivity> sites;
  for (auto& [site, stats] : by_site) {
    stats.period = MonthName(*first);
    sites.push_back(SiteActivity{site, stats});
  }
  std::stable_sort(sites.begin(), sites.end(), [order](const auto& a, const auto& b) {
    return OrderValue(a.stats, order) > OrderValue(b.stats, order);
  });
  KeySitesReport report;
  report.month = MonthName(*first);
  report.total = static_cast<int64_t>(sites.size());
  report.limit = query.limit;
  report.offset = query.offset;
  report.revoked = key.revoked();
  const size_t begin = std::min(sites.size(), static_cast<size_t>(query.offset));
  const size_t end = std::min(sites.size(), begin + static_cast<size_t>(query.limit));
  report.sites.assign(sites.begin() + static_cast<std::ptrdiff_t>(begin),
                      sites.begin() + static_cast<std::ptrdiff_t>(end));
  return report;
}

}  // namespace hamlet::engine
