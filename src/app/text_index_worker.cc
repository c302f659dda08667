// One pass of the text indexer: index until nothing waits.
#include "app/text_index_worker.h"

#include <spdlog/spdlog.h>

namespace hamlet::app {

TextIndexWorker::TextIndexWorker(store::Store& store, std::chrono::milliseconds interval)
    : store_(store),
      task_(interval, [this](const std::function<bool()>& stopping) { Pass(stopping); }) {}

void TextIndexWorker::Pass(const std::function<bool()>& stopping) {
  while (!stopping()) {
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
  }
}

}  // namespace hamlet::app
