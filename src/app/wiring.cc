// The composition root: SQLite store + fastText classifier + engine services.
#include "app/wiring.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "app/model_reload.h"
#include "store/open_store.h"
#include "store/postgres_store.h"

namespace hamlet::app {
namespace {

constexpr char kDefaultModelFile[] = "hamlet-default.ftz";

std::filesystem::path ExecutableDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

}  // namespace

std::string DefaultModelPath() {
  if (const char* env = std::getenv("HAMLET_MODEL"); env != nullptr && *env != '\0') return env;
  const auto dir = ExecutableDir();
  const std::filesystem::path candidates[] = {
      dir / ".." / "models" / kDefaultModelFile,
      dir / "models" / kDefaultModelFile,
      std::filesystem::path("/usr/share/hamlet/models") / kDefaultModelFile,
      // A build directory outside the source tree still finds the tree it was built from.
      std::filesystem::path(HAMLET_SOURCE_MODELS_DIR) / kDefaultModelFile,
  };
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) {
      return std::filesystem::weakly_canonical(candidate, ec).string();
    }
  }
  // Not found: the load reports this path, which tells the user where it was expected.
  return (dir / ".." / "models" / kDefaultModelFile).lexically_normal().string();
}

std::string DefaultDataDir() {
  if (const char* env = std::getenv("HAMLET_DATA"); env != nullptr && *env != '\0') return env;
  const auto dir = ExecutableDir();
  const std::filesystem::path candidates[] = {
      dir / ".." / "data",
      dir / "data",
      std::filesystem::path("/usr/share/hamlet/data"),
      std::filesystem::path(HAMLET_SOURCE_DATA_DIR),
  };
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (std::filesystem::exists(candidate / "lists" / engine::kDisposableDomainsFile, ec)) {
      return std::filesystem::weakly_canonical(candidate, ec).string();
    }
  }
  return "";
}

core::Result<std::unique_ptr<Services>> Open(const Options& options) {
  if (auto status = options.policy.Validate(); !status.ok()) return status;
  auto services = std::make_unique<Services>();

  // --db names a SQLite file and --store a PostgreSQL URL; neither takes the other's.
  if (options.store_url.empty() && store::IsPostgresUrl(options.db_path)) {
    return core::Status::InvalidArgument(
        "--db takes a SQLite file; give a PostgreSQL URL with --store");
  }
  if (!options.store_url.empty() && !store::IsPostgresUrl(options.store_url)) {
    return core::Status::InvalidArgument(
        "--store takes a PostgreSQL URL (postgresql://...); give a SQLite file with --db");
  }
  store::OpenStoreOptions store_options;
  store_options.sqlite_max_bytes = options.max_db_bytes;
  auto store = store::OpenStore(options.store_url.empty() ? options.db_path : options.store_url,
                                store_options);
  if (!store) return store.error();
  services->store = std::move(*store);
  services->sites = std::make_unique<engine::SiteDirectory>(*services->store, services->clock);
  if (core::Status s = services->sites->Refresh(); !s.ok()) return s;
  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  services->lists = std::make_unique<engine::ListDirectory>(
      *services->store, services->clock,
      data_dir.empty() ? std::filesystem::path() : std::filesystem::path(data_dir) / "lists");
  // Store errors fail the start; a bad line in a list file is only skipped (Problems()).
  if (core::Status s = services->lists->Reload(); !s.ok()) return s;
  if (options.memory) {
    auto memory =
        engine::SyncedMemory::Open(*services->store, services->clock, options.memory_options,
                                   options.memory_refresh_ms);
    if (!memory) return memory.error();
    services->memory = std::move(*memory);
  }

  if (options.load_model) {
    const std::string path = options.model_path.empty() ? DefaultModelPath() : options.model_path;
    auto loaded = LoadModel(path, options.policy, options.use_model_thresholds);
    if (!loaded) return loaded.error();
    services->model_meta = std::move(loaded->meta);
    engine::FilterContext context;
    context.sites = services->sites.get();
    context.lists = services->lists.get();
    context.memory = services->memory.get();
    services->filter = std::make_unique<engine::Filter>(std::move(loaded->snapshot),
                                                        *services->store, services->clock, context);
    services->reloader = std::make_unique<ModelReloader>(
        *services->filter, services->clock, path, options.policy, options.use_model_thresholds);
  }
  services->webhooks =
      std::make_unique<engine::WebhookOutbox>(*services->store, *services->sites, services->clock);
  services->decision_feed =
      std::make_unique<engine::DecisionFeed>(*services->store, *services->sites);
  services->feedback = std::make_unique<engine::FeedbackService>(*services->store, services->clock,
                                                                 services->memory.get());
  services->keys = std::make_unique<engine::KeyService>(*services->store, services->clock);
  services->moderation = std::make_unique<engine::Moderation>(*services->store);
  services->actions = std::make_unique<engine::ModeratorActions>(
      *services->store, *services->moderation, services->clock, services->webhooks.get());
  services->stats = std::make_unique<engine::ModerationStats>(*services->store);
  services->retention = std::make_unique<engine::Retention>(*services->store, services->clock);
  services->transfer =
      std::make_unique<engine::Transfer>(*services->store, *services->moderation, services->clock);
  services->usage = std::make_unique<engine::Usage>(*services->store, services->clock);
  return services;
}

}  // namespace hamlet::app
