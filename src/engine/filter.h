// Filter: the one pipeline every front door uses (HTTP Akismet, HTTP native, CLI):
// normalize -> classify -> signals -> decide -> log durably -> answer.
//
// Thread-safety: Check and Score may be called concurrently.
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
#include "store/store.h"
#include "text/normalize.h"

namespace hamlet::engine {

struct CheckOutcome {
  std::string id;  // the decision's guid (32 lowercase hex)
  core::Decision decision;
  std::string model_version;
};

class Filter {
 public:
  // `classifier`, `store` and `clock` must outlive the Filter. `input` is how the model's
  // input is built from a comment: the mode the model was trained with (app::ModelMeta).
  Filter(const classifier::Classifier& classifier, store::Store& store, decision::Policy policy,
         const core::Clock& clock, text::InputMode input = text::InputMode::kFields);

  // Judges `comment` for the site of `key`, stores the decision (durably, before returning)
  // and returns it. A check with recheck_reason is linked to the first decision on the same
  // comment (DecisionRecord::recheck_of, see FindOriginalDecision) when there is one.
  // `channel` is "akismet", "v1" or "cli". Unavailable when the store cannot
  // record it: then no verdict is given, since an unlogged verdict is not allowed.
  core::Result<CheckOutcome> Check(const core::Comment& comment, const store::SiteKey& key,
                                   std::string_view channel) const;

  // The same judgement without storing anything (evaluation, dry runs).
  core::Result<core::Decision> Score(const core::Comment& comment) const;

  const std::string& ModelVersion() const { return classifier_.Version(); }

 private:
  const classifier::Classifier& classifier_;
  store::Store& store_;
  decision::Policy policy_;
  text::InputMode input_;
  const core::Clock& clock_;
};

}  // namespace hamlet::engine
