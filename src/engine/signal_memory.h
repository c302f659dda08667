// SignalMemory: what the engine remembers of earlier comments for the history-based checks
// (reputation, campaigns, rates, trusted commenters), behind an interface so that the
// single-node memory (engine::LocalMemory, kept in step with the store by engine::SyncedMemory)
// and a shared one (several hamletd nodes, over the shared database) are interchangeable.
//
// The flow for one comment: Trace (its footprint) -> Recall (history for the checks; counts
// the sighting for campaigns and rates) -> the verdict is stored with the footprint and the
// lesson (store::MemoryTrace) -> Record (reputation learns the lesson). A moderator's label
// later arrives through Learn and replaces the lesson of the decision it labels; an undo
// arrives through Learn too, as the label in force after it (or none: the lesson again).
//
// Thread-safety: implementations must allow concurrent calls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/comment.h"
#include "engine/footprint.h"
#include "signals/history.h"
#include "store/store.h"
#include "text/normalize.h"

namespace hamlet::engine {

// One comment as memory sees it. The pointers must outlive the call they are passed to.
struct Sighting {
  std::string decision_id;  // empty when nothing is stored (evaluation)
  std::string site_url;     // the key's site
  const core::Comment* comment = nullptr;
  const text::TextAnalysis* text = nullptr;  // text::Analyze(comment->comment_content)
  int64_t at_ms = 0;
  Footprint footprint;  // SignalMemory::Trace of the comment, filled before Recall
  // For a recheck (a comment with recheck_reason): the decision it repeats, when known, so the
  // comment is not counted against itself; null otherwise.
  const store::DecisionRecord* original = nullptr;
};

// A moderator's label (feedback) for memory to learn, or the label left in force on a decision
// after an undo revoked one.
struct Correction {
  int64_t feedback_id = 0;  // labels of one decision apply in id order; older ones are ignored
  bool spam = false;        // the label
  // An undo: the id of the row it revoked (0 otherwise). feedback_id and spam are then the
  // decision's latest label left, which is in force again unless memory has learnt a later
  // one; or, with label_removed, there is none and the decision's own lesson counts again.
  int64_t revoked_feedback_id = 0;
  bool label_removed = false;
  std::string decision_id;  // the decision it labels; empty for feedback without one
  std::string site_url;
  int64_t at_ms = 0;  // when the labelled comment arrived (the decision's time)
  Footprint footprint;
  Lesson lesson = Lesson::kNone;  // what the decision taught, which the label replaces
};

class SignalMemory {
 public:
  virtual ~SignalMemory() = default;

  // The footprint of `comment` as this memory keys it (its salt).
  virtual Footprint Trace(const core::Comment& comment, const text::TextAnalysis& text,
                          std::string_view site_url) const = 0;

  // What is remembered of earlier comments like `sighting`, for the checks. Also counts the
  // sighting itself for campaign, rate and prior-comment purposes (so two copies arriving at
  // once still see each other), except for tests and rechecks; the lesson comes later, through
  // Record.
  virtual signals::History Recall(const Sighting& sighting) = 0;

  // What the decision on `sighting` taught, once it is durably stored.
  virtual void Record(const Sighting& sighting, Lesson lesson) = 0;

  // A moderator's label, or an undo of labels, once durably stored.
  virtual void Learn(const Correction& correction) = 0;
};

}  // namespace hamlet::engine
