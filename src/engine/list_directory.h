// ListDirectory: the lists snapshot the checks read (signals::Lists), swappable while serving:
// a check keeps the snapshot it started with.
//
// Thread-safety: Current and Replace may be called concurrently.
#pragma once

#include <atomic>
#include <memory>

#include "signals/lists.h"

namespace hamlet::engine {

class ListDirectory {
 public:
  // An empty snapshot until Replace.
  ListDirectory() : current_(std::make_shared<const signals::Lists>()) {}
  explicit ListDirectory(std::shared_ptr<const signals::Lists> initial)
      : current_(std::move(initial)) {}

  std::shared_ptr<const signals::Lists> Current() const { return current_.load(); }
  // REQUIRES: `next` is not null.
  void Replace(std::shared_ptr<const signals::Lists> next) { current_.store(std::move(next)); }

 private:
  std::atomic<std::shared_ptr<const signals::Lists>> current_;
};

}  // namespace hamlet::engine
