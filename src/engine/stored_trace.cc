// Footprints and corrections from stored decisions and feedback.
#include "engine/stored_trace.h"

#include <utility>

#include "text/normalize.h"

namespace hamlet::engine {

std::optional<StoredFootprint> FootprintOfStored(const SignalMemory& memory,
                                                 const store::MemoryDecision& d) {
  if (d.is_test || d.recheck) return std::nullopt;
  StoredFootprint out;
  if (d.memory) {
    auto decoded = DecodeTrace(*d.memory);
    if (!decoded) return std::nullopt;
    out.footprint = std::move(decoded).value();
    out.lesson = ParseLesson(d.memory->lesson);
    return out;
  }
  if (!d.comment) return std::nullopt;
  const text::TextAnalysis text = text::Analyze(d.comment->comment_content);
  out.footprint = memory.Trace(*d.comment, text, d.site_url);
  // Stored before memory kept lessons, when no check read history: its confident verdict.
  if (!d.uncertain) {
    out.lesson = core::IsSpamVerdict(d.verdict) ? Lesson::kSpam : Lesson::kHam;
  }
  return out;
}

store::MemoryDecision MemoryView(const store::DecisionRecord& record) {
  store::MemoryDecision d;
  d.id = record.id;
  d.site_url = record.site_url;
  d.created_ms = record.created_ms;
  d.verdict = record.decision.verdict;
  d.uncertain = record.decision.uncertain;
  d.is_test = record.comment.is_test;
  d.recheck = !record.comment.recheck_reason.empty();
  d.memory = record.memory;
  if (!d.memory) d.comment = record.comment;
  return d;
}

namespace {

// A correction of `decision` (its footprint and lesson), the label still to be set; nullopt
// for tests, rechecks and unreadable traces.
std::optional<Correction> CorrectionOfDecision(const SignalMemory& memory,
                                               const store::MemoryDecision& decision) {
  std::optional<StoredFootprint> stored = FootprintOfStored(memory, decision);
  if (!stored) return std::nullopt;
  Correction c;
  c.decision_id = decision.id;
  c.site_url = decision.site_url;
  c.at_ms = decision.created_ms;
  c.footprint = std::move(stored->footprint);
  c.lesson = stored->lesson;
  return c;
}

}  // namespace

std::optional<Correction> CorrectionOf(const SignalMemory& memory, const store::MemoryFeedback& f) {
  if (f.is_test || (f.label != "spam" && f.label != "ham")) return std::nullopt;
  std::optional<Correction> c;
  if (f.decision) {
    c = CorrectionOfDecision(memory, *f.decision);
  } else if (f.comment && !f.comment->is_test) {
    const text::TextAnalysis text = text::Analyze(f.comment->comment_content);
    c.emplace();
    c->site_url = f.site_url;
    c->at_ms = f.created_ms;
    c->footprint = memory.Trace(*f.comment, text, f.site_url);
  }
  if (!c) return std::nullopt;
  c->feedback_id = f.feedback_id;
  c->spam = f.label == "spam";
  return c;
}

std::optional<Correction> CorrectionOf(const SignalMemory& memory,
                                       const store::MemoryRevocation& r) {
  if (r.is_test) return std::nullopt;
  std::optional<Correction> c = CorrectionOfDecision(memory, r.decision);
  if (!c) return std::nullopt;
  c->revoked_feedback_id = r.feedback_id;
  if (r.restored_feedback_id &&
      (r.restored_label == "spam" || r.restored_label == "ham")) {
    c->feedback_id = *r.restored_feedback_id;
    c->spam = r.restored_label == "spam";
  } else {
    c->label_removed = true;
  }
  return c;
}

}  // namespace hamlet::engine
