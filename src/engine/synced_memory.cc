// Rebuilding memory from the store, and catching up with feedback stored by other processes.
#include "engine/synced_memory.h"

#include <chrono>
#include <utility>

#include "engine/crypto.h"
#include "text/normalize.h"

namespace hamlet::engine {
namespace {

constexpr char kSaltName[] = "memory_salt";
constexpr int kDecisionPage = 2000;
constexpr int kFeedbackPage = 500;
// A catch-up on the check path reads at most this many pages; the rest waits for the next.
constexpr int kCatchUpPages = 8;

}  // namespace

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

std::optional<Correction> CorrectionOf(const SignalMemory& memory, const store::MemoryFeedback& f) {
  if (f.is_test || (f.label != "spam" && f.label != "ham")) return std::nullopt;
  Correction c;
  c.feedback_id = f.feedback_id;
  c.spam = f.label == "spam";
  if (f.decision) {
    std::optional<StoredFootprint> stored = FootprintOfStored(memory, *f.decision);
    if (!stored) return std::nullopt;
    c.decision_id = f.decision->id;
    c.site_url = f.decision->site_url;
    c.at_ms = f.decision->created_ms;
    c.footprint = std::move(stored->footprint);
    c.lesson = stored->lesson;
    return c;
  }
  if (!f.comment || f.comment->is_test) return std::nullopt;
  const text::TextAnalysis text = text::Analyze(f.comment->comment_content);
  c.site_url = f.site_url;
  c.at_ms = f.created_ms;
  c.footprint = memory.Trace(*f.comment, text, f.site_url);
  return c;
}

core::Result<std::unique_ptr<SyncedMemory>> SyncedMemory::Open(store::Store& store,
                                                               const core::Clock& clock,
                                                               const MemoryOptions& options,
                                                               int64_t refresh_ms) {
  if (core::Status s = options.Validate(); !s.ok()) return s;
  auto fresh = RandomHex(16);
  if (!fresh) return fresh.error();
  auto salt = store.PutMetaIfAbsent(kSaltName, *fresh);
  if (!salt) return salt.error();
  std::unique_ptr<SyncedMemory> memory(new SyncedMemory(
      store, clock, std::make_unique<LocalMemory>(options, std::move(salt).value()), refresh_ms));
  if (core::Status s = memory->Rebuild(); !s.ok()) return s;
  return memory;
}

SyncedMemory::SyncedMemory(store::Store& store, const core::Clock& clock,
                           std::unique_ptr<LocalMemory> local, int64_t refresh_ms)
    : store_(store), clock_(clock), local_(std::move(local)), refresh_ms_(refresh_ms) {}

core::Status SyncedMemory::Rebuild() {
  const auto started = std::chrono::steady_clock::now();
  const int64_t now = clock_.NowMillis();
  rebuild_.since_ms = now - local_->options().RebuildSpanMs();
  store::MemoryCursor cursor;
  for (;;) {
    auto page = store_.ListMemoryDecisions(rebuild_.since_ms, cursor, kDecisionPage);
    if (!page) return page.error();
    for (const store::MemoryDecision& d : *page) {
      std::optional<StoredFootprint> stored = FootprintOfStored(*local_, d);
      if (!stored) {
        ++rebuild_.skipped;
        continue;
      }
      local_->Remember(d.id, d.site_url, d.created_ms, stored->footprint, stored->lesson);
      ++rebuild_.decisions;
    }
    if (page->size() < static_cast<size_t>(kDecisionPage)) break;
    cursor = {page->back().created_ms, page->back().id};
  }
  {
    std::lock_guard lock(sync_mu_);
    for (;;) {
      const int64_t before = cursor_;
      if (core::Status s = CatchUpLocked(rebuild_.since_ms, &rebuild_.feedback); !s.ok()) return s;
      if (cursor_ == before) break;
    }
  }
  caught_up_ms_ = now;
  rebuild_.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return core::Status::Ok();
}

core::Status SyncedMemory::CatchUp() {
  std::lock_guard lock(sync_mu_);
  caught_up_ms_ = clock_.NowMillis();
  long learnt = 0;
  return CatchUpLocked(clock_.NowMillis() - local_->options().RebuildSpanMs(), &learnt);
}

core::Status SyncedMemory::CatchUpLocked(int64_t since_ms, long* learnt) {
  for (int pages = 0; pages < kCatchUpPages; ++pages) {
    auto page = store_.ListMemoryFeedback(cursor_, since_ms, kFeedbackPage);
    if (!page) return page.error();
    for (const store::MemoryFeedback& f : *page) {
      cursor_ = f.feedback_id;
      if (learnt_ahead_.erase(f.feedback_id) > 0) continue;  // learnt through Learn already
      if (std::optional<Correction> c = CorrectionOf(*local_, f); c) {
        local_->Learn(*c);
        ++*learnt;
      }
    }
    if (page->size() < static_cast<size_t>(kFeedbackPage)) break;
  }
  learnt_ahead_.erase(learnt_ahead_.begin(), learnt_ahead_.upper_bound(cursor_));
  return core::Status::Ok();
}

Footprint SyncedMemory::Trace(const core::Comment& comment, const text::TextAnalysis& text,
                              std::string_view site_url) const {
  return local_->Trace(comment, text, site_url);
}

signals::History SyncedMemory::Recall(const Sighting& sighting) {
  const int64_t now = clock_.NowMillis();
  if (now - caught_up_ms_.load() >= refresh_ms_) {
    // One check catches up; the others go on with what memory has.
    std::unique_lock lock(sync_mu_, std::try_to_lock);
    if (lock.owns_lock()) {
      caught_up_ms_ = now;
      long learnt = 0;
      (void)CatchUpLocked(now - local_->options().RebuildSpanMs(), &learnt);
    }
  }
  return local_->Recall(sighting);
}

void SyncedMemory::Record(const Sighting& sighting, Lesson lesson) {
  local_->Record(sighting, lesson);
}

void SyncedMemory::Learn(const Correction& correction) {
  std::lock_guard lock(sync_mu_);
  if (correction.feedback_id != 0 && correction.feedback_id <= cursor_) return;  // caught up
  local_->Learn(correction);
  if (correction.feedback_id > cursor_) learnt_ahead_.insert(correction.feedback_id);
}

}  // namespace hamlet::engine
