// Wiring: the composition root. The only place that picks concrete classes (the store backend,
// fastText classifier) and builds the object graph the HTTP server and the CLI share.
#pragma once

#include <memory>
#include <string>

#include "app/model_meta.h"
#include "app/model_reload.h"
#include "core/clock.h"
#include "core/status.h"
#include "decision/policy.h"
#include "engine/decision_feed.h"
#include "engine/feedback.h"
#include "engine/filter.h"
#include "engine/key_service.h"
#include "engine/list_directory.h"
#include "engine/moderation.h"
#include "engine/moderation_stats.h"
#include "engine/moderator_actions.h"
#include "engine/retention.h"
#include "engine/site_directory.h"
#include "engine/transfer.h"
#include "engine/synced_memory.h"
#include "engine/usage.h"
#include "engine/webhook_outbox.h"
#include "store/store.h"

namespace hamlet::app {

struct Options {
  std::string db_path;     // SQLite file; created with its schema when missing
  // A PostgreSQL database (postgresql://...) to use instead of db_path, for several nodes on
  // one database; migrated when it is behind. Empty: the SQLite file.
  std::string store_url;
  std::string model_path;  // empty: the shipped default model (DefaultModelPath())
  // The data directory whose lists/ holds the shipped and operator list files; empty: the
  // shipped one (DefaultDataDir()).
  std::string data_dir;
  bool load_model = true;  // CLI commands that only touch the store skip the model
  decision::Policy policy;
  // Replace policy's spam and discard thresholds by those in the model's sidecar
  // (app::ModelMeta), when it has them.
  bool use_model_thresholds = true;
  // Cap on the database file's size in bytes (store::SqliteOptions::max_bytes); 0: none.
  int64_t max_db_bytes = 0;
  // Keep a memory of earlier comments for the history-based checks (reputation, campaign,
  // rate, trust), rebuilt from the store at open (hamletd, `hamlet check --key`). Without it
  // those checks say nothing.
  bool memory = false;
  engine::MemoryOptions memory_options;
  // How often memory catches up with what other processes stored (engine::SyncedMemory).
  int64_t memory_refresh_ms = 2000;
};

// Owns everything; members are built in dependency order and destroyed in reverse.
struct Services {
  core::SystemClock clock;
  std::unique_ptr<store::Store> store;
  // Per-site settings, cached from the store (`hamlet sites`).
  std::unique_ptr<engine::SiteDirectory> sites;
  // The lists the checks read: <data_dir>/lists/ files and the store's entries (`hamlet
  // lists`), refreshed every 2 s.
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
  // The webhook outbox: events for moderator outcomes, `hamlet webhooks`. (Delivery runs in
  // hamletd only: http::RunDaemon adds the sender and the worker.)
  std::unique_ptr<engine::WebhookOutbox> webhooks;
  // GET /v1/decisions.
  std::unique_ptr<engine::DecisionFeed> decision_feed;
  std::unique_ptr<engine::FeedbackService> feedback;
  std::unique_ptr<engine::KeyService> keys;
  std::unique_ptr<engine::Moderation> moderation;
  std::unique_ptr<engine::ModeratorActions> actions;
  std::unique_ptr<engine::ModerationStats> stats;
  std::unique_ptr<engine::Retention> retention;
  std::unique_ptr<engine::Transfer> transfer;
  std::unique_ptr<engine::Usage> usage;
};

// Opens the store and (optionally) loads the model (app::LoadModel). Errors name the file and
// what is wrong with it, e.g. "model file 'x.ftz' is not a fastText model".
core::Result<std::unique_ptr<Services>> Open(const Options& options);

// The shipped model: models/hamlet-default.ftz next to the build or install tree
// (<exe>/../models, <exe>/models, /usr/share/hamlet/models, then the models/ of the source
// tree this was built from). $HAMLET_MODEL overrides.
std::string DefaultModelPath();

// The shipped data directory (it holds lists/disposable-email-domains.txt): the first of
// <exe>/../data, <exe>/data, /usr/share/hamlet/data and the data/ of the source tree this was
// built from that has it. $HAMLET_DATA overrides. "" when none has it.
std::string DefaultDataDir();

}  // namespace hamlet::app
