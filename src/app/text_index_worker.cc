// One pass of the text indexer: index until nothing waits.
#include "app/text_index_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace hamlet::app {

TextIndexWorker::TextIndexWorker(store::Store& store, std::chrono::milliseconds interval)
    : store_(store),
      task_(interval, [this](const std::function<bool()>& stopping) { Pass(stopping); }) {}

void TextIndexWorker::Pass(const std::function<bool()>& stopping) {
  while (!stopping()) {
    const auto started = std::chrono::steady_clock::now();
    auto indexed = store_.CatchUpTextIndex(kBatchRows);
    if (!indexed) {
      if (!failing_) spdlog::warn("text index: cannot update: {}", indexed.error().ToString());
      failing_ = true;
      return;
    }
    if (failing_) spdlog::info("text index: updating again");
    failing_ = false;
    indexed_.fetch_add(*indexed);
    if (*indexed < kBatchRows) return;
    // Each batch holds the store's write lock, and a mutex is not fair: taken again at once,
    // it kept the group commit waiting for the whole pass (every check stalled 100-200 ms
    // once a second at 1,800 checks/s). Pausing as long as the batch took lets the waiting
    // commits in and caps the indexer at about half of the write lock's time. The pause is
    // bounded (a batch that waited for a lock took long without holding it) so that Stop()
    // is not held up.
    std::this_thread::sleep_for(std::clamp<std::chrono::steady_clock::duration>(
        std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1),
        std::chrono::milliseconds(50)));
  }
}

}  // namespace hamlet::app
