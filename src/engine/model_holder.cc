// The swappable model snapshot.
#include "engine/model_holder.h"

#include <cassert>
#include <utility>

namespace hamlet::engine {

ModelHolder::ModelHolder(std::shared_ptr<const ModelSnapshot> initial)
    : current_(std::move(initial)) {
  assert(Current() != nullptr && Current()->classifier != nullptr);
}

std::shared_ptr<const ModelSnapshot> ModelHolder::Current() const { return current_.Load(); }

std::shared_ptr<const ModelSnapshot> ModelHolder::Replace(
    std::shared_ptr<const ModelSnapshot> next) {
  assert(next != nullptr && next->classifier != nullptr);
  return current_.Exchange(std::move(next));
}

}  // namespace hamlet::engine
