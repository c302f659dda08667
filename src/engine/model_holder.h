// ModelSnapshot and ModelHolder: the model a check is judged by, swappable while serving.
// A snapshot is immutable: classifier, input mode and policy travel together, so one check
// never mixes the classifier of one model with the thresholds of another, and the version it
// records is the one that judged it.
#pragma once

#include <memory>
#include <string>

#include "classifier/classifier.h"
#include "core/shared_snapshot.h"
#include "decision/policy.h"
#include "text/normalize.h"

namespace hamlet::engine {

struct ModelSnapshot {
  std::shared_ptr<const classifier::Classifier> classifier;  // never null
  text::InputMode input = text::InputMode::kFields;  // how the model's input is built
  decision::Policy policy;                           // thresholds for this model
  // The classifier's Version(), recorded with every decision it makes.
  const std::string& version() const { return classifier->Version(); }
};

// Thread-safety: Current and Replace may be called from any number of threads. A reader
// keeps the snapshot it got alive (and unchanged) for as long as it holds the pointer, so a
// check in flight finishes on the model it started with.
class ModelHolder {
 public:
  // REQUIRES: `initial` and its classifier are not null.
  explicit ModelHolder(std::shared_ptr<const ModelSnapshot> initial);

  // The snapshot in force: a pointer copy under a lock held for nothing else.
  std::shared_ptr<const ModelSnapshot> Current() const;

  // Puts `next` in force and returns the one it replaces.
  // REQUIRES: `next` and its classifier are not null.
  std::shared_ptr<const ModelSnapshot> Replace(std::shared_ptr<const ModelSnapshot> next);

 private:
  core::SharedSnapshot<ModelSnapshot> current_;
};

}  // namespace hamlet::engine
