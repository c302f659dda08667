// The cached per-site settings.
#include "engine/site_directory.h"

#include <set>

namespace hamlet::engine {

SiteDirectory::SiteDirectory(store::Store& store, const core::Clock& clock, int64_t refresh_ms)
    : store_(store), clock_(clock), refresh_ms_(refresh_ms) {
  auto empty = std::make_shared<Snapshot>();
  empty->defaults = std::make_shared<SiteProfile>();
  // loaded_ms 0: the first For() refreshes.
  snapshot_.Store(std::move(empty));
}

std::shared_ptr<const SiteProfile> SiteDirectory::For(const std::string& site_url) const {
  std::shared_ptr<const Snapshot> snap = snapshot_.Load();
  if (clock_.NowMillis() - snap->loaded_ms >= refresh_ms_) {
    // One thread refreshes; the others go on with the copy they have.
    std::unique_lock lock(refresh_mu_, std::try_to_lock);
    if (lock.owns_lock()) {
      (void)RefreshLocked();
      snap = snapshot_.Load();
    }
  }
  if (auto it = snap->sites.find(site_url); it != snap->sites.end()) return it->second;
  return snap->defaults;
}

core::Status SiteDirectory::Refresh() const {
  std::lock_guard lock(refresh_mu_);
  return RefreshLocked();
}

core::Status SiteDirectory::RefreshLocked() const {
  auto rows = store_.ListSiteSettings();
  if (!rows) {
    std::lock_guard error_lock(error_mu_);
    last_error_ = rows.error();
    // Try again after another refresh period, not on every check.
    auto stale = std::make_shared<Snapshot>(*snapshot_.Load());
    stale->loaded_ms = clock_.NowMillis();
    snapshot_.Store(std::move(stale));
    return rows.error();
  }
  auto next = std::make_shared<Snapshot>();
  next->loaded_ms = clock_.NowMillis();
  next->defaults = std::make_shared<SiteProfile>(ParseSiteProfile(*rows, ""));
  std::set<std::string> sites;
  for (const store::SiteSetting& row : *rows) {
    if (!row.site_url.empty()) sites.insert(row.site_url);
  }
  for (const std::string& site : sites) {
    next->sites.emplace(site, std::make_shared<SiteProfile>(ParseSiteProfile(*rows, site)));
  }
  snapshot_.Store(std::move(next));
  std::lock_guard error_lock(error_mu_);
  last_error_ = core::Status::Ok();
  return core::Status::Ok();
}

core::Status SiteDirectory::LastRefreshError() const {
  std::lock_guard lock(error_mu_);
  return last_error_;
}

core::Status SiteDirectory::Set(const std::string& site_url, const std::string& name,
                                const std::string& value) {
  if (core::Status s = ValidateSiteSetting(name, value); !s.ok()) return s;
  store::SiteSetting row{site_url, name, value, clock_.NowMillis()};
  if (core::Status s = store_.PutSiteSetting(row); !s.ok()) return s;
  return Refresh();
}

core::Status SiteDirectory::Unset(const std::string& site_url, const std::string& name) {
  if (core::Status s = store_.DeleteSiteSetting(site_url, name); !s.ok()) return s;
  return Refresh();
}

core::Result<std::vector<store::SiteSetting>> SiteDirectory::List() const {
  return store_.ListSiteSettings();
}

}  // namespace hamlet::engine
