// Timeline: a labeled corpus replayed in time order through a fresh memory, so the checks that
// read history (reputation, campaign, rate, trust) act as they would have live and their
// effect can be measured offline (`hamlet eval --replay`, the ablation). Nothing is stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/decision.h"
#include "core/status.h"
#include "engine/evaluation.h"
#include "engine/filter.h"
#include "engine/local_memory.h"
#include "engine/site_profile.h"

namespace hamlet::engine {

struct TimelineOptions {
  MemoryOptions memory;                  // the fresh memory's settings
  const SiteProfile* profile = nullptr;  // null: as Filter::Score (the defaults)
  // After each comment, its true label is learnt as a moderator's feedback: every comment
  // reviewed at once, an upper bound on what labels add. Off (the default): memory learns only
  // from the engine's own verdicts, as in an installation nobody moderates.
  bool learn_labels = false;
};

// The decisions on `data`, in input order, each judged after every comment dated earlier (ties
// and undated comments keep input order). Times: comment_date_gmt ("2013-11-07T06:20:48" or
// "2013-11-07 06:20:48", optional fraction and "Z"); a comment without a readable date takes
// the time of the one before it in input order plus a minute (the first: 2020-01-01). Site:
// the comment's `blog`, else its `source` field (the corpora's), else "". Errors: the filter's.
core::Result<std::vector<core::Decision>> ScoreTimeline(const Filter& filter,
                                                        const std::vector<LabeledComment>& data,
                                                        const TimelineOptions& options);

// The same as log-odds with labels, for Metrics/Sweep (engine/evaluation.h).
core::Result<std::vector<Scored>> ScoreAllTimeline(const Filter& filter,
                                                   const std::vector<LabeledComment>& data,
                                                   const TimelineOptions& options);

// decisions[i]'s log-odds with data[i]'s label. REQUIRES: the same sizes.
std::vector<Scored> ScoredOf(const std::vector<core::Decision>& decisions,
                             const std::vector<LabeledComment>& data);

// Milliseconds since the Unix epoch of a comment_date_gmt as above; nullopt when unreadable.
std::optional<int64_t> ParseCommentDate(std::string_view date);

// The time ScoreTimeline gives each comment of `data` (input order).
std::vector<int64_t> TimelineTimes(const std::vector<LabeledComment>& data);

}  // namespace hamlet::engine
