// Building and refreshing the lists snapshots.
#include "engine/list_directory.h"

#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <tuple>
#include <utility>

#include "engine/list_file.h"

namespace hamlet::engine {
namespace {

constexpr const char* kFiles[] = {kDisposableDomainsFile, kAllowFile, kBlockFile};
// A list file larger than this is refused (a mistake, not a list).
constexpr uintmax_t kMaxFileBytes = 16u << 20;

// The file's text; "" when it does not exist. An error when it exists but cannot be read.
core::Result<std::string> ReadListFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::string();
  const std::string name = path.string();
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return core::Status::Unavailable("cannot read '" + name + "': " + ec.message());
  if (size > kMaxFileBytes) {
    return core::Status::InvalidArgument("'" + name + "' is larger than 16 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::Unavailable("cannot open '" + name + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string StoreOrigin(const store::ListEntry& e) { return "entry " + std::to_string(e.id); }

}  // namespace

ListDirectory::ListDirectory() : ListDirectory(std::make_shared<const signals::Lists>()) {}

ListDirectory::ListDirectory(std::shared_ptr<const signals::Lists> fixed) {
  auto snap = std::make_shared<Snapshot>();
  snap->every_site = std::move(fixed);
  snapshot_.Store(std::move(snap));
}

ListDirectory::ListDirectory(store::Store& store, const core::Clock& clock,
                             std::filesystem::path lists_dir, int64_t refresh_ms)
    : store_(&store), clock_(&clock), lists_dir_(std::move(lists_dir)), refresh_ms_(refresh_ms) {
  auto empty = std::make_shared<Snapshot>();
  empty->every_site = std::make_shared<const signals::Lists>();
  // checked_ms 0: the first For() builds.
  snapshot_.Store(std::move(empty));
}

std::shared_ptr<const signals::Lists> ListDirectory::For(const std::string& site_url) const {
  std::shared_ptr<const Snapshot> snap = snapshot_.Load();
  if (store_ != nullptr && clock_->NowMillis() - snap->checked_ms >= refresh_ms_) {
    // One thread refreshes; the others go on with the snapshot they have.
    std::unique_lock lock(refresh_mu_, std::try_to_lock);
    if (lock.owns_lock()) {
      (void)RefreshLocked(/*force=*/false);
      snap = snapshot_.Load();
    }
  }
  if (auto it = snap->sites.find(site_url); it != snap->sites.end()) return it->second;
  return snap->every_site;
}

core::Status ListDirectory::Refresh() const {
  std::lock_guard lock(refresh_mu_);
  return RefreshLocked(/*force=*/false);
}

core::Status ListDirectory::Reload() const {
  std::lock_guard lock(refresh_mu_);
  return RefreshLocked(/*force=*/true);
}

std::vector<ListDirectory::FileStamp> ListDirectory::Stamps() const {
  std::vector<FileStamp> stamps;
  for (const char* name : kFiles) {
    FileStamp stamp;
    if (!lists_dir_.empty()) {
      std::error_code ec;
      const auto path = lists_dir_ / name;
      const auto status = std::filesystem::status(path, ec);
      if (!ec && std::filesystem::is_regular_file(status)) {
        stamp.exists = true;
        stamp.size = std::filesystem::file_size(path, ec);
        const auto mtime = std::filesystem::last_write_time(path, ec);
        stamp.mtime_ns = ec ? 0 : mtime.time_since_epoch().count();
      }
    }
    stamps.push_back(stamp);
  }
  return stamps;
}

core::Status ListDirectory::RefreshLocked(bool force) const {
  if (store_ == nullptr) return core::Status::Ok();
  const std::shared_ptr<const Snapshot> current = snapshot_.Load();
  auto revision = store_->ListEntriesRevision();
  std::vector<FileStamp> stamps = Stamps();
  if (revision && !force && *revision == current->revision && stamps == current->stamps) {
    auto same = std::make_shared<Snapshot>(*current);
    same->checked_ms = clock_->NowMillis();
    snapshot_.Store(std::move(same));
    SetError(core::Status::Ok());
    return core::Status::Ok();
  }
  core::Result<std::shared_ptr<Snapshot>> next =
      revision ? Build(*revision, std::move(stamps)) : revision.error();
  if (!next) {
    // Keep the lists in force; try again after another refresh period, not on every check.
    auto stale = std::make_shared<Snapshot>(*current);
    stale->checked_ms = clock_->NowMillis();
    snapshot_.Store(std::move(stale));
    SetError(next.error());
    return next.error();
  }
  snapshot_.Store(std::move(*next));
  SetError(core::Status::Ok());
  return core::Status::Ok();
}

core::Result<std::shared_ptr<ListDirectory::Snapshot>> ListDirectory::Build(
    int64_t revision, std::vector<FileStamp> stamps) const {
  auto snap = std::make_shared<Snapshot>();
  snap->checked_ms = clock_->NowMillis();
  snap->revision = revision;
  snap->stamps = std::move(stamps);

  // Shipped and operator files: for every site.
  signals::Lists every_site;
  auto file_allow = std::make_shared<signals::MatchList>();
  auto file_block = std::make_shared<signals::MatchList>();
  if (!lists_dir_.empty()) {
    auto disposable = ReadListFile(lists_dir_ / kDisposableDomainsFile);
    if (!disposable) return disposable.error();
    std::vector<std::string> errors;
    every_site.disposable_email_domains = ParseDomainList(*disposable, &errors);
    for (const std::string& e : errors) {
      snap->problems.push_back(std::string(kDisposableDomainsFile) + " " + e);
    }
    for (const auto& [name, list, target] :
         {std::tuple{kAllowFile, signals::ListName::kAllow, file_allow.get()},
          std::tuple{kBlockFile, signals::ListName::kBlock, file_block.get()}}) {
      auto text = ReadListFile(lists_dir_ / name);
      if (!text) return text.error();
      ParsedListText parsed = ParseListText(*text);
      for (const std::string& e : parsed.errors)
        snap->problems.push_back(std::string(name) + " " + e);
      for (ParsedListLine& line : parsed.entries) {
        const std::string origin = std::string(name) + " line " + std::to_string(line.line);
        if (core::Status s = target->Add(line.kind, line.value, origin); !s.ok()) {
          snap->problems.push_back(origin + ": " + s.message());
          continue;
        }
        snap->file_entries.push_back({name, line.line, list, line.kind, std::move(line.value)});
      }
    }
  }

  // Operator entries from the store, one list per (site, allow/block).
  auto rows = store_->ListListEntries();
  if (!rows) return rows.error();
  std::map<std::pair<std::string, signals::ListName>, std::shared_ptr<signals::MatchList>> lists;
  for (const store::ListEntry& row : *rows) {
    const auto list = signals::ParseListName(row.list);
    const auto kind = signals::ParseListKind(row.kind);
    if (!list || !kind) {
      // Written by another version of hamlet: skipped, not fatal.
      snap->problems.push_back(StoreOrigin(row) + ": unknown list or kind '" + row.list + " " +
                               row.kind + "'");
      continue;
    }
    auto& target = lists[{row.site_url, *list}];
    if (!target) target = std::make_shared<signals::MatchList>();
    if (core::Status s = target->Add(*kind, row.value, StoreOrigin(row), row.note); !s.ok()) {
      snap->problems.push_back(StoreOrigin(row) + ": " + s.message());
    }
  }

  auto attach = [](signals::Lists& into, signals::ListName list,
                   const std::shared_ptr<signals::MatchList>& from) {
    if (!from || from->empty()) return;
    (list == signals::ListName::kAllow ? into.allow : into.block).push_back(from);
  };
  attach(every_site, signals::ListName::kAllow, file_allow);
  attach(every_site, signals::ListName::kBlock, file_block);
  snap->entries = file_allow->size() + file_block->size();
  for (const auto& [key, list] : lists) {
    snap->entries += list->size();
    if (key.first.empty()) attach(every_site, key.second, list);
  }
  std::unordered_map<std::string, std::shared_ptr<signals::Lists>> sites;
  for (const auto& [key, list] : lists) {
    if (key.first.empty()) continue;
    auto& site = sites[key.first];
    if (!site) site = std::make_shared<signals::Lists>(every_site);
    // The site's own entries after every site's: a reason names the shared entry first.
    attach(*site, key.second, list);
  }
  for (auto& [url, site] : sites) snap->sites.emplace(url, std::move(site));
  snap->every_site = std::make_shared<const signals::Lists>(std::move(every_site));
  return snap;
}

void ListDirectory::SetError(core::Status status) const {
  std::lock_guard lock(error_mu_);
  last_error_ = std::move(status);
}

core::Status ListDirectory::LastRefreshError() const {
  std::lock_guard lock(error_mu_);
  return last_error_;
}

std::vector<std::string> ListDirectory::Problems() const { return snapshot_.Load()->problems; }

std::vector<FileListEntry> ListDirectory::FileEntries() const {
  return snapshot_.Load()->file_entries;
}

ListDirectory::Counts ListDirectory::Count() const {
  auto snap = snapshot_.Load();
  return {snap->entries, snap->every_site->disposable_email_domains.size()};
}

core::Result<std::vector<int64_t>> ListDirectory::Add(std::vector<store::ListEntry> entries) {
  if (store_ == nullptr) return core::Status::Unavailable("the lists have no database");
  for (size_t i = 0; i < entries.size(); ++i) {
    store::ListEntry& e = entries[i];
    const auto list = signals::ParseListName(e.list);
    if (!list)
      return core::Status::InvalidArgument("'" + e.list + "' is not a list (allow, block)");
    const auto kind = signals::ParseListKind(e.kind);
    if (!kind) return core::Status::InvalidArgument("'" + e.kind + "' is not a kind of entry");
    auto value = signals::CanonicalListValue(*kind, e.value);
    if (!value) return value.error();
    e.value = std::move(*value);
    if (e.created_ms == 0) e.created_ms = clock_->NowMillis();
  }
  auto ids = store_->AddListEntries(entries);
  if (!ids) return ids.error();
  if (core::Status s = Reload(); !s.ok()) return s;
  return ids;
}

core::Status ListDirectory::Remove(const std::string& site_url, signals::ListName list,
                                   signals::ListKind kind, const std::string& value) {
  if (store_ == nullptr) return core::Status::Unavailable("the lists have no database");
  auto canonical = signals::CanonicalListValue(kind, value);
  // A value that no longer validates may still be stored (an older version's): remove it as
  // given.
  const std::string stored = canonical ? *canonical : value;
  if (core::Status s = store_->RemoveListEntry(site_url, std::string(signals::ListNameText(list)),
                                               std::string(signals::ListKindName(kind)), stored);
      !s.ok()) {
    return s;
  }
  return Reload();
}

core::Result<std::vector<store::ListEntry>> ListDirectory::Entries() const {
  if (store_ == nullptr) return std::vector<store::ListEntry>{};
  return store_->ListListEntries();
}

}  // namespace hamlet::engine
