// Eventually: polls a condition that a background thread makes true, for tests of workers.
#pragma once

#include <chrono>
#include <thread>

namespace hamlet::testing {

// Polls `done` every 10 ms until it is true or `limit` has passed; returns its last answer.
template <typename Done>
bool Eventually(Done done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace hamlet::testing
