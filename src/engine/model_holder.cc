// The swappable model snapshot.
#include "engine/model_holder.h"

#include <cassert>
#include <utility>

namespace hamlet::engine {

ModelHolder::ModelHolder(std::shared_ptr<const ModelSnapshot> initial)
    : current_(std::move(initial)) {
  assert(Current() != nullptr && Current()->classifier != nullptr);
}

std::shared_ptr<const ModelSnapshot> ModelHolder::Current() const {
  std::lock_guard lock(mu_);
  return current_;
}

std::shared_ptr<const ModelSnapshot> ModelHolder::Replace(
    std::shared_ptr<const ModelSnapshot> next) {
  assert(next != nullptr && next->classifier != nullptr);
  std::lock_guard lock(mu_);
  std::swap(current_, next);
  return next;  // the one replaced
}

}  // namespace hamlet::engine
