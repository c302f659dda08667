// Merging the two streams behind GET /v1/decisions (new decisions, new feedback on them) into
// one page, shared by the SQL stores; each backend defines what a stream position is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hamlet::store::internal {

// One change in a stream: its position, the decision it concerns and when it happened.
template <typename Position>
struct StreamChange {
  Position position{};
  std::string decision_id;
  int64_t at_ms = 0;
};

template <typename Position>
struct MergedChanges {
  std::vector<std::string> decision_ids;  // in change order, repeats included
  Position decisions_next{};              // the last decision-stream position taken
  Position feedback_next{};               // the last feedback-stream position taken
  bool more = false;                      // changes beyond the page were read
};

// Up to `limit` changes from both streams (each read after its cursor position, in stream
// order), merged by time. Each stream is taken as a prefix, so the cursor can advance past
// exactly what was taken; ties go to the decision, which happened first.
template <typename Position>
MergedChanges<Position> MergeChanges(const std::vector<StreamChange<Position>>& decisions,
                                     const std::vector<StreamChange<Position>>& feedback,
                                     Position decisions_from, Position feedback_from, int limit) {
  MergedChanges<Position> m;
  m.decisions_next = decisions_from;
  m.feedback_next = feedback_from;
  size_t i = 0, j = 0;
  while (static_cast<int>(m.decision_ids.size()) < limit &&
         (i < decisions.size() || j < feedback.size())) {
    const bool take_decision =
        j == feedback.size() || (i < decisions.size() && decisions[i].at_ms <= feedback[j].at_ms);
    const StreamChange<Position>& c = take_decision ? decisions[i++] : feedback[j++];
    (take_decision ? m.decisions_next : m.feedback_next) = c.position;
    m.decision_ids.push_back(c.decision_id);
  }
  m.more = i < decisions.size() || j < feedback.size();
  return m;
}

}  // namespace hamlet::store::internal
