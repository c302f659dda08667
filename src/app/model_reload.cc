// Model loading shared by Open and the hot reload.
#include "app/model_reload.h"

#include <utility>

#include "classifier/fasttext_classifier.h"

namespace hamlet::app {
namespace {

// The same code, with the message prefixed: the caller learns that nothing changed.
core::Status Refused(const core::Status& why, const std::string& serving) {
  const std::string msg = "reload refused, still serving " + serving + ": " + why.message();
  switch (why.code()) {
    case core::StatusCode::kNotFound: return core::Status::NotFound(msg);
    case core::StatusCode::kInvalidArgument: return core::Status::InvalidArgument(msg);
    case core::StatusCode::kUnavailable: return core::Status::Unavailable(msg);
    default: return core::Status::Internal(msg);
  }
}

}  // namespace

core::Result<LoadedModel> LoadModel(const std::string& path, const decision::Policy& policy,
                                    bool use_model_thresholds) {
  auto classifier = classifier::FastTextClassifier::Load(path);
  if (!classifier) return classifier.error();
  // The sidecar (models/NAME.json) is optional: without it, the defaults.
  auto meta = ReadModelMeta(path);
  if (!meta) return meta.error();
  LoadedModel loaded;
  loaded.meta = meta->value_or(ModelMeta{});
  auto snapshot = std::make_shared<engine::ModelSnapshot>();
  snapshot->classifier = std::move(*classifier);
  snapshot->input = loaded.meta.input;
  snapshot->policy = use_model_thresholds ? ApplyThresholds(loaded.meta, policy) : policy;
  if (auto valid = snapshot->policy.Validate(); !valid.ok()) return valid;
  loaded.snapshot = std::move(snapshot);
  return loaded;
}

ModelReloader::ModelReloader(engine::Filter& filter, const core::Clock& clock,
                             std::string model_path, decision::Policy policy,
                             bool use_model_thresholds)
    : filter_(filter),
      clock_(clock),
      model_path_(std::move(model_path)),
      policy_(policy),
      use_model_thresholds_(use_model_thresholds) {}

core::Result<ReloadOutcome> ModelReloader::Reload() {
  std::lock_guard reloading(reload_mu_);
  auto loaded = LoadModel(model_path_, policy_, use_model_thresholds_);
  if (!loaded) return Refused(loaded.error(), filter_.ModelVersion());
  ReloadOutcome outcome;
  outcome.current = loaded->snapshot->version();
  outcome.previous = filter_.ReplaceModel(std::move(loaded->snapshot))->version();
  std::lock_guard lock(stats_mu_);
  stats_.reloads += 1;
  stats_.last_reload_ms = clock_.NowMillis();
  outcome.reloads = stats_.reloads;
  return outcome;
}

ReloadStats ModelReloader::Stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

}  // namespace hamlet::app
