// The decision filter on the command line, shared by queue, review, mark-spam/mark-ham, export
// and stats: one table of options (--site, --verdict, --text ...), and --filter "key=value ..."
// which sets the same keys in one string, for scripts and for the issue-tracker-friendly form
// `hamlet mark-spam --filter 'domain=pills.example verdict=spam' --dry-run`.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/moderation.h"

namespace hamlet::cli {

// Every filter option as typed; parsed by ToQuery.
struct FilterArgs {
  std::string site;
  std::string verdict;    // comma list of ham, spam, discard, uncertain, flagged; or any
  std::string label;      // spam, ham, none (nobody judged it), labeled, any
  std::string min_score;  // 0..1
  std::string max_score;
  std::string since;  // YYYY-MM-DD (UTC) or a duration ago (7d, 12h)
  std::string until;
  std::string text;  // full-text words, "a phrase", prefix*
  std::string author;
  std::string email;
  std::string ip;  // exact, or a prefix ending in '*'
  std::string domain;
  std::string order;                // newest, oldest, riskiest
  std::vector<std::string> filter;  // --filter expressions
  bool unreviewed = false;          // --unreviewed: label none
};

// What a command filters on when an option is not given.
struct FilterDefaults {
  std::string verdict = "flagged";
  std::string label = "any";
  std::string order = "newest";
};

// Registers the filter options (and --filter) on `cmd`, writing into `args`.
void AddFilterOptions(CLI::App* cmd, FilterArgs& args, const FilterDefaults& defaults);

// True when the user gave any option that narrows the selection (not --order).
bool HasSelection(const FilterArgs& args);

// The query the options describe, with `defaults` for what is not given, `now_ms` for
// durations. InvalidArgument naming the option for a bad value, an unknown --filter key, or
// a key given both as an option and in --filter.
core::Result<engine::QueueQuery> ToQuery(const FilterArgs& args, const FilterDefaults& defaults,
                                         int64_t now_ms);

// The given options as "key=value ..." (values with spaces quoted), for the moderator-action
// record and messages; "" when none.
std::string DescribeFilter(const FilterArgs& args);

// A point in time on the command line: "YYYY-MM-DD" (UTC midnight) or a duration before
// `now_ms` ("7d"). InvalidArgument naming the option `--name` otherwise.
core::Result<int64_t> ParseWhen(const std::string& name, const std::string& text, int64_t now_ms);

// --moderator when given, else $USER, else $LOGNAME, else "unknown".
std::string ResolveModerator(const std::string& given);

}  // namespace hamlet::cli
