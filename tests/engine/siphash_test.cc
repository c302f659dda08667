// SipHash-2-4: the paper's test vectors, and agreement with OpenSSL's SIPHASH MAC on every
// message length around the 8-byte block boundaries.
#include <doctest/doctest.h>

#include <openssl/evp.h>
#include <openssl/params.h>

#include <string>

#include "engine/siphash.h"

namespace hamlet::engine {
namespace {

SipKey CountingKey() {
  SipKey key{};
  for (int i = 0; i < 16; ++i) key[i] = static_cast<uint8_t>(i);
  return key;
}

std::string CountingMessage(size_t n) {
  std::string m;
  for (size_t i = 0; i < n; ++i) m.push_back(static_cast<char>(i));
  return m;
}

// OpenSSL's SipHash-2-4 with an 8-byte output, read as a little-endian integer.
uint64_t OpenSslSipHash(const SipKey& key, const std::string& data) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "SIPHASH", nullptr);
  REQUIRE(mac != nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  size_t size = 8;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t("size", &size), OSSL_PARAM_construct_end()};
  REQUIRE(EVP_MAC_init(ctx, key.data(), key.size(), params) == 1);
  REQUIRE(EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) ==
          1);
  unsigned char out[8];
  size_t len = 0;
  REQUIRE(EVP_MAC_final(ctx, out, &len, sizeof out) == 1);
  REQUIRE(len == 8);
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= uint64_t{out[i]} << (8 * i);
  return v;
}

}  // namespace

TEST_SUITE("engine/siphash") {
  TEST_CASE("the paper's test vectors") {
    // Aumasson and Bernstein, "SipHash: a fast short-input PRF", appendix A, and the first
    // entry of the reference implementation's vectors (empty message).
    CHECK(SipHash24(CountingKey(), CountingMessage(15)) == 0xa129ca6149be45e5ULL);
    CHECK(SipHash24(CountingKey(), "") == 0x726fdb47dd0e0e31ULL);
  }

  TEST_CASE("agrees with OpenSSL on every length from 0 to 40 bytes and under other keys") {
    SipKey key = CountingKey();
    for (size_t n = 0; n <= 40; ++n) {
      const std::string m = CountingMessage(n) + "x";
      CAPTURE(n);
      CHECK(SipHash24(key, m) == OpenSslSipHash(key, m));
    }
    for (int k = 0; k < 16; ++k) key[k] = static_cast<uint8_t>(0xA5 ^ (k * 37));
    CHECK(SipHash24(key, "203.0.113.7") == OpenSslSipHash(key, "203.0.113.7"));
    // A different key gives an unrelated value.
    CHECK(SipHash24(key, "203.0.113.7") != SipHash24(CountingKey(), "203.0.113.7"));
  }
}

}  // namespace hamlet::engine
