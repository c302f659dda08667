// KeyService: issues, checks, lists and revokes keys. Keys are 12 lowercase hex characters
// (Akismet's length; WordPress's plugin refuses others), stored only as a salted SHA-256 and
// compared in constant time. A key has a role (store::KeyRole): site keys call the comment
// endpoints, admin keys the admin endpoints, and neither is accepted for the other.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace hamlet::engine {

struct NewKey {
  std::string key;  // shown once, never stored
  store::SiteKey record;
};

class KeyService {
 public:
  KeyService(store::Store& store, const core::Clock& clock);

  // InvalidArgument when `site_url` is not an http(s) URL. An admin key's site is optional
  // (a label for listings): empty or an http(s) URL.
  core::Result<NewKey> Create(std::string_view site_url,
                              store::KeyRole role = store::KeyRole::kSite) const;
  // The active key record for `key` if it has `role`. Unauthenticated when empty, malformed,
  // unknown or revoked; PermissionDenied when it is a valid key of the other role.
  core::Result<store::SiteKey> Authenticate(std::string_view key,
                                            store::KeyRole role = store::KeyRole::kSite) const;
  core::Result<std::vector<store::SiteKey>> List() const;
  // Revokes by full key, or by numeric id as listed. NotFound when none matches.
  core::Status Revoke(std::string_view key_or_id) const;

  // True when `s` has a key's shape (12 lowercase hex characters).
  static bool LooksLikeKey(std::string_view s);

 private:
  core::Result<std::string> Hash(std::string_view key) const;
  // The install's salt, read (or created) once: it never changes after creation.
  core::Result<std::string> Salt() const;
  store::Store& store_;
  const core::Clock& clock_;
  mutable std::mutex salt_mu_;
  mutable std::string salt_;  // guarded by salt_mu_; empty until first read
};

}  // namespace hamlet::engine
