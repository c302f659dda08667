// Model loading shared by Open and the hot reload.
#include "app/model_reload.h"

#include <string_view>
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

// "name@1a2b3c4d" -> "1a2b3c4d": the content-hash part of a model version. The name part
// follows the file name, which a copy or an install may change; the content may not.
std::string_view ContentHash(std::string_view version) {
  const size_t at = version.rfind('@');
  return at == std::string_view::npos ? std::string_view() : version.substr(at + 1);
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
  // A sidecar written for other model bytes would apply thresholds picked for another model:
  // refuse the pair (a reload between the two renames of an install then keeps the old model,
  // and the next reload, with both files in place, succeeds).
  const std::string_view written_for = ContentHash(loaded.meta.model);
  const std::string& version = (*classifier)->Version();
  if (!written_for.empty() && written_for != ContentHash(version)) {
    return core::Status::InvalidArgument("model metadata '" + ModelMetaPath(path) +
                                         "' was written for model " + loaded.meta.model +
                                         ", but '" + path + "' is " + version);
  }
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
      policy_(policy),
      use_model_thresholds_(use_model_thresholds),
      model_path_(std::move(model_path)) {}

core::Result<ReloadOutcome> ModelReloader::Reload() { return ReloadFrom(model_path()); }

core::Result<ReloadOutcome> ModelReloader::ReloadFrom(const std::string& path) {
  std::lock_guard reloading(reload_mu_);
  auto loaded = LoadModel(path, policy_, use_model_thresholds_);
  if (!loaded) return Refused(loaded.error(), filter_.ModelVersion());
  ReloadOutcome outcome;
  outcome.current = loaded->snapshot->version();
  outcome.previous = filter_.ReplaceModel(std::move(loaded->snapshot))->version();
  std::lock_guard lock(stats_mu_);
  model_path_ = path;
  stats_.reloads += 1;
  stats_.last_reload_ms = clock_.NowMillis();
  outcome.reloads = stats_.reloads;
  return outcome;
}

std::string ModelReloader::model_path() const {
  std::lock_guard lock(stats_mu_);
  return model_path_;
}

ReloadStats ModelReloader::Stats() const {
  std::lock_guard lock(stats_mu_);
  return stats_;
}

}  // namespace hamlet::app
