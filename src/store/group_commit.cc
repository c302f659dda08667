// The writer loop of GroupCommitQueue. Batching needs no timer: while the writer is busy
// committing (and fsyncing) one batch, the next callers pile up in the queue and go together.
#include "store/group_commit.h"

#include <cassert>
#include <chrono>
#include <utility>

namespace hamlet::store {

GroupCommitQueue::GroupCommitQueue(int max_batch, CommitFn commit)
    : max_batch_(static_cast<size_t>(max_batch < 1 ? 1 : max_batch)), commit_(std::move(commit)) {
  assert(max_batch >= 1);
  writer_ = std::thread([this] { WriterLoop(); });
}

GroupCommitQueue::~GroupCommitQueue() { Stop(); }

core::Status GroupCommitQueue::Submit(PendingWrite& write) {
  const auto started = std::chrono::steady_clock::now();
  {
    std::unique_lock lock(mu_);
    if (stopping_) return core::Status::Unavailable("the store is closing");
    write.done_ = false;
    queue_.push_back(&write);
    work_cv_.notify_one();
    write.done_cv_.wait(lock, [&write] { return write.done_; });
  }
  wait_seconds_.Observe(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return write.status;
}

void GroupCommitQueue::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_one();
  if (writer_.joinable()) writer_.join();
}

uint64_t GroupCommitQueue::BatchCount() const {
  std::lock_guard lock(mu_);
  return batches_;
}

void GroupCommitQueue::WriterLoop() {
  std::vector<PendingWrite*> batch;
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    // Drain before exiting: a write queued before Stop() is committed, not dropped.
    if (queue_.empty()) return;
    batch.clear();
    while (!queue_.empty() && batch.size() < max_batch_) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    ++batches_;
    lock.unlock();
    commit_(batch);  // writes each status; published to the callers by mu_ below
    lock.lock();
    // Under mu_: a caller cannot return (and destroy its write) before its notify is done.
    for (PendingWrite* w : batch) {
      w->done_ = true;
      w->done_cv_.notify_one();
    }
  }
}

}  // namespace hamlet::store
