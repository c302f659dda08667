// Replaying labeled comments in date order through a fresh LocalMemory.
#include "engine/timeline.h"

#include <algorithm>
#include <numeric>
#include <string>

namespace hamlet::engine {
namespace {

constexpr int64_t kFirstUndatedMs = 1'577'836'800'000;  // 2020-01-01T00:00:00Z
constexpr int64_t kUndatedStepMs = 60'000;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Reads `n` digits at `pos`; false when they are not all digits.
bool Digits(std::string_view s, size_t pos, size_t n, int64_t& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Memory that remembers the last sighting it recorded, so the replay can label it.
class LabellingMemory final : public SignalMemory {
 public:
  explicit LabellingMemory(const MemoryOptions& options) : local_(options, "evaluation") {}
  Footprint Trace(const core::Comment& comment, const text::TextAnalysis& text,
                  std::string_view site_url) const override {
    return local_.Trace(comment, text, site_url);
  }
  signals::History Recall(const Sighting& sighting) override { return local_.Recall(sighting); }
  void Record(const Sighting& sighting, Lesson lesson) override {
    local_.Record(sighting, lesson);
    last_footprint_ = sighting.footprint;
    last_lesson_ = lesson;
  }
  void Learn(const Correction& correction) override { local_.Learn(correction); }

  // The label of the comment just scored, as a moderator would give it.
  void LabelLast(int64_t feedback_id, const std::string& decision_id, const std::string& site,
                 int64_t at_ms, bool spam) {
    Correction c;
    c.feedback_id = feedback_id;
    c.spam = spam;
    c.decision_id = decision_id;
    c.site_url = site;
    c.at_ms = at_ms;
    c.footprint = last_footprint_;
    c.lesson = last_lesson_;
    local_.Learn(c);
  }

 private:
  LocalMemory local_;
  Footprint last_footprint_;
  Lesson last_lesson_ = Lesson::kNone;
};

}  // namespace

std::optional<int64_t> ParseCommentDate(std::string_view s) {
  int64_t y, mo, d, h = 0, mi = 0, sec = 0;
  if (!Digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d)) {
    return std::nullopt;
  }
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != ' ') || !Digits(s, 11, 2, h) || s.size() < 19 || s[13] != ':' ||
        !Digits(s, 14, 2, mi) || s[16] != ':' || !Digits(s, 17, 2, sec)) {
      return std::nullopt;
    }
    std::string_view rest = s.substr(19);
    if (!rest.empty() && rest.front() == '.') {
      rest.remove_prefix(1);
      while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
    }
    if (rest == "Z") rest = {};
    if (!rest.empty()) return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return ((DaysFromCivil(y, mo, d) * 24 + h) * 60 + mi) * 60'000 + sec * 1000;
}

std::vector<int64_t> TimelineTimes(const std::vector<LabeledComment>& data) {
  std::vector<int64_t> times(data.size());
  int64_t previous = kFirstUndatedMs - kUndatedStepMs;
  for (size_t i = 0; i < data.size(); ++i) {
    const std::optional<int64_t> date = ParseCommentDate(data[i].comment.comment_date_gmt);
    times[i] = date ? *date : previous + kUndatedStepMs;
    previous = times[i];
  }
  return times;
}

core::Result<std::vector<core::Decision>> ScoreTimeline(const Filter& filter,
                                                        const std::vector<LabeledComment>& data,
                                                        const TimelineOptions& options) {
  if (core::Status s = options.memory.Validate(); !s.ok()) return s;
  const std::vector<int64_t> times = TimelineTimes(data);
  std::vector<size_t> order(data.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return times[a] < times[b]; });
  LabellingMemory memory(options.memory);
  std::vector<core::Decision> decisions(data.size());
  int64_t feedback_id = 0;
  for (size_t i : order) {
    const core::Comment& comment = data[i].comment;
    ScoreOptions score;
    score.profile = options.profile;
    score.memory = &memory;
    score.now_ms = times[i];
    score.site_url = !comment.blog.empty() ? comment.blog : comment.Field("source");
    score.decision_id = "replay-" + std::to_string(i);
    auto decision = filter.Score(comment, score);
    if (!decision) return decision.error();
    decisions[i] = std::move(*decision);
    if (options.learn_labels) {
      memory.LabelLast(++feedback_id, score.decision_id, score.site_url, times[i], data[i].is_spam);
    }
  }
  return decisions;
}

core::Result<std::vector<Scored>> ScoreAllTimeline(const Filter& filter,
                                                   const std::vector<LabeledComment>& data,
                                                   const TimelineOptions& options) {
  auto decisions = ScoreTimeline(filter, data, options);
  if (!decisions) return decisions.error();
  return ScoredOf(*decisions, data);
}

std::vector<Scored> ScoredOf(const std::vector<core::Decision>& decisions,
                             const std::vector<LabeledComment>& data) {
  std::vector<Scored> scored;
  scored.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i)
    scored.push_back({decisions[i].log_odds, data[i].is_spam});
  return scored;
}

}  // namespace hamlet::engine
