// SignalMemory: what the engine remembers of earlier comments for the history-based checks
// (reputation, campaigns, rates, trusted commenters), behind an interface so that the
// single-node memory and a shared one (several hamletd nodes) are interchangeable.
//
// Thread-safety: implementations must allow concurrent calls.
#pragma once

#include <cstdint>
#include <string>

#include "core/comment.h"
#include "core/decision.h"
#include "signals/history.h"
#include "text/normalize.h"

namespace hamlet::engine {

// One comment as memory sees it. The pointers must outlive the call they are passed to.
struct Sighting {
  std::string decision_id;  // empty when nothing is stored (evaluation)
  std::string site_url;     // the key's site
  const core::Comment* comment = nullptr;
  const text::TextAnalysis* text = nullptr;  // text::Analyze(comment->comment_content)
  int64_t at_ms = 0;
};

class SignalMemory {
 public:
  virtual ~SignalMemory() = default;

  // What is remembered of earlier comments like `sighting`, for the checks. Also counts the
  // sighting itself for campaign and rate purposes (so two copies arriving at once still see
  // each other); the verdict comes later, through Record.
  virtual signals::History Recall(const Sighting& sighting) = 0;

  // The decision on `sighting` once it is durably stored (reputation learns from verdicts).
  virtual void Record(const Sighting& sighting, const core::Decision& decision) = 0;
};

}  // namespace hamlet::engine
