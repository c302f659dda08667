// SimHash over distinct words with a frozen 64-bit hash (FNV-1a, then the splitmix64 finalizer).
#include "text/simhash.h"

#include <algorithm>
#include <array>
#include <bit>
#include <vector>

#include "core/mix64.h"

namespace hamlet::text {
namespace {

uint64_t TokenHash(std::string_view token) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64
  for (unsigned char c : token) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return core::Mix64(h);  // spreads FNV's weak low bits over the whole word
}

// A token counts when it has an ASCII letter or digit, or any non-ASCII byte (letters of other
// scripts); "!", "," and "..." do not.
bool IsWordToken(std::string_view token) {
  return std::any_of(token.begin(), token.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

}  // namespace

TextFingerprint SimHash(std::string_view normalized) {
  std::vector<uint64_t> words;
  size_t pos = 0;
  while (pos < normalized.size() && words.size() < static_cast<size_t>(kMaxFingerprintTokens)) {
    const size_t end = std::min(normalized.find(' ', pos), normalized.size());
    const std::string_view token = normalized.substr(pos, end - pos);
    pos = end + 1;
    if (!token.empty() && IsWordToken(token)) words.push_back(TokenHash(token));
  }
  if (words.empty()) return {};
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::array<int, 64> votes{};
  for (uint64_t h : words) {
    for (int bit = 0; bit < 64; ++bit) votes[bit] += ((h >> bit) & 1U) != 0 ? 1 : -1;
  }
  uint64_t simhash = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (votes[bit] > 0) simhash |= uint64_t{1} << bit;
  }
  return {simhash, static_cast<int>(words.size())};
}

int HammingDistance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

}  // namespace hamlet::text
