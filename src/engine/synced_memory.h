// SyncedMemory: a LocalMemory kept in step with the store, so it survives restarts and sees
// labels given by other processes. At start it reads the decisions and feedback of the last
// MemoryOptions::RebuildSpanMs() (their stored traces; decisions without one are re-analysed
// from their stored fields). While serving, a check that finds the last catch-up older than
// `refresh_ms` reads the feedback written since (e.g. `hamlet mark-spam` in another process);
// feedback given through this process (FeedbackService) is learnt at once, and not twice.
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
#include <set>
#include <string>

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

  // Learns the feedback stored since the last catch-up. On error the cursor stays, so the next
  // catch-up tries again.
  core::Status CatchUp();

  const RebuildStats& rebuild_stats() const { return rebuild_; }
  const LocalMemory& local() const { return *local_; }

 private:
  SyncedMemory(store::Store& store, const core::Clock& clock, std::unique_ptr<LocalMemory> local,
               int64_t refresh_ms);
  core::Status Rebuild();
  // REQUIRES: sync_mu_ held.
  core::Status CatchUpLocked(int64_t since_ms, long* learnt);

  store::Store& store_;
  const core::Clock& clock_;
  std::unique_ptr<LocalMemory> local_;
  const int64_t refresh_ms_;
  RebuildStats rebuild_;
  std::atomic<int64_t> caught_up_ms_{0};
  std::mutex sync_mu_;
  int64_t cursor_ = 0;              // the last feedback id learnt from the store; sync_mu_
  std::set<int64_t> learnt_ahead_;  // ids > cursor_ learnt through Learn; sync_mu_
};

}  // namespace hamlet::engine
