// Loading a model with its sidecar into an engine::ModelSnapshot, and ModelReloader: hamletd's
// hot reload (SIGHUP, POST /v1/admin/reload) from the model path it was started with. Open and
// a reload share LoadModel, so a model refused at start is refused on reload, and vice versa.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "app/model_meta.h"
#include "core/clock.h"
#include "core/status.h"
#include "decision/policy.h"
#include "engine/filter.h"
#include "engine/model_holder.h"

namespace hamlet::app {

struct LoadedModel {
  std::shared_ptr<const engine::ModelSnapshot> snapshot;  // never null
  ModelMeta meta;  // the sidecar, or the defaults when the model has none
};

// Loads the fastText model at `path` and the sidecar beside it (ReadModelMeta), and builds
// the snapshot: the sidecar's input mode, and `policy` with the sidecar's thresholds when
// `use_model_thresholds`. Errors name the file: NotFound for a missing model,
// InvalidArgument for a corrupt model or a bad sidecar.
core::Result<LoadedModel> LoadModel(const std::string& path, const decision::Policy& policy,
                                    bool use_model_thresholds);

struct ReloadOutcome {
  std::string previous;  // version that served before
  std::string current;   // version that serves now
  int64_t reloads = 0;   // successful reloads since start, this one included
};

struct ReloadStats {
  int64_t reloads = 0;         // successful reloads since start
  int64_t last_reload_ms = 0;  // when the last one succeeded; 0 when there was none
};

// Thread-safety: Reload and Stats may be called from any thread; reloads run one at a time.
class ModelReloader {
 public:
  // `filter` and `clock` must outlive the reloader. `model_path` is the path the model was
  // loaded from; `policy` and `use_model_thresholds` are Open's, so a reload builds the
  // snapshot exactly as the start did.
  ModelReloader(engine::Filter& filter, const core::Clock& clock, std::string model_path,
                decision::Policy policy, bool use_model_thresholds);

  // Loads model_path() again (LoadModel) and, only when that succeeds, puts it in force.
  // On failure the model in force keeps serving and the error says so and names the file.
  core::Result<ReloadOutcome> Reload();
  // The same for the model at `path` (the model registry's cache file): when it succeeds,
  // `path` becomes model_path(), so a later Reload (SIGHUP) reloads that file.
  core::Result<ReloadOutcome> ReloadFrom(const std::string& path);

  ReloadStats Stats() const;
  // The file the model in force was loaded from.
  std::string model_path() const;

 private:
  engine::Filter& filter_;
  const core::Clock& clock_;
  const decision::Policy policy_;
  const bool use_model_thresholds_;
  std::mutex reload_mu_;         // one reload at a time
  mutable std::mutex stats_mu_;  // guards stats_ and model_path_; never held while a model loads
  ReloadStats stats_;
  std::string model_path_;
};

}  // namespace hamlet::app
