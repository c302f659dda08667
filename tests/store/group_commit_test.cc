// Tests for GroupCommitQueue: batching, statuses reaching their callers, draining on Stop.
#include "store/group_commit.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace hamlet::store {
namespace {

struct NumberWrite : PendingWrite {
  int n = 0;
};

TEST_SUITE("store/group_commit") {
  TEST_CASE("hands each caller the status its write was given") {
    GroupCommitQueue queue(4, [](const std::vector<PendingWrite*>& batch) {
      for (PendingWrite* w : batch) {
        if (static_cast<NumberWrite*>(w)->n % 2 != 0) {
          w->status = core::Status::InvalidArgument("odd");
        }
      }
    });
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 50; ++i) {
          NumberWrite w;
          w.n = t * 50 + i;
          core::Status s = queue.Submit(w);
          if (s.ok() != (w.n % 2 == 0)) ++wrong;
        }
      });
    }
    for (std::thread& t : threads) t.join();
    CHECK(wrong.load() == 0);
  }

  TEST_CASE("batches writers that queue while a commit is in progress") {
    std::vector<size_t> sizes;  // only touched by the writer thread until Stop()
    GroupCommitQueue queue(3, [&sizes](const std::vector<PendingWrite*>& batch) {
      sizes.push_back(batch.size());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a slow fsync
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < 7; ++t) {
      threads.emplace_back([&] {
        NumberWrite w;
        CHECK(queue.Submit(w).ok());
      });
    }
    for (std::thread& t : threads) t.join();
    queue.Stop();
    size_t total = 0;
    for (size_t n : sizes) {
      CHECK(n <= 3);  // max_batch
      total += n;
    }
    CHECK(total == 7);
    CHECK(sizes.size() < 7);
    CHECK(queue.BatchCount() == sizes.size());
  }

  TEST_CASE("refuses writes after Stop") {
    GroupCommitQueue queue(8, [](const std::vector<PendingWrite*>&) {});
    queue.Stop();
    queue.Stop();  // idempotent
    NumberWrite w;
    CHECK(queue.Submit(w).code() == core::StatusCode::kUnavailable);
  }
}

}  // namespace
}  // namespace hamlet::store
