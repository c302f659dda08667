// ModerationStats: what the decision log says about a period, for `hamlet stats`: volumes per
// verdict per day, how often moderators overturned the automatic verdicts (false positives
// found, spam missed), the checks behind the verdicts, the domains spam links to, per site.
// First checks only (a linked recheck is the same comment), test calls left out. Purged
// decisions count in everything except the domains, whose text is gone; decisions retention
// deleted count in the volumes and verdicts from their per-day counts (not in the reasons).
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace hamlet::engine {

struct VerdictVolume {
  int64_t ham = 0;
  int64_t spam = 0;
  int64_t discard = 0;
  int64_t uncertain = 0;  // of the three above, those marked uncertain
  int64_t total() const { return ham + spam + discard; }
};

struct DayVolume {
  std::string day;  // "YYYY-MM-DD", UTC
  VerdictVolume volume;
};

// The automatic verdicts against the moderators' latest labels.
struct JudgedVerdicts {
  int64_t spam_judged = 0;      // spam/discard verdicts with a label
  int64_t false_positives = 0;  // ... labeled ham
  int64_t ham_judged = 0;       // ham verdicts with a label
  int64_t missed_spam = 0;      // ... labeled spam
  // Share of judged spam verdicts the moderators confirmed, 0..1; nullopt-like -1 with none.
  double SpamPrecision() const;
  // Share of judged ham verdicts the moderators confirmed, 0..1; -1 with none.
  double HamPrecision() const;
};

struct SiteStats {
  std::string site;
  VerdictVolume volume;
  JudgedVerdicts judged;
};

struct DomainCount {
  std::string domain;
  int64_t decisions = 0;  // spam/discard decisions linking to it
};

struct StatsQuery {
  int64_t since_ms = 0;
  int64_t until_ms = 0;
  std::string site;  // empty: every site
  int top = 10;      // how many reasons and domains
};

struct ModerationReport {
  StatsQuery query;
  VerdictVolume totals;
  // Every day from the first to the last day of the period (UTC), zeros included.
  std::vector<DayVolume> days;
  JudgedVerdicts judged;
  std::vector<store::ReasonCount> top_reasons;
  std::vector<DomainCount> top_domains;
  std::vector<SiteStats> sites;          // busiest first
  int64_t domain_decisions_scanned = 0;  // spam decisions whose text was read for domains
};

class ModerationStats {
 public:
  explicit ModerationStats(store::Store& store);
  // InvalidArgument when until <= since or top < 1.
  core::Result<ModerationReport> Report(const StatsQuery& query) const;

 private:
  store::Store& store_;
};

// "YYYY-MM-DD" (UTC) of a time in milliseconds.
std::string UtcDay(int64_t millis);

}  // namespace hamlet::engine
