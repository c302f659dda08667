// Filter: the one pipeline every front door uses (HTTP Akismet, HTTP native, CLI):
// normalize -> classify -> signals -> decide -> log durably -> answer.
//
// Thread-safety: Check, Score, ModelVersion, Model and ReplaceModel may be called
// concurrently. Each check reads the model snapshot (engine::ModelHolder) once and is judged
// and recorded entirely by it; a replacement applies to the checks that start after it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "classifier/classifier.h"
#include "core/clock.h"
#include "core/comment.h"
#include "core/decision.h"
#include "core/status.h"
#include "decision/policy.h"
#include "engine/model_holder.h"
#include "store/store.h"
#include "text/normalize.h"

namespace hamlet::engine {

struct CheckOutcome {
  std::string id;  // the decision's guid (32 lowercase hex)
  core::Decision decision;
  std::string model_version;  // the version of the snapshot that judged it
};

class Filter {
 public:
  // `classifier`, `store` and `clock` must outlive the Filter. `input` is how the model's
  // input is built from a comment: the mode the model was trained with (app::ModelMeta).
  Filter(const classifier::Classifier& classifier, store::Store& store, decision::Policy policy,
         const core::Clock& clock, text::InputMode input = text::InputMode::kFields);
  // Serves `model` until ReplaceModel. `store` and `clock` must outlive the Filter.
  // REQUIRES: `model` and its classifier are not null.
  Filter(std::shared_ptr<const ModelSnapshot> model, store::Store& store,
         const core::Clock& clock);

  // Judges `comment` for the site of `key`, stores the decision (durably, before returning)
  // and returns it. A check with recheck_reason is linked to the first decision on the same
  // comment (DecisionRecord::recheck_of, see FindOriginalDecision) when there is one.
  // `channel` is "akismet", "v1" or "cli". Unavailable when the store cannot
  // record it: then no verdict is given, since an unlogged verdict is not allowed.
  core::Result<CheckOutcome> Check(const core::Comment& comment, const store::SiteKey& key,
                                   std::string_view channel) const;

  // The same judgement without storing anything (evaluation, dry runs).
  core::Result<core::Decision> Score(const core::Comment& comment) const;

  // The version of the model in force (a copy: the model may be replaced meanwhile).
  std::string ModelVersion() const { return model_.Current()->version(); }

  // The snapshot in force.
  std::shared_ptr<const ModelSnapshot> Model() const { return model_.Current(); }
  // Serves `next` from the next check on and returns the snapshot it replaces; checks in
  // flight finish on theirs. REQUIRES: `next` and its classifier are not null.
  std::shared_ptr<const ModelSnapshot> ReplaceModel(std::shared_ptr<const ModelSnapshot> next) {
    return model_.Replace(std::move(next));
  }

 private:
  static core::Result<core::Decision> ScoreWith(const ModelSnapshot& model,
                                                const core::Comment& comment);

  ModelHolder model_;
  store::Store& store_;
  const core::Clock& clock_;
};

}  // namespace hamlet::engine
