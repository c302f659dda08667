// Retraining from moderators (`hamlet retrain`): base data plus the store's feedback become a
// candidate model, trained like the current one, tuned and compared on held-out parts, and
// installed beside the current model only when it is no worse.
#pragma once

#include <string>
#include <vector>

#include "app/model_meta.h"
#include "core/status.h"
#include "engine/evaluation.h"
#include "engine/filter.h"
#include "engine/retraining.h"
#include "store/store.h"

namespace hamlet::app {

struct RetrainOptions {
  std::vector<std::string> base;  // labeled JSONL files (app::ReadLabeledJsonl)
  std::string current_model;      // the model file in service
  std::string candidate_out;      // where the candidate is written; empty: CandidatePath()
  int holdout_percent = 20;       // 1..99
  int feedback_page_size = 1000;  // feedback rows read from the store at a time
};

// Examples on one side of the split, by where they came from and by label.
struct SideCounts {
  long base = 0, feedback = 0, spam = 0, ham = 0;
  long total() const { return base + feedback; }
};

struct RetrainReport {
  SideCounts train, tune, test;
  long duplicates = 0;       // examples whose normalized text was there already
  long label_conflicts = 0;  // of those, texts seen with both labels
  std::string current_version, candidate_version;
  std::string candidate_path;
  ModelMeta::Thresholds current_thresholds;  // as served (defaults when the sidecar has none)
  bool current_has_thresholds = false;
  ModelMeta::Thresholds candidate_thresholds;  // picked on the tune part
  engine::Metrics current, candidate;          // both on the test part, at served thresholds
  engine::InstallDecision decision;
};

// "dir/NAME.ftz" -> "dir/NAME.candidate.ftz".
std::string CandidatePath(const std::string& model_path);

// Builds the examples (base files, then stored feedback oldest first: engine::ExampleSet),
// splits them (engine::SplitOf), trains the candidate on the train part with the current
// model's settings and input mode (TrainOptionsFromMeta, TrainFromExamples), picks its
// thresholds on the tune part for the current model's target FPR (default 1%), writes them in
// the candidate's sidecar, and evaluates `current` and the candidate on the test part.
// Installs nothing. Errors: InvalidArgument for a candidate path that is the current model or
// shares its sidecar, unreadable or missing base files, no examples at all, a part without
// spam or ham (named), or a bad holdout; the store's and the trainer's.
core::Result<RetrainReport> Retrain(store::Store& store, const engine::Filter& current,
                                    const ModelMeta& current_meta, const RetrainOptions& options);

// Replaces `model_path` and its sidecar by `candidate_path` and its sidecar, each through a
// temporary file and a rename in the model's directory, after keeping the previous ones as
// MODEL.prev and MODEL.prev.json (a missing previous sidecar removes MODEL.prev.json). The
// sidecar is written before the model: a reload in between is refused (LoadModel checks that
// the sidecar was written for the model's bytes) and the old model keeps serving. When the
// model cannot be replaced, the previous sidecar is put back. The candidate's files are
// removed afterwards. InvalidArgument when the candidate is the model (or shares its
// sidecar), NotFound when the candidate is missing, Internal when a file cannot be copied or
// renamed.
core::Status InstallModel(const std::string& candidate_path, const std::string& model_path);

}  // namespace hamlet::app
