// ListDirectory: the lists snapshot the checks read (signals::Lists), built from the shipped
// files under data/lists/ (the disposable e-mail domains, allow.txt, block.txt) and the
// entries operators add with `hamlet lists` (the store), one snapshot per site that has
// entries of its own. It re-checks its sources every few seconds (the store's list revision
// and the files' size and time, both cheap) and rebuilds only when they changed, so a change
// made by another process reaches a running hamletd without a restart. A check keeps the
// snapshot it started with.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/shared_snapshot.h"
#include "core/status.h"
#include "signals/list_kind.h"
#include "signals/lists.h"
#include "store/store.h"

namespace hamlet::engine {

// Names of the files read from the lists directory.
inline constexpr char kDisposableDomainsFile[] = "disposable-email-domains.txt";
inline constexpr char kAllowFile[] = "allow.txt";
inline constexpr char kBlockFile[] = "block.txt";

// An entry of allow.txt or block.txt, as the snapshot in force has it.
struct FileListEntry {
  std::string file;  // "block.txt"
  int line = 0;
  signals::ListName list = signals::ListName::kBlock;
  signals::ListKind kind = signals::ListKind::kWord;
  std::string value;
};

class ListDirectory {
 public:
  // Empty lists for every site, nothing to refresh (tests, tools without a database).
  ListDirectory();
  // `fixed` for every site, never refreshed. REQUIRES: `fixed` is not null.
  explicit ListDirectory(std::shared_ptr<const signals::Lists> fixed);
  // Lists from the store and the files in `lists_dir` ("" for none; missing files count as
  // empty). `store` and `clock` must outlive the directory. Sources are re-checked when the
  // snapshot is older than `refresh_ms` (by the first check that notices; the others keep
  // using theirs meanwhile). Call Reload() once before serving to build the first snapshot
  // and surface problems.
  ListDirectory(store::Store& store, const core::Clock& clock, std::filesystem::path lists_dir,
                int64_t refresh_ms = 2000);

  // The lists in force for `site_url`: every site's entries plus its own. Never null, never
  // fails: when a refresh fails the last snapshot stays (LastRefreshError says why).
  std::shared_ptr<const signals::Lists> For(const std::string& site_url) const;
  // The lists for a comment of no particular site (evaluation): For("").
  std::shared_ptr<const signals::Lists> Current() const { return For(""); }

  // Rebuilds when the store's entries or the files changed since the snapshot in force.
  core::Status Refresh() const;
  // Rebuilds now (SIGHUP, POST /v1/admin/reload, tests).
  core::Status Reload() const;
  // The error of the latest failed refresh; ok when it worked.
  core::Status LastRefreshError() const;
  // Entries and file lines the snapshot in force had to skip, e.g. "block.txt line 4: ...".
  std::vector<std::string> Problems() const;
  // The entries of allow.txt and block.txt in the snapshot in force.
  std::vector<FileListEntry> FileEntries() const;
  // Number of allow/block entries (files and store) and disposable domains in force.
  struct Counts {
    size_t entries = 0;
    size_t disposable_domains = 0;
  };
  Counts Count() const;
  const std::filesystem::path& lists_dir() const { return lists_dir_; }

  // Validates every entry (list, kind, value: signals::CanonicalListValue), stores their
  // canonical values in one transaction, then rebuilds. InvalidArgument naming the first bad
  // entry, and nothing stored. Returns each entry's new id, or 0 when it was there already.
  core::Result<std::vector<int64_t>> Add(std::vector<store::ListEntry> entries);
  // Removes one entry (the value is brought to its canonical form first), then rebuilds.
  // NotFound when it is not stored.
  core::Status Remove(const std::string& site_url, signals::ListName list, signals::ListKind kind,
                      const std::string& value);
  // The store's entries (not the files').
  core::Result<std::vector<store::ListEntry>> Entries() const;

 private:
  struct FileStamp {
    bool exists = false;
    uintmax_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const FileStamp&) const = default;
  };
  struct Snapshot {
    int64_t checked_ms = 0;
    int64_t revision = -1;
    std::vector<FileStamp> stamps;
    std::shared_ptr<const signals::Lists> every_site;
    std::unordered_map<std::string, std::shared_ptr<const signals::Lists>> sites;
    std::vector<std::string> problems;
    std::vector<FileListEntry> file_entries;
    size_t entries = 0;
  };

  // REQUIRES: refresh_mu_ held. `force`: rebuild even when nothing changed.
  core::Status RefreshLocked(bool force) const;
  std::vector<FileStamp> Stamps() const;
  core::Result<std::shared_ptr<Snapshot>> Build(int64_t revision,
                                                std::vector<FileStamp> stamps) const;
  void SetError(core::Status status) const;

  store::Store* store_ = nullptr;
  const core::Clock* clock_ = nullptr;
  const std::filesystem::path lists_dir_;
  const int64_t refresh_ms_ = 0;
  mutable core::SharedSnapshot<Snapshot> snapshot_;
  mutable std::mutex refresh_mu_;  // one refresh at a time
  mutable std::mutex error_mu_;
  mutable core::Status last_error_;  // guarded by error_mu_
};

}  // namespace hamlet::engine
