// Merging the streams behind GET /v1/decisions (new decisions, new feedback on them, undos that
// revoked feedback on them) into one page, shared by the SQL stores; each backend defines what
// a stream position is.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hamlet::store::internal {

// One change in a stream: its position, the decision it concerns and when it happened.
template <typename Position>
struct StreamChange {
  Position position{};
  std::string decision_id;
  int64_t at_ms = 0;
};

// The streams, in the order ties go: a decision, then its feedback, then the undo.
enum ChangeStream : size_t { kDecisionStream, kFeedbackStream, kRevocationStream, kStreams };

template <typename Position>
using ChangeStreams = std::array<std::vector<StreamChange<Position>>, kStreams>;

template <typename Position>
struct MergedChanges {
  std::vector<std::string> decision_ids;  // in change order, repeats included
  std::array<Position, kStreams> next{};  // per stream, the last position taken
  bool more = false;                      // changes beyond the page were read
};

// Up to `limit` changes from the streams (each read after its cursor position `from`, in
// stream order), merged by time. Each stream is taken as a prefix, so the cursor can advance
// past exactly what was taken; ties go to the earlier stream, whose change happened first.
template <typename Position>
MergedChanges<Position> MergeChanges(const ChangeStreams<Position>& streams,
                                     const std::array<Position, kStreams>& from, int limit) {
  MergedChanges<Position> m;
  m.next = from;
  std::array<size_t, kStreams> taken{};
  auto pending = [&](size_t s) { return taken[s] < streams[s].size(); };
  while (static_cast<int>(m.decision_ids.size()) < limit) {
    size_t pick = kStreams;
    for (size_t s = 0; s < kStreams; ++s) {
      if (!pending(s)) continue;
      if (pick == kStreams || streams[s][taken[s]].at_ms < streams[pick][taken[pick]].at_ms) {
        pick = s;
      }
    }
    if (pick == kStreams) break;
    const StreamChange<Position>& c = streams[pick][taken[pick]++];
    m.next[pick] = c.position;
    m.decision_ids.push_back(c.decision_id);
  }
  for (size_t s = 0; s < kStreams; ++s) m.more = m.more || pending(s);
  return m;
}

// The numbers of a cursor's text: non-negative decimal integers joined by '.', at most
// `max_parts` of them. nullopt when any part is not such a number (empty, signed, too large)
// or there are more parts.
inline std::optional<std::vector<int64_t>> ParseCursorNumbers(std::string_view text,
                                                               size_t max_parts) {
  std::vector<int64_t> parts;
  for (;;) {
    const size_t dot = text.find('.');
    const std::string_view part = text.substr(0, dot);
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || v < 0 ||
        parts.size() == max_parts) {
      return std::nullopt;
    }
    parts.push_back(v);
    if (dot == std::string_view::npos) return parts;
    text.remove_prefix(dot + 1);
  }
}

}  // namespace hamlet::store::internal
