// The model registry: a model file published to the store (`hamlet retrain`, `hamlet models
// publish`) on any host, and ModelRegistrySync, which a hamletd node runs every poll interval
// to put the newest published version in force: verified, written to a local cache file and
// hot-reloaded through ModelReloader, so every decision records the version that made it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "app/model_reload.h"
#include "core/status.h"
#include "engine/filter.h"
#include "store/store.h"

namespace hamlet::app {

// Publishes the model at `model_path` and its sidecar (when it has one) as a new registry
// version. The pair is loaded first exactly as hamletd loads it (LoadModel), so a file hamletd
// would refuse is never published. Returns the published row without its bytes (id, version,
// sha256 ...). Errors: NotFound for a missing file, InvalidArgument for a file that is not a
// model or a sidecar that does not fit it, Internal when the file changed while being read,
// and the store's.
core::Result<store::PublishedModel> PublishModelFile(store::Store& store,
                                                     const std::string& model_path,
                                                     const std::string& publisher, int64_t now_ms);

// "$USER@hostname" (the user from the password database without $USER; "unknown" when not
// known): who publishes, for listings.
std::string DefaultPublisher();

// <directory of model_path>/registry: where a node caches published models by default.
std::filesystem::path DefaultModelCacheDir(const std::string& model_path);

// What one poll of the registry came to.
struct RegistryPoll {
  enum class Outcome {
    kEmpty,          // nothing published yet
    kCurrent,        // the newest published version is the one in force
    kReloaded,       // the newest published version is now in force
    kRefused,        // the newest is corrupt or not a valid model; the old model keeps serving
    kRefusedBefore,  // the same refused publication again: nothing tried, nothing to log
  };
  Outcome outcome = Outcome::kEmpty;
  store::PublishedModel newest;  // without its bytes; id 0 when kEmpty
  ReloadOutcome reload;          // for kReloaded
  std::string why;               // for kRefused: what is wrong with it
};

// Thread-safety: Poll is called from one thread at a time (the poll worker); the reloader and
// the filter it uses are safe to share with the HTTP handlers.
class ModelRegistrySync {
 public:
  // `store`, `filter` and `reloader` must outlive this. Published files are written under
  // `cache_dir`/<id>/ (created when missing); several nodes may share the folder.
  ModelRegistrySync(store::Store& store, const engine::Filter& filter, ModelReloader& reloader,
                    std::filesystem::path cache_dir);

  // Reads the newest publication's head; when its version differs from the model in force,
  // reads its bytes, checks them against its sha256 and its version, writes them (and the
  // sidecar) to the cache and reloads from there (ModelReloader::ReloadFrom), then removes
  // older cached versions. A corrupt or invalid publication is kRefused once and kRefusedBefore
  // on later polls until a newer one is published. Errors (retried at the next poll): the
  // store's, and Internal when the cache cannot be written; the model in force stays.
  core::Result<RegistryPoll> Poll();

  const std::filesystem::path& cache_dir() const { return cache_dir_; }

 private:
  core::Result<RegistryPoll> Adopt(const store::PublishedModel& head);
  void PruneOlderThan(int64_t id) const;

  store::Store& store_;
  const engine::Filter& filter_;
  ModelReloader& reloader_;
  const std::filesystem::path cache_dir_;
  int64_t refused_id_ = 0;  // the publication refused last; not tried again
};

}  // namespace hamlet::app
