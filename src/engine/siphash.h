// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash that is a pseudorandom
// function, so values hashed under a secret key cannot be made to collide on purpose. Used for
// memory's salted trait keys (engine/footprint.h), where SHA-256 cost more than the checks.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace hamlet::engine {

using SipKey = std::array<uint8_t, 16>;

// SipHash-2-4 of `data` under `key`, the reference implementation's output as a
// little-endian integer (the paper's test vector: key 00..0f, message 00..0e ->
// 0xa129ca6149be45e5).
uint64_t SipHash24(const SipKey& key, std::string_view data);

}  // namespace hamlet::engine
