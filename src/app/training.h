// Training the classifier from labeled JSONL: the text layer's ModelInput for every comment,
// then the fastText trainer. Lives in app so the CLI reaches text and classifier through it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "classifier/fasttext_trainer.h"
#include "core/status.h"
#include "engine/evaluation.h"
#include "text/normalize.h"

namespace hamlet::app {

struct TrainingReport {
  long examples = 0, spam = 0, ham = 0;
  int64_t model_bytes = 0;
  std::string model_version;  // as the service will report it
  // Counts on the validation file at P(spam) >= 0.5, from the classifier alone.
  struct Validation {
    long tp = 0, fp = 0, tn = 0, fn = 0;
  };
  std::optional<Validation> validation;
  // The options the model was trained with: autotune's choice when autotune_seconds > 0.
  classifier::TrainOptions trained_with;
  bool autotuned = false;
};

struct ModelMeta;

// The fastText settings a model was trained with, as TrainFromExamples records them in its
// sidecar (training.fasttext, quantized, max_model_bytes), so a retrained model is trained
// like for like. Settings the sidecar lacks keep TrainOptions' defaults. input, output and
// on_progress are left empty.
classifier::TrainOptions TrainOptionsFromMeta(const ModelMeta& meta);

// A named group of labeled comments to train on; the name and its counts are recorded in the
// sidecar's training data (a file name for TrainFromJsonl).
struct LabeledSet {
  std::string name;
  std::vector<engine::LabeledComment> rows;
};

// TrainFromJsonl with the comments already in memory, in `sets`.
core::Result<TrainingReport> TrainFromExamples(const std::vector<LabeledSet>& sets,
                                               const std::string& validation,
                                               classifier::TrainOptions options,
                                               text::InputMode input = text::InputMode::kFields,
                                               int autotune_seconds = 0);

// Reads every file of `data` (app::ReadLabeledJsonl), writes a temporary fastText training
// file next to options.output ("__label__spam "/"__label__ham " + text::ModelInput(c, input)),
// trains with `options` (its input is set here) and loads the result to check it. Then writes
// the model's sidecar (app::ModelMeta: the input mode and the training metadata, no
// thresholds) beside it. `validation`, when not empty, is a labeled JSONL file scored with the
// new model. With `autotune_seconds` > 0 the fastText parameters of `options` are first
// searched for that long (classifier::AutotuneSupervised, F1 of spam on `validation`, which is
// then required); the chosen ones are used, reported in trained_with and recorded in the
// sidecar. Errors: those of ReadLabeledJsonl, InvalidArgument when the data lacks spam or
// ham, when autotune_seconds < 0 or autotune has no validation file, TrainSupervised's,
// AutotuneSupervised's and WriteModelMeta's.
core::Result<TrainingReport> TrainFromJsonl(const std::vector<std::string>& data,
                                            const std::string& validation,
                                            classifier::TrainOptions options,
                                            text::InputMode input = text::InputMode::kFields,
                                            int autotune_seconds = 0);

}  // namespace hamlet::app
