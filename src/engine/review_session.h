// ReviewSession: one moderator working through the queue, one comment at a time: judge (spam
// or ham), skip, or undo the last step. The state behind `hamlet review`, kept apart from the
// terminal so another front end can drive the same session. Each verdict is its own recorded
// moderator action (origin "review"), so `hamlet undo` sees it too.
//
// Not thread-safe: one session belongs to one moderator's loop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/feedback.h"
#include "engine/moderation.h"
#include "engine/moderator_actions.h"

namespace hamlet::engine {

// What the session did with one item.
enum class ReviewMark { kNone, kSpam, kHam, kSkipped };

struct ReviewCounts {
  int spam = 0;
  int ham = 0;
  int skipped = 0;
};

// The default queue of a review: flagged first checks nobody has judged, no test calls and
// nothing purged, riskiest first, at most `limit`.
QueueQuery DefaultReviewQuery(int limit);

class ReviewSession {
 public:
  // Loads the queue `query` selects (query.filter.limit caps it) for `moderator`, who must
  // not be empty. `actions` and `moderation` must outlive the session.
  static core::Result<std::unique_ptr<ReviewSession>> Start(const Moderation& moderation,
                                                            const ModeratorActions& actions,
                                                            const QueueQuery& query,
                                                            std::string moderator);

  size_t size() const { return items_.size(); }
  // Index of the current item; == size() when the queue is done.
  size_t position() const { return position_; }
  bool done() const { return position_ >= items_.size(); }
  // REQUIRES: !done().
  const store::DecisionRecord& current() const { return items_[position_].decision; }
  // The current decision read again, with its history (another moderator may have judged it
  // since the queue was loaded). REQUIRES: !done().
  core::Result<DecisionDetail> CurrentDetail() const;

  // Records the verdict on the current item and moves to the next. REQUIRES: !done().
  core::Status Judge(Label label);
  // Moves to the next item without a verdict. REQUIRES: !done().
  void Skip();
  // Takes back the last step: the session returns to that item and, when it was a verdict,
  // the verdict's action is undone (its label no longer counts). NotFound when there is no
  // step to take back. Returns what the step had been.
  core::Result<ReviewMark> Undo();

  ReviewCounts counts() const { return counts_; }
  ReviewMark mark(size_t index) const { return items_[index].mark; }
  const std::string& moderator() const { return moderator_; }

 private:
  struct Item {
    store::DecisionRecord decision;
    ReviewMark mark = ReviewMark::kNone;
    int64_t action_id = 0;  // the verdict's action; 0 when it changed nothing
  };

  ReviewSession(const Moderation& moderation, const ModeratorActions& actions,
                std::string moderator, std::vector<store::DecisionRecord> records);
  void Count(ReviewMark mark, int delta);

  const Moderation& moderation_;
  const ModeratorActions& actions_;
  std::string moderator_;
  std::vector<Item> items_;
  size_t position_ = 0;
  std::vector<size_t> steps_;  // indexes of the items judged or skipped, in order
  ReviewCounts counts_;
};

}  // namespace hamlet::engine
