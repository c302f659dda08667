// GroupCommitQueue: many threads hand in writes, one writer thread commits them in batches, so
// N concurrent writers cost one transaction (one fsync) instead of N. Knows nothing of SQL.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/histogram.h"
#include "core/status.h"

namespace hamlet::store {

// One queued write. Callers derive from it to carry their payload; the commit function sets
// `status` (and any result fields) before the queue marks the write done.
struct PendingWrite {
  core::Status status;

 private:
  friend class GroupCommitQueue;
  bool done_ = false;  // guarded by GroupCommitQueue::mu_
  // Its caller waits here, so that a batch wakes only its own callers: with one condition
  // variable for all, every caller queued for the next batch woke too, for nothing.
  std::condition_variable done_cv_;
};

// Thread-safety: Submit may be called from any thread; the commit function runs only on the
// queue's own writer thread, one batch at a time.
class GroupCommitQueue {
 public:
  // Commits a batch of 1..max_batch writes, oldest first, setting each one's status.
  // Must not throw.
  using CommitFn = std::function<void(const std::vector<PendingWrite*>& batch)>;

  // Starts the writer thread. REQUIRES: max_batch >= 1.
  GroupCommitQueue(int max_batch, CommitFn commit);
  // Stop().
  ~GroupCommitQueue();
  GroupCommitQueue(const GroupCommitQueue&) = delete;
  GroupCommitQueue& operator=(const GroupCommitQueue&) = delete;

  // Queues `write`, blocks until its batch is committed and returns its status. `write` must
  // stay alive until then (it does: the caller is blocked). Unavailable once Stop() has begun.
  core::Status Submit(PendingWrite& write);

  // Stops accepting writes, commits everything already queued, joins the writer. Idempotent.
  void Stop();

  // Batches handed to the commit function so far.
  uint64_t BatchCount() const;
  // How long Submit blocked, in seconds: the wait in the queue plus the commit of the batch.
  core::HistogramSnapshot WaitSeconds() const { return wait_seconds_.Snapshot(); }

 private:
  void WriterLoop();

  const size_t max_batch_;
  const CommitFn commit_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // writer waits: queue non-empty or stopping
  std::deque<PendingWrite*> queue_;  // guarded by mu_
  bool stopping_ = false;            // guarded by mu_
  uint64_t batches_ = 0;             // guarded by mu_
  core::Histogram wait_seconds_{core::Histogram::LatencySecondsBounds()};
  std::thread writer_;               // started last, in the constructor body
};

}  // namespace hamlet::store
