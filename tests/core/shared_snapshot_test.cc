// SharedSnapshot: readers always see a whole value, and the value replaced is handed back.
#include "core/shared_snapshot.h"

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace hamlet::core {
namespace {

// Two copies of one number: a torn or freed value would show them apart.
struct Pair {
  explicit Pair(long v) : a(v), b(v) {}
  long a;
  long b;
};

TEST_SUITE("core/shared_snapshot") {
  TEST_CASE("Exchange returns the value it replaced and Load the one in force") {
    SharedSnapshot<Pair> snap(std::make_shared<const Pair>(1));
    CHECK(snap.Load()->a == 1);
    auto old = snap.Exchange(std::make_shared<const Pair>(2));
    REQUIRE(old != nullptr);
    CHECK(old->a == 1);
    CHECK(snap.Load()->a == 2);
    snap.Store(std::make_shared<const Pair>(3));
    CHECK(snap.Load()->b == 3);
    SharedSnapshot<Pair> empty;
    CHECK(empty.Load() == nullptr);
  }

  TEST_CASE("readers on four threads see whole values while a writer replaces them") {
    // Run under scripts/tsan.sh too: std::atomic<std::shared_ptr> of libstdc++ 12 fails it.
    SharedSnapshot<Pair> snap(std::make_shared<const Pair>(0));
    std::atomic<bool> done{false};
    std::atomic<long> torn{0}, reads{0}, backwards{0};
    std::atomic<int> started{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t) {
      readers.emplace_back([&] {
        started.fetch_add(1);
        long last = 0;
        while (!done.load()) {
          std::shared_ptr<const Pair> p = snap.Load();
          if (p->a != p->b) torn.fetch_add(1);
          if (p->a < last) backwards.fetch_add(1);  // one writer: values only grow
          last = p->a;
          reads.fetch_add(1);
        }
      });
    }
    // On a loaded machine the readers may not run before a fixed number of stores is over, so
    // the writer waits for them to start and goes on until they have read during its stores.
    while (started.load() < 4) std::this_thread::yield();
    long v = 0;
    while (v < 20000 || reads.load() < 1000) snap.Store(std::make_shared<const Pair>(++v));
    const long last_stored = v;
    done = true;
    for (auto& r : readers) r.join();
    CHECK(torn.load() == 0);
    CHECK(backwards.load() == 0);
    CHECK(snap.Load()->a == last_stored);
  }
}

}  // namespace
}  // namespace hamlet::core
