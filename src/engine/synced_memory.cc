// Rebuilding memory from the store, and catching up with the decisions and feedback stored
// since by other processes and nodes.
#include "engine/synced_memory.h"

#include <chrono>
#include <utility>

#include "engine/crypto.h"

namespace hamlet::engine {
namespace {

constexpr char kSaltName[] = "memory_salt";
constexpr int kDecisionPage = 2000;
constexpr int kCatchUpDecisionPage = 500;
constexpr int kFeedbackPage = 500;
// A catch-up on the check path reads at most this many pages of each stream; when there is
// more, the next check goes on with it.
constexpr int kCatchUpPages = 4;
// A decision noted by Recall but never counted by Record (its check failed, or its commit)
// is forgotten after this long. Should such a commit still land later, the catch-up counts it
// as another process's: once, not twice.
constexpr int64_t kUnstoredOwnMs = 5 * 60 * 1000;

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
  // The catch-up goes on from the last decision committed now. The rebuild reads in time
  // order, page by page, and may meet decisions committed after this point: it leaves them to
  // the catch-up, so that each is counted once.
  auto head = store_.LastDecisionPosition();
  if (!head) return head.error();
  store::MemoryCursor cursor;
  for (;;) {
    auto page = store_.ListMemoryDecisions(rebuild_.since_ms, cursor, kDecisionPage);
    if (!page) return page.error();
    for (const store::MemoryDecision& d : *page) {
      if (d.position > *head) continue;
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
    position_ = *head;
    bool complete = false;
    if (core::Status s = CatchUpLocked(rebuild_.since_ms, 0, &complete, &rebuild_); !s.ok()) {
      return s;
    }
    rebuilt_ = true;
  }
  caught_up_ms_ = now;
  rebuild_.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return core::Status::Ok();
}

core::Status SyncedMemory::CatchUp() {
  std::lock_guard lock(sync_mu_);
  caught_up_ms_ = clock_.NowMillis();
  bool complete = false;
  return CatchUpLocked(clock_.NowMillis() - local_->options().RebuildSpanMs(), 0, &complete);
}

core::Status SyncedMemory::CatchUpLocked(int64_t since_ms, int max_pages, bool* complete,
                                         RebuildStats* tally) {
  const int64_t generation = ++generation_;
  bool decisions_done = false;
  bool feedback_done = false;
  // Decisions first: a label read in the same catch-up then finds its decision counted.
  core::Status s = CatchUpDecisionsLocked(since_ms, max_pages, &decisions_done, tally);
  if (s.ok()) s = CatchUpFeedbackLocked(since_ms, max_pages, &feedback_done, tally);
  // Undos last: each says which label is in force now, newer than any label read before it.
  bool undos_done = false;
  if (s.ok()) s = CatchUpRevocationsLocked(since_ms, max_pages, &undos_done, tally);
  PruneOwn(generation, decisions_done);
  *complete = s.ok() && decisions_done && feedback_done && undos_done;
  return s;
}

// Why a position and not (created_ms, id) with an overlap window: created_ms is the judging
// node's clock when the check began, and the commit follows after the judging, the group
// commit's wait, and on PostgreSQL another node's transaction; no window bounds how much
// earlier a later commit's time can be. Positions are handed out in commit order (see
// store::DecisionPosition), so "after the last position read" misses nothing and repeats
// nothing; the only decisions read twice are this process's own, which TakeOwn recognises.
core::Status SyncedMemory::CatchUpDecisionsLocked(int64_t since_ms, int max_pages, bool* done,
                                                  RebuildStats* tally) {
  for (int pages = 0; max_pages == 0 || pages < max_pages; ++pages) {
    auto page = store_.ListMemoryDecisionsAfter(position_, kCatchUpDecisionPage);
    if (!page) return page.error();
    for (const store::MemoryDecision& d : *page) {
      position_ = d.position;
      if (TakeOwn(d.id)) continue;            // counted when this process judged it
      if (d.created_ms < since_ms) continue;  // older than memory reaches (an import)
      std::optional<StoredFootprint> stored = FootprintOfStored(*local_, d);
      if (!stored) continue;  // a test or a recheck
      local_->Remember(d.id, d.site_url, d.created_ms, stored->footprint, stored->lesson);
      if (tally != nullptr) ++tally->decisions;
    }
    if (page->size() < static_cast<size_t>(kCatchUpDecisionPage)) {
      *done = true;
      break;
    }
  }
  return core::Status::Ok();
}

// Feedback is read by position for the reason decisions are (store::FeedbackPosition: commit
// order; a feedback id is handed out at insert on PostgreSQL, so paging by id would pass a
// smaller id committed later). This process's own feedback is learnt through Learn right after
// it is stored, and may come back in a catch-up before or after that: learnt_ahead_ and
// read_back_ make sure it is learnt once either way.
core::Status SyncedMemory::CatchUpFeedbackLocked(int64_t since_ms, int max_pages, bool* done,
                                                 RebuildStats* tally) {
  const int64_t generation = generation_.load();
  const int64_t now = clock_.NowMillis();
  for (int pages = 0; max_pages == 0 || pages < max_pages; ++pages) {
    auto page = store_.ListMemoryFeedback(cursor_, since_ms, kFeedbackPage);
    if (!page) return page.error();
    for (const store::MemoryFeedback& f : *page) {
      cursor_ = f.position;
      if (learnt_ahead_.erase(f.feedback_id) > 0) continue;  // learnt through Learn already
      // The rebuild reads only rows committed before this process could store any.
      if (rebuilt_) read_back_.emplace(f.feedback_id, now);
      if (std::optional<Correction> c = CorrectionOf(*local_, f); c) {
        local_->Learn(*c);
        if (tally != nullptr) ++tally->feedback;
      }
    }
    if (page->size() < static_cast<size_t>(kFeedbackPage)) {
      *done = true;
      break;
    }
  }
  // Learnt before this catch-up began, so committed before it read: it will never come (it
  // was revoked, or is older than since_ms).
  if (*done) std::erase_if(learnt_ahead_, [&](const auto& e) { return e.second < generation; });
  std::erase_if(read_back_, [&](const auto& e) { return now - e.second > kUnstoredOwnMs; });
  return core::Status::Ok();
}

// An undo (`hamlet undo`, a step back in `hamlet review`) revokes feedback rows; memory then
// counts the decision's label left, or its own lesson, instead of the revoked label. Undos are
// made by the CLI, never through this process, so each is read here once, by position.
core::Status SyncedMemory::CatchUpRevocationsLocked(int64_t since_ms, int max_pages, bool* done,
                                                    RebuildStats* tally) {
  for (int pages = 0; max_pages == 0 || pages < max_pages; ++pages) {
    auto page = store_.ListMemoryRevocations(undone_, since_ms, kFeedbackPage);
    if (!page) return page.error();
    for (const store::MemoryRevocation& r : *page) {
      undone_ = r.position;
      if (std::optional<Correction> c = CorrectionOf(*local_, r); c) {
        local_->Learn(*c);
        if (tally != nullptr) ++tally->undos;
      }
    }
    if (page->size() < static_cast<size_t>(kFeedbackPage)) {
      *done = true;
      break;
    }
  }
  return core::Status::Ok();
}

bool SyncedMemory::TakeOwn(const std::string& decision_id) {
  std::lock_guard lock(own_mu_);
  return own_.erase(decision_id) > 0;
}

void SyncedMemory::PruneOwn(int64_t generation, bool completed) {
  const int64_t now = clock_.NowMillis();
  std::lock_guard lock(own_mu_);
  std::erase_if(own_, [&](const auto& entry) {
    const OwnDecision& own = entry.second;
    // Stored before this catch-up began, so it would have read it: it never will.
    if (own.recorded_in >= 0) return completed && own.recorded_in < generation;
    return now - own.noted_ms > kUnstoredOwnMs;
  });
}

Footprint SyncedMemory::Trace(const core::Comment& comment, const text::TextAnalysis& text,
                              std::string_view site_url) const {
  return local_->Trace(comment, text, site_url);
}

signals::History SyncedMemory::Recall(const Sighting& sighting) {
  const int64_t now = clock_.NowMillis();
  if (!sighting.decision_id.empty()) {
    // Before it is stored: the catch-up may read it back at any time after that.
    std::lock_guard lock(own_mu_);
    own_.try_emplace(sighting.decision_id, OwnDecision{now, -1});
  }
  if (now - caught_up_ms_.load() >= refresh_ms_) {
    // One check catches up; the others go on with what memory has.
    std::unique_lock lock(sync_mu_, std::try_to_lock);
    if (lock.owns_lock()) {
      caught_up_ms_ = now;
      bool complete = false;
      core::Status s =
          CatchUpLocked(now - local_->options().RebuildSpanMs(), kCatchUpPages, &complete);
      // More was stored than one catch-up reads: the next check goes on with it. After an
      // error, the next try waits for the interval.
      if (s.ok() && !complete) caught_up_ms_ = now - refresh_ms_;
    }
  }
  return local_->Recall(sighting);
}

void SyncedMemory::Record(const Sighting& sighting, Lesson lesson) {
  if (!sighting.decision_id.empty()) {
    // Stored by now: a catch-up that starts from here on reads it back (and skips it).
    std::lock_guard lock(own_mu_);
    if (auto it = own_.find(sighting.decision_id); it != own_.end()) {
      it->second.recorded_in = generation_.load();
    }
  }
  local_->Record(sighting, lesson);
}

void SyncedMemory::Learn(const Correction& correction) {
  std::lock_guard lock(sync_mu_);
  if (correction.feedback_id != 0) {
    if (read_back_.erase(correction.feedback_id) > 0) return;  // a catch-up learnt it first
    learnt_ahead_.emplace(correction.feedback_id, generation_.load());
  }
  local_->Learn(correction);
}

}  // namespace hamlet::engine
