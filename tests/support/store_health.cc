// Waiting for a store to become writable again (see store_health.h).
#include "support/store_health.h"

#include <chrono>
#include <thread>

namespace hamlet::testing {

core::Status WaitUntilWritable(store::Store& store) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  core::Status s = store.CheckWritable();
  while (!s.ok() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // poll, not a sync
    s = store.CheckWritable();
  }
  return s;
}

}  // namespace hamlet::testing
