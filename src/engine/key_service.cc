// Site and admin keys: issue, authenticate, list, revoke.
#include "engine/key_service.h"

#include <charconv>

#include "engine/crypto.h"

namespace hamlet::engine {
namespace {

constexpr size_t kKeyLength = 12;
constexpr char kSaltMeta[] = "key_salt";

bool IsHttpUrl(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.substr(0, scheme.size()) == scheme && url.size() > scheme.size() &&
        url[scheme.size()] != '/') {
      return true;
    }
  }
  return false;
}

}  // namespace

KeyService::KeyService(store::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

bool KeyService::LooksLikeKey(std::string_view s) {
  if (s.size() != kKeyLength) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

core::Result<std::string> KeyService::Salt() const {
  std::lock_guard lock(salt_mu_);
  if (!salt_.empty()) return salt_;
  // The salt is per installation, so a copied database alone does not give a lookup table.
  auto stored = store_.GetMeta(kSaltMeta);
  if (!stored) return stored.error();
  if (stored->has_value()) {
    salt_ = **stored;
  } else {
    auto fresh = RandomHex(16);
    if (!fresh) return fresh.error();
    // Another process may have created it meanwhile: the value in force wins.
    auto in_force = store_.PutMetaIfAbsent(kSaltMeta, *fresh);
    if (!in_force) return in_force.error();
    salt_ = *in_force;
  }
  return salt_;
}

core::Result<std::string> KeyService::Hash(std::string_view key) const {
  auto salt = Salt();
  if (!salt) return salt.error();
  return Sha256Hex(*salt + std::string(key));
}

core::Result<NewKey> KeyService::Create(std::string_view site_url, store::KeyRole role) const {
  const bool site_optional = role == store::KeyRole::kAdmin && site_url.empty();
  if (!site_optional && !IsHttpUrl(site_url)) {
    return core::Status::InvalidArgument("site must be an http:// or https:// URL, got '" +
                                         std::string(site_url) + "'");
  }
  auto key = RandomHex(kKeyLength / 2);
  if (!key) return key.error();
  auto hash = Hash(*key);
  if (!hash) return hash.error();
  // Two characters only: enough to tell keys apart in a listing, too few to help a guesser.
  auto record =
      store_.AddKey(role, std::string(site_url), *hash, key->substr(0, 2), clock_.NowMillis());
  if (!record) return record.error();
  return NewKey{*key, *record};
}

core::Result<store::SiteKey> KeyService::Authenticate(std::string_view key,
                                                      store::KeyRole role) const {
  if (key.empty()) return core::Status::Unauthenticated("no key given");
  if (!LooksLikeKey(key)) {
    return core::Status::Unauthenticated("a key is 12 lowercase hexadecimal characters");
  }
  auto hash = Hash(key);
  if (!hash) return hash.error();
  auto found = store_.FindKeyByHash(*hash);
  if (!found) return found.error();
  if (!found->has_value() || !ConstantTimeEquals((*found)->key_hash, *hash)) {
    return core::Status::Unauthenticated("unknown key");
  }
  if ((*found)->revoked()) return core::Status::Unauthenticated("this key has been revoked");
  if ((*found)->role != role) {
    return core::Status::PermissionDenied(
        "this is " + std::string(role == store::KeyRole::kAdmin ? "a site" : "an admin") +
        " key; this call needs " +
        std::string(role == store::KeyRole::kAdmin ? "an admin" : "a site") + " key");
  }
  return **found;
}

core::Result<std::vector<store::SiteKey>> KeyService::List() const { return store_.ListKeys(); }

core::Status KeyService::Revoke(std::string_view key_or_id) const {
  int64_t id = 0;
  if (LooksLikeKey(key_or_id)) {
    auto hash = Hash(key_or_id);
    if (!hash) return hash.error();
    auto found = store_.FindKeyByHash(*hash);
    if (!found) return found.error();
    if (!found->has_value()) return core::Status::NotFound("no such key");
    id = (*found)->id;
  } else {
    auto [end, ec] = std::from_chars(key_or_id.data(), key_or_id.data() + key_or_id.size(), id);
    if (ec != std::errc() || end != key_or_id.data() + key_or_id.size()) {
      return core::Status::InvalidArgument("give a key or a key id as listed by `keys list`");
    }
  }
  return store_.RevokeKey(id, clock_.NowMillis());
}

}  // namespace hamlet::engine
