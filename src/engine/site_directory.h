// SiteDirectory: every site's settings (SiteProfile), cached from the store and refreshed
// every few seconds, so settings changed with `hamlet sites set` (by any process on the same
// database) reach a running hamletd without a restart or a read per check.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/shared_snapshot.h"
#include "core/status.h"
#include "engine/site_profile.h"
#include "store/store.h"

namespace hamlet::engine {

class SiteDirectory {
 public:
  // `store` and `clock` must outlive the directory. Settings are re-read when the cached copy
  // is older than `refresh_ms` (by the first check that notices; the others keep using the
  // cached copy meanwhile). Call Refresh() once before serving to surface store errors.
  SiteDirectory(store::Store& store, const core::Clock& clock, int64_t refresh_ms = 2000);

  // The settings in force for `site_url`: its own rows over the defaults. Never fails: when a
  // refresh fails, the last settings read stay in force (and LastRefreshError says why).
  std::shared_ptr<const SiteProfile> For(const std::string& site_url) const;

  // Re-reads every setting now. On error the cached settings stay.
  core::Status Refresh() const;
  // The error of the latest failed refresh, ok when the latest refresh worked.
  core::Status LastRefreshError() const;

  // Validates and stores one setting (site_url "" for every site), then refreshes.
  core::Status Set(const std::string& site_url, const std::string& name, const std::string& value);
  // NotFound when it was not set.
  core::Status Unset(const std::string& site_url, const std::string& name);
  // Every stored setting, ordered by site, then name.
  core::Result<std::vector<store::SiteSetting>> List() const;

 private:
  struct Snapshot {
    int64_t loaded_ms = 0;
    std::shared_ptr<const SiteProfile> defaults;
    std::unordered_map<std::string, std::shared_ptr<const SiteProfile>> sites;
  };

  // REQUIRES: refresh_mu_ held.
  core::Status RefreshLocked() const;

  store::Store& store_;
  const core::Clock& clock_;
  const int64_t refresh_ms_;
  mutable core::SharedSnapshot<Snapshot> snapshot_;
  mutable std::mutex refresh_mu_;  // one refresh at a time
  mutable std::mutex error_mu_;
  mutable core::Status last_error_;  // guarded by error_mu_
};

}  // namespace hamlet::engine
