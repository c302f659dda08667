// Small cryptographic helpers for ids and keys (OpenSSL underneath).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hamlet::engine {

// `bytes` random bytes from the OS CSPRNG as lowercase hex (2 * bytes characters).
core::Result<std::string> RandomHex(size_t bytes);
// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// The first 8 bytes of SHA-256(data) as a big-endian integer: a compact key for salted hashes
// of personal values (engine/footprint.h). Cheap enough for every check (one short block).
uint64_t Sha256Prefix64(std::string_view data);
// Equality that takes the same time wherever the first difference is.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace hamlet::engine
