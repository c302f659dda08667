// OpenSSL-backed randomness, hashing, HMAC and comparison.
#include "engine/crypto.h"

#include <cstdio>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <vector>

namespace hamlet::engine {
namespace {

std::string ToHex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

}  // namespace

core::Result<std::string> RandomHex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
    return core::Status::Internal("the system random number generator failed");
  }
  return ToHex(buf.data(), buf.size());
}

core::Result<std::string> TimeOrderedId(int64_t now_ms) {
  auto random = RandomHex(10);
  if (!random) return random.error();
  char prefix[13];
  std::snprintf(prefix, sizeof prefix, "%012llx",
                static_cast<unsigned long long>(now_ms < 0 ? 0 : now_ms) & 0xffffffffffffULL);
  return std::string(prefix) + *random;
}

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  return ToHex(digest, len);
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // HMAC() with an empty key needs a non-null pointer.
  static const unsigned char kEmpty = 0;
  const void* key_data = key.empty() ? &kEmpty : static_cast<const void*>(key.data());
  HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return ToHex(mac, len);
}

uint64_t Sha256Prefix64(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  // The one-shot SHA256() skips EVP's per-call context set-up, which dominates for short input.
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  uint64_t out = 0;
  for (int i = 0; i < 8; ++i) out = (out << 8) | digest[i];
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hamlet::engine
