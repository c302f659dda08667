// `hamlet models publish|list`: the model registry in the store. A model trained elsewhere is
// published here; every hamletd on the database takes the newest into service within its
// --model-poll-interval. (`hamlet retrain` publishes what it installs by itself.)
#include <iomanip>

#include "app/model_registry.h"
#include "cli/command.h"
#include "cli/format.h"
#include "cli/terminal_text.h"

namespace hamlet::cli {
namespace {

struct ModelsArgs {
  std::string file;
  std::string publisher;
  int limit = 20;
  bool json = false;
};

nlohmann::json PublishedToJson(const store::PublishedModel& m) {
  return {{"id", m.id},
          {"version", m.version},
          {"sha256", m.sha256},
          {"bytes", m.model_bytes},
          {"published", FormatTime(m.published_ms)},
          {"publisher", m.publisher},
          {"has_sidecar", !m.meta_json.empty()}};
}

void Publish(Context& ctx, const ModelsArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto published =
      app::PublishModelFile(*(*services)->store, args.file,
                            args.publisher.empty() ? app::DefaultPublisher() : args.publisher,
                            (*services)->clock.NowMillis());
  if (!published) return ctx.Fail(published.error());
  if (args.json) {
    *ctx.out << DumpJson(PublishedToJson(*published)) << "\n";
    return;
  }
  *ctx.out << "published " << ForTerminal(published->version) << " as registry entry "
           << published->id << " (" << published->model_bytes << " bytes, sha256 "
           << published->sha256 << ")\n"
           << "every hamletd on this database serves it after its next poll "
              "(--model-poll-interval)\n";
}

void List(Context& ctx, const ModelsArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto models = (*services)->store->ListPublishedModels(args.limit);
  if (!models) return ctx.Fail(models.error());
  if (args.json) {
    auto out = nlohmann::json::array();
    for (const auto& m : *models) out.push_back(PublishedToJson(m));
    *ctx.out << DumpJson(out) << "\n";
    return;
  }
  if (models->empty()) {
    *ctx.out << "No published models: hamletd serves its --model file.\n";
    return;
  }
  *ctx.out << std::left << std::setw(6) << "ID" << std::setw(34) << "VERSION" << std::setw(22)
           << "PUBLISHED" << std::setw(11) << "BYTES"
           << "PUBLISHER\n";
  for (const auto& m : *models) {
    *ctx.out << std::left << std::setw(6) << m.id << std::setw(34) << ForTerminal(m.version)
             << std::setw(22) << FormatTime(m.published_ms) << std::setw(11) << m.model_bytes
             << ForTerminal(m.publisher) << "\n";
  }
  *ctx.out << "The first row is in service on every hamletd that polls this database.\n";
}

}  // namespace

void RegisterModels(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ModelsArgs>();
  auto* models = app.add_subcommand(
      "models",
      "The model registry: models published to the database, which every hamletd on it takes\n"
      "into service within its --model-poll-interval (README: \"The model registry\")");
  models->require_subcommand(1);

  auto* publish = models->add_subcommand(
      "publish",
      "Publish a model file (and its sidecar FILE.json) as the newest version; it is loaded\n"
      "first as hamletd loads it, so a file hamletd would refuse is not published.\n"
      "Exit 0: published; 2: not a valid model or sidecar; 3: no such file; 4: database "
      "unavailable.\n"
      "Example: hamlet --store postgresql://hamlet@db/hamlet models publish models/new.ftz");
  publish->add_option("file", args->file, "the model file (.ftz or .bin)")->required();
  publish->add_option("--publisher", args->publisher, "who publishes it (default: $USER@host)");
  publish->add_flag("--json", args->json, "print the published entry as JSON");
  publish->callback([&ctx, args] { Publish(ctx, *args); });

  auto* list = models->add_subcommand(
      "list",
      "Published models, newest (the one in service) first\n"
      "Exit 0: listed (also when none is published); 4: database unavailable.\n"
      "Example: hamlet --db hamlet.db models list --json");
  list->add_option("--limit", args->limit, "how many")->check(CLI::Range(1, 10000));
  list->add_flag("--json", args->json, "print a JSON array");
  list->callback([&ctx, args] { List(ctx, *args); });
}

}  // namespace hamlet::cli
