// SharedSnapshot<T>: the version of an immutable value in force, read by many threads and
// replaced by one at a time (models, per-site settings, allow/block lists).
#pragma once

#include <memory>
#include <mutex>
#include <utility>

namespace hamlet::core {

// A mutex, not std::atomic<std::shared_ptr>: libstdc++ 12's atomic load releases its internal
// lock with a relaxed store, so a store may write the pointer while a load is still reading
// it, a data race ThreadSanitizer reports (scripts/tsan.sh). The lock is held only to copy or
// swap the pointer; the value replaced is released after the lock, so a big snapshot's
// destruction never holds up readers.
template <typename T>
class SharedSnapshot {
 public:
  SharedSnapshot() = default;
  explicit SharedSnapshot(std::shared_ptr<const T> initial) : current_(std::move(initial)) {}
  SharedSnapshot(const SharedSnapshot&) = delete;
  SharedSnapshot& operator=(const SharedSnapshot&) = delete;

  // The value in force (null until the first Store when default-constructed).
  std::shared_ptr<const T> Load() const {
    std::lock_guard lock(mu_);
    return current_;
  }

  // Puts `next` in force and returns the value it replaces.
  std::shared_ptr<const T> Exchange(std::shared_ptr<const T> next) {
    {
      std::lock_guard lock(mu_);
      std::swap(current_, next);
    }
    return next;
  }

  // Puts `next` in force; the value it replaces is released here, after the lock.
  void Store(std::shared_ptr<const T> next) { (void)Exchange(std::move(next)); }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const T> current_;  // guarded by mu_
};

}  // namespace hamlet::core
