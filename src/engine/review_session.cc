// The review loop's state: position, marks, steps to undo.
#include "engine/review_session.h"

#include <utility>

namespace hamlet::engine {

QueueQuery DefaultReviewQuery(int limit) {
  QueueQuery query;
  store::DecisionFilter& f = query.filter;
  f.flagged_only = true;
  f.label = store::LabelFilter::kUnlabeled;
  f.exclude_linked_rechecks = true;
  f.exclude_tests = true;
  f.exclude_purged = true;
  f.order = store::DecisionOrder::kRiskiest;
  f.limit = limit;
  return query;
}

core::Result<std::unique_ptr<ReviewSession>> ReviewSession::Start(const Moderation& moderation,
                                                                  const ModeratorActions& actions,
                                                                  const QueueQuery& query,
                                                                  std::string moderator) {
  if (moderator.empty()) {
    return core::Status::InvalidArgument("a review needs the moderator's name");
  }
  auto records = moderation.All(query, query.filter.limit);
  if (!records) return records.error();
  return std::unique_ptr<ReviewSession>(
      new ReviewSession(moderation, actions, std::move(moderator), std::move(*records)));
}

ReviewSession::ReviewSession(const Moderation& moderation, const ModeratorActions& actions,
                             std::string moderator, std::vector<store::DecisionRecord> records)
    : moderation_(moderation), actions_(actions), moderator_(std::move(moderator)) {
  items_.reserve(records.size());
  for (auto& r : records) items_.push_back(Item{std::move(r), ReviewMark::kNone, 0});
}

core::Result<DecisionDetail> ReviewSession::CurrentDetail() const {
  return moderation_.Show(current().id);
}

void ReviewSession::Count(ReviewMark mark, int delta) {
  switch (mark) {
    case ReviewMark::kSpam:
      counts_.spam += delta;
      break;
    case ReviewMark::kHam:
      counts_.ham += delta;
      break;
    case ReviewMark::kSkipped:
      counts_.skipped += delta;
      break;
    case ReviewMark::kNone:
      break;
  }
}

core::Status ReviewSession::Judge(Label label) {
  Item& item = items_[position_];
  auto plan = actions_.PlanForIds({item.decision.id}, label);
  if (!plan) return plan.error();
  auto action = actions_.Apply(*plan, moderator_, "review", "review: " + item.decision.id);
  if (!action) return action.error();
  item.mark = label == Label::kSpam ? ReviewMark::kSpam : ReviewMark::kHam;
  item.action_id = action->id;
  Count(item.mark, +1);
  steps_.push_back(position_);
  ++position_;
  return core::Status::Ok();
}

void ReviewSession::Skip() {
  Item& item = items_[position_];
  item.mark = ReviewMark::kSkipped;
  item.action_id = 0;
  Count(item.mark, +1);
  steps_.push_back(position_);
  ++position_;
}

core::Result<ReviewMark> ReviewSession::Undo() {
  if (steps_.empty()) return core::Status::NotFound("nothing to undo in this session");
  Item& item = items_[steps_.back()];
  if (item.action_id != 0) {
    auto undone = actions_.Undo(item.action_id, moderator_);
    // InvalidArgument: undone already (say, by `hamlet undo` in another shell); that is the
    // state this undo wants, so the session goes on.
    if (!undone && undone.error().code() != core::StatusCode::kInvalidArgument) {
      return undone.error();
    }
  }
  const ReviewMark was = item.mark;
  Count(was, -1);
  item.mark = ReviewMark::kNone;
  item.action_id = 0;
  position_ = steps_.back();
  steps_.pop_back();
  return was;
}

}  // namespace hamlet::engine
