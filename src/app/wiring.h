// Wiring: the composition root. The only place that picks concrete classes (SQLite store,
// fastText classifier) and builds the object graph the HTTP server and the CLI share.
#pragma once

#include <memory>
#include <string>

#include "app/model_meta.h"
#include "app/model_reload.h"
#include "core/clock.h"
#include "core/status.h"
#include "decision/policy.h"
#include "engine/feedback.h"
#include "engine/filter.h"
#include "engine/key_service.h"
#include "engine/list_directory.h"
#include "engine/moderation.h"
#include "engine/site_directory.h"
#include "engine/synced_memory.h"
#include "engine/usage.h"
#include "store/store.h"

namespace hamlet::app {

struct Options {
  std::string db_path;     // SQLite file; created with its schema when missing
  std::string model_path;  // empty: the shipped default model (DefaultModelPath())
  bool load_model = true;  // CLI commands that only touch the store skip the model
  decision::Policy policy;
  // Replace policy's spam and discard thresholds by those in the model's sidecar
  // (app::ModelMeta), when it has them.
  bool use_model_thresholds = true;
  // Keep a memory of earlier comments for the history-based checks (reputation, campaign,
  // rate, trust), rebuilt from the store at open (hamletd, `hamlet check --key`). Without it
  // those checks say nothing.
  bool memory = false;
  engine::MemoryOptions memory_options;
};

// Owns everything; members are built in dependency order and destroyed in reverse.
struct Services {
  core::SystemClock clock;
  std::unique_ptr<store::Store> store;
  // Per-site settings, cached from the store (`hamlet sites`).
  std::unique_ptr<engine::SiteDirectory> sites;
  // The lists the checks read.
  std::unique_ptr<engine::ListDirectory> lists;
  // What is remembered of earlier comments; null without Options::memory.
  std::unique_ptr<engine::SyncedMemory> memory;
  // Serves the model snapshot (classifier, input mode, policy); null when !load_model.
  std::unique_ptr<engine::Filter> filter;
  // Reloads the model from the path Open loaded it from; null when !load_model.
  std::unique_ptr<ModelReloader> reloader;
  // The sidecar of the model Open loaded (the defaults when it has none). A reload does not
  // change it: the model in force is filter->Model().
  ModelMeta model_meta;
  std::unique_ptr<engine::FeedbackService> feedback;
  std::unique_ptr<engine::KeyService> keys;
  std::unique_ptr<engine::Moderation> moderation;
  std::unique_ptr<engine::Usage> usage;
};

// Opens the store and (optionally) loads the model (app::LoadModel). Errors name the file and
// what is wrong with it, e.g. "model file 'x.ftz' is not a fastText model".
core::Result<std::unique_ptr<Services>> Open(const Options& options);

// The shipped model: models/hamlet-default.ftz next to the build or install tree
// (<exe>/../models, <exe>/models, /usr/share/hamlet/models, then the models/ of the source
// tree this was built from). $HAMLET_MODEL overrides.
std::string DefaultModelPath();

}  // namespace hamlet::app
