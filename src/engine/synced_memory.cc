// Rebuilding memory from the store, and catching up with feedback stored by other processes.
#include "engine/synced_memory.h"

#include <chrono>
#include <utility>

#include "engine/crypto.h"

namespace hamlet::engine {
namespace {

constexpr char kSaltName[] = "memory_salt";
constexpr int kDecisionPage = 2000;
constexpr int kFeedbackPage = 500;
// A catch-up on the check path reads at most this many pages; the rest waits for the next.
constexpr int kCatchUpPages = 8;

}  // namespace

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
