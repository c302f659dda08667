// Usage: per-key statistics from the decision log, for Akismet's account endpoints
// (get-stats, usage-limit, key-sites). Rechecks are not counted as new comments. Decisions
// retention deleted count from their kept per-day counts (store::DeletedCount).
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace hamlet::engine {

struct PeriodStats {
  std::string period;  // "YYYY-MM" (UTC) in a breakdown; the requested span in totals
  int64_t api_calls = 0;
  int64_t spam = 0;
  int64_t ham = 0;
  int64_t missed_spam = 0;
  int64_t false_positives = 0;
  // Percentage of answered first checks not corrected by feedback, 0..100; 100 with none.
  double Accuracy() const;
};

struct StatsReport {
  PeriodStats totals;
  std::vector<PeriodStats> breakdown;  // one per month with decisions, oldest first
};

struct UsageReport {
  std::string month;   // "YYYY-MM", UTC
  int64_t usage = 0;   // checks this month, rechecks included
};

struct SiteActivity {
  std::string site;  // the submitted `blog` URL
  PeriodStats stats;
};

struct KeySitesReport {
  std::string month;  // "YYYY-MM"
  std::vector<SiteActivity> sites;  // the requested page
  int64_t total = 0;                // sites before paging
  int limit = 500;
  int offset = 0;
  bool revoked = false;  // the key's state
};

struct KeySitesQuery {
  std::string month;   // "YYYY-MM"; empty: the current month
  std::string filter;  // substring of the site URL; empty: all
  std::string order = "total";  // total, spam, ham, missed_spam, false_positives
  int limit = 500;
  int offset = 0;
};

class Usage {
 public:
  Usage(store::Store& store, const core::Clock& clock);

  // `from`: "6-months" (this UTC month and the five before; the default when empty),
  // "60-days" or "all". InvalidArgument for anything else.
  core::Result<StatsReport> Stats(const store::SiteKey& key, std::string_view from) const;
  // This UTC month's checks.
  core::Result<UsageReport> ThisMonth(const store::SiteKey& key) const;
  // Sites (by submitted `blog`) that used this key in a month. InvalidArgument for a bad
  // month, order, limit or offset.
  core::Result<KeySitesReport> KeySites(const store::SiteKey& key, const KeySitesQuery& query) const;

 private:
  store::Store& store_;
  const core::Clock& clock_;
};

}  // namespace hamlet::engine
