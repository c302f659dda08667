// Publishing a model file to the store's registry, and a node's poll that takes the newest
// published version into service through the local cache and the hot reload.
#include "app/model_registry.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string_view>
#include <system_error>
#include <utility>

#include "app/model_meta.h"
#include "engine/crypto.h"

namespace hamlet::app {
namespace fs = std::filesystem;

namespace {

core::Result<std::string> ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::NotFound("cannot open '" + path.string() + "'");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return core::Status::Internal("cannot read '" + path.string() + "'");
  return bytes;
}

// Writes `bytes` to `path` through a temporary file of this process in the same folder and a
// rename, so a reader (or another node sharing the folder) never sees half a file.
core::Status WriteAtomically(const fs::path& path, std::string_view bytes) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const fs::path tmp = path.string() + ".tmp" + std::to_string(::getpid()) + "-" +
                       std::to_string(random() % 1'000'000'000);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out.flush()) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      return core::Status::Internal("cannot write '" + tmp.string() + "'");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return core::Status::Internal("cannot write '" + path.string() + "': " + ec.message());
  }
  return core::Status::Ok();
}

// "name@1a2b3c4d" -> "name": the file name (without extension) the model was published from;
// the classifier's version is this name, '@' and the first 8 hex digits of the file's SHA-256.
// "" when the version has no '@' or the name could not be a file name.
std::string VersionName(std::string_view version) {
  const size_t at = version.rfind('@');
  if (at == std::string_view::npos || at == 0) return "";
  const std::string_view name = version.substr(0, at);
  if (name == "." || name == ".." || name.find('/') != std::string_view::npos ||
      name.find('\0') != std::string_view::npos || name.size() > 200) {
    return "";
  }
  return std::string(name);
}

// The refusal of a publication that can never load (not a store fault): no retry.
bool IsPermanent(const core::Status& s) { return s.code() == core::StatusCode::kInvalidArgument; }

}  // namespace

core::Result<store::PublishedModel> PublishModelFile(store::Store& store,
                                                     const std::string& model_path,
                                                     const std::string& publisher, int64_t now_ms) {
  // Loaded as hamletd loads it (default policy: the thresholds only have to validate).
  auto loaded = LoadModel(model_path, decision::Policy{}, /*use_model_thresholds=*/true);
  if (!loaded) return loaded.error();
  auto bytes = ReadWholeFile(model_path);
  if (!bytes) return bytes.error();
  store::PublishedModel model;
  model.version = loaded->snapshot->version();
  model.sha256 = engine::Sha256Hex(*bytes);
  if (model.version != VersionName(model.version) + "@" + model.sha256.substr(0, 8)) {
    return core::Status::Internal("model file '" + model_path +
                                  "' changed while it was read; publish it again");
  }
  const std::string meta_path = ModelMetaPath(model_path);
  std::error_code ec;
  if (fs::exists(meta_path, ec)) {
    auto meta = ReadWholeFile(meta_path);
    if (!meta) return meta.error();
    model.meta_json = std::move(meta).value();
  }
  model.model = std::move(bytes).value();
  model.model_bytes = static_cast<int64_t>(model.model.size());
  model.published_ms = now_ms;
  model.publisher = publisher;
  auto id = store.PublishModel(model);
  if (!id) return id.error();
  model.id = *id;
  model.model.clear();
  return model;
}

std::string DefaultPublisher() {
  const char* user = std::getenv("USER");
  if (user == nullptr || *user == '\0') {
    const passwd* entry = ::getpwuid(::geteuid());  // services often run without $USER
    if (entry != nullptr) user = entry->pw_name;
  }
  char host[256] = {};
  const bool has_host = ::gethostname(host, sizeof(host) - 1) == 0 && host[0] != '\0';
  return std::string(user != nullptr && *user != '\0' ? user : "unknown") + "@" +
         (has_host ? host : "unknown");
}

fs::path DefaultModelCacheDir(const std::string& model_path) {
  return fs::path(model_path).parent_path() / "registry";
}

ModelRegistrySync::ModelRegistrySync(store::Store& store, const engine::Filter& filter,
                                     ModelReloader& reloader, fs::path cache_dir)
    : store_(store), filter_(filter), reloader_(reloader), cache_dir_(std::move(cache_dir)) {}

core::Result<RegistryPoll> ModelRegistrySync::Poll() {
  auto newest = store_.ListPublishedModels(1);
  if (!newest) return newest.error();
  RegistryPoll poll;
  if (newest->empty()) return poll;  // kEmpty
  poll.newest = newest->front();
  if (poll.newest.version == filter_.ModelVersion()) {
    poll.outcome = RegistryPoll::Outcome::kCurrent;
    return poll;
  }
  if (poll.newest.id == refused_id_) {
    poll.outcome = RegistryPoll::Outcome::kRefusedBefore;
    return poll;
  }
  return Adopt(poll.newest);
}

core::Result<RegistryPoll> ModelRegistrySync::Adopt(const store::PublishedModel& head) {
  RegistryPoll poll;
  poll.newest = head;
  auto refuse = [&](std::string why) {
    refused_id_ = head.id;
    poll.outcome = RegistryPoll::Outcome::kRefused;
    poll.why = std::move(why);
    return poll;
  };
  auto full = store_.GetPublishedModel(head.id);
  if (!full) return full.error();
  if (!full->has_value()) return refuse("it is no longer in the registry");
  const store::PublishedModel& published = **full;
  const std::string sha256 = engine::Sha256Hex(published.model);
  if (sha256 != published.sha256) {
    return refuse("its bytes do not match its sha256 (" + std::to_string(published.model.size()) +
                  " bytes with sha256 " + sha256 + ", published as " + published.sha256 + ")");
  }
  const std::string name = VersionName(published.version);
  if (name.empty() || published.version != name + "@" + sha256.substr(0, 8)) {
    return refuse("its version '" + published.version + "' is not NAME@" + sha256.substr(0, 8) +
                  " for its bytes");
  }

  // One folder per publication: a file in force is never overwritten, and nodes sharing the
  // folder write the same bytes to the same names.
  const fs::path dir = cache_dir_ / std::to_string(published.id);
  const fs::path model_path = dir / (name + ".ftz");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return core::Status::Internal("cannot create the model cache '" + dir.string() +
                                  "': " + ec.message());
  }
  // The sidecar first: LoadModel refuses a sidecar written for other bytes.
  const fs::path meta_path = ModelMetaPath(model_path.string());
  if (published.meta_json.empty()) {
    fs::remove(meta_path, ec);
  } else if (core::Status s = WriteAtomically(meta_path, published.meta_json); !s.ok()) {
    return s;
  }
  if (core::Status s = WriteAtomically(model_path, published.model); !s.ok()) return s;

  auto reloaded = reloader_.ReloadFrom(model_path.string());
  if (!reloaded) {
    if (!IsPermanent(reloaded.error())) return reloaded.error();
    fs::remove_all(dir, ec);
    return refuse(reloaded.error().message());
  }
  poll.outcome = RegistryPoll::Outcome::kReloaded;
  poll.reload = std::move(reloaded).value();
  PruneOlderThan(published.id);
  return poll;
}

void ModelRegistrySync::PruneOlderThan(int64_t id) const {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(cache_dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos ||
        name.size() > 18) {
      continue;  // not one of ours
    }
    if (std::stoll(name) < id) {
      std::error_code ignored;
      fs::remove_all(entry.path(), ignored);
    }
  }
}

}  // namespace hamlet::app
