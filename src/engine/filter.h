// Filter: the one pipeline every front door uses (HTTP Akismet, HTTP native, CLI):
// analyze text -> classify -> recall history -> checks -> decide (with the site's settings)
// -> log durably -> remember -> answer.
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
#include "core/histogram.h"
#include "core/status.h"
#include "decision/policy.h"
#include "engine/list_directory.h"
#include "engine/model_holder.h"
#include "engine/signal_memory.h"
#include "engine/site_directory.h"
#include "store/store.h"
#include "text/normalize.h"

namespace hamlet::engine {

// The Filter's optional collaborators; each may be null (then: default settings for every
// site, nothing remembered, no lists). They must outlive the Filter.
struct FilterContext {
  const SiteDirectory* sites = nullptr;
  SignalMemory* memory = nullptr;
  const ListDirectory* lists = nullptr;
};

// How Score judges a comment that is not stored (evaluation, dry runs, replay).
struct ScoreOptions {
  // The site's settings; null: the defaults (or, with a SiteDirectory, its defaults row).
  const SiteProfile* profile = nullptr;
  // Memory to recall from and record into, e.g. a fresh one replaying a corpus in time
  // order; null: nothing remembered. Overrides the Filter's own memory, which Score never
  // touches.
  SignalMemory* memory = nullptr;
  // The site and decision id memory files the comment under (a replay: the comment's blog or
  // source, and an id of the replay's choosing that later labels name).
  std::string site_url;
  std::string decision_id;
  int64_t now_ms = 0;  // the comment's arrival time for timing and memory; 0: the clock's now
};

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
  Filter(std::shared_ptr<const ModelSnapshot> model, store::Store& store, const core::Clock& clock,
         FilterContext context = {});

  // Judges `comment` for the site of `key`, stores the decision (durably, before returning)
  // and returns it. A check with recheck_reason is linked to the first decision on the same
  // comment (DecisionRecord::recheck_of, see FindOriginalDecision) when there is one.
  // `channel` is "akismet", "v1" or "cli". Unavailable when the store cannot
  // record it: then no verdict is given, since an unlogged verdict is not allowed.
  core::Result<CheckOutcome> Check(const core::Comment& comment, const store::SiteKey& key,
                                   std::string_view channel) const;

  // The same judgement without storing anything (evaluation, dry runs).
  core::Result<core::Decision> Score(const core::Comment& comment,
                                     const ScoreOptions& options = {}) const;

  // How long checks took to judge, in seconds: decoding the text, the model, the signals and
  // memory, before the decision is stored (the store's own stats time the storing).
  core::HistogramSnapshot JudgeSeconds() const { return judge_seconds_.Snapshot(); }

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
  struct Judged {
    core::Decision decision;
    Lesson lesson = Lesson::kNone;  // what memory learns from it (see LessonOf in filter.cc)
  };
  // The whole judgement of `comment` by `model` with `profile`'s settings; recalls from
  // `memory` when it is not null (the caller stores the decision and records the lesson).
  core::Result<Judged> Judge(const ModelSnapshot& model, const SiteProfile& profile,
                             const Sighting& sighting, SignalMemory* memory) const;

  ModelHolder model_;
  FilterContext context_;
  store::Store& store_;
  const core::Clock& clock_;
  mutable core::Histogram judge_seconds_{core::Histogram::LatencySecondsBounds()};
};

}  // namespace hamlet::engine
