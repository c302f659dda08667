// SyncedMemory: a LocalMemory kept in step with the store, so it survives restarts and sees
// what other processes and nodes store. At start it reads the decisions and feedback of the
// last MemoryOptions::RebuildSpanMs() (their stored traces; decisions without one are
// re-analysed from their stored fields). While serving, a check that finds the last catch-up
// older than `refresh_ms` reads what was stored since: decisions other processes stored (another
// hamletd on the same PostgreSQL database, `hamlet check` on the same SQLite file), counted as
// the rebuild counts them, and all feedback (e.g. `hamlet mark-spam` in another process).
// Decisions and feedback made through this process are learnt at once, and not twice.
//
// Retention: memory holds only salted hashes and counts. Decisions and feedback deleted from
// the store stay in a running memory until they expire (horizon, window) and are gone after
// the next restart; nothing personal is kept beyond the rows themselves.
//
// Thread-safety: every method may be called concurrently.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"
#include "engine/local_memory.h"
#include "engine/signal_memory.h"
#include "engine/stored_trace.h"
#include "store/store.h"

namespace hamlet::engine {

struct RebuildStats {
  long decisions = 0;  // remembered
  long feedback = 0;   // labels learnt
  long undos = 0;      // labels taken back by an undo
  long skipped = 0;    // tests, rechecks, unreadable traces
  int64_t since_ms = 0;
  double elapsed_ms = 0.0;
};

class SyncedMemory final : public SignalMemory {
 public:
  // Reads the install's memory salt from the store's meta table (creating it the first time),
  // then rebuilds. `store` and `clock` must outlive the memory. Errors: the store's, or
  // InvalidArgument for bad options.
  static core::Result<std::unique_ptr<SyncedMemory>> Open(store::Store& store,
                                                          const core::Clock& clock,
                                                          const MemoryOptions& options,
                                                          int64_t refresh_ms = 2000);

  Footprint Trace(const core::Comment& comment, const text::TextAnalysis& text,
                  std::string_view site_url) const override;
  signals::History Recall(const Sighting& sighting) override;
  void Record(const Sighting& sighting, Lesson lesson) override;
  void Learn(const Correction& correction) override;

  // Learns everything stored since the last catch-up by other processes (their decisions) and
  // by anyone (feedback, and undos of feedback: `hamlet undo`), to the end. On error the cursors stay, so the next catch-up tries
  // again from there.
  core::Status CatchUp();

  const RebuildStats& rebuild_stats() const { return rebuild_; }
  const LocalMemory& local() const { return *local_; }

 private:
  // A decision this process is judging (noted by Recall) that the catch-up may read back.
  struct OwnDecision {
    int64_t noted_ms = 0;
    // generation_ when Record counted it (the decision was stored by then); -1 before.
    int64_t recorded_in = -1;
  };

  SyncedMemory(store::Store& store, const core::Clock& clock, std::unique_ptr<LocalMemory> local,
               int64_t refresh_ms);
  core::Status Rebuild();
  // Reads at most `max_pages` pages of each stream (0: no limit) and says in `complete` whether
  // both reached the end; counts what it learnt in `tally` when given. REQUIRES: sync_mu_ held
  // (also for the three streams' own functions).
  core::Status CatchUpLocked(int64_t since_ms, int max_pages, bool* complete,
                             RebuildStats* tally = nullptr);
  core::Status CatchUpDecisionsLocked(int64_t since_ms, int max_pages, bool* done,
                                      RebuildStats* tally);
  core::Status CatchUpFeedbackLocked(int64_t since_ms, int max_pages, bool* done,
                                     RebuildStats* tally);
  core::Status CatchUpRevocationsLocked(int64_t since_ms, int max_pages, bool* done,
                                        RebuildStats* tally);
  // True, forgetting it, when `decision_id` is one this process noted (its own).
  bool TakeOwn(const std::string& decision_id);
  // Forgets own decisions the catch-up will not read back: those counted before catch-up
  // `generation` started (when it completed), and those never stored.
  void PruneOwn(int64_t generation, bool completed);

  store::Store& store_;
  const core::Clock& clock_;
  std::unique_ptr<LocalMemory> local_;
  const int64_t refresh_ms_;
  RebuildStats rebuild_;
  std::atomic<int64_t> caught_up_ms_{0};
  std::mutex sync_mu_;
  store::FeedbackPosition cursor_;  // the last feedback row read from the store; sync_mu_
  store::RevocationPosition undone_;  // the last revocation read from the store; sync_mu_
  // Feedback learnt through Learn before the catch-up read it back, by id: the generation_
  // when it was learnt (it was committed by then). sync_mu_
  std::unordered_map<int64_t, int64_t> learnt_ahead_;
  // Feedback the catch-up learnt since the rebuild, by id: when it was read, so that a Learn
  // of the same row coming after it is skipped. Kept kUnstoredOwnMs. sync_mu_
  std::unordered_map<int64_t, int64_t> read_back_;
  bool rebuilt_ = false;                // the rebuild is over; sync_mu_
  store::DecisionPosition position_;    // the last decision read from the store; sync_mu_
  std::atomic<int64_t> generation_{0};  // catch-ups started
  std::mutex own_mu_;
  std::unordered_map<std::string, OwnDecision> own_;  // by decision id; own_mu_
};

}  // namespace hamlet::engine
