// SimHash over distinct words with a frozen 64-bit hash (FNV-1a, then the splitmix64 finalizer).
#include "text/simhash.h"

#include <algorithm>
#include <array>
#include <bit>
#include <vector>

#include "core/mix64.h"

namespace hamlet::text {
namespace {

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;  // FNV-1a 64
constexpr uint64_t kFnvPrime = 0x100000001b3ULL;

// kWordByte[c]: a token counts when it has an ASCII letter or digit, or any non-ASCII byte
// (letters of other scripts); "!", "," and "..." do not. A table: one lookup per byte.
constexpr std::array<bool, 256> MakeWordBytes() {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] =
        c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  return table;
}
constexpr std::array<bool, 256> kWordByte = MakeWordBytes();

// kSpread[b]: byte b's 8 bits spread to the lowest bit of 8 bytes (bit i -> byte i), so that
// adding kSpread[byte] to a word counts 8 bit positions at once in 8 byte-wide counters.
constexpr std::array<uint64_t, 256> MakeSpread() {
  std::array<uint64_t, 256> table{};
  for (int b = 0; b < 256; ++b) {
    for (int i = 0; i < 8; ++i) {
      if ((b >> i) & 1) table[b] |= uint64_t{1} << (8 * i);
    }
  }
  return table;
}
constexpr std::array<uint64_t, 256> kSpread = MakeSpread();

// How many of `hashes` have each of the 64 bits set: 8 additions per hash instead of 64,
// in byte-wide counters emptied before they can overflow.
std::array<int, 64> CountSetBits(const std::vector<uint64_t>& hashes) {
  std::array<int, 64> ones{};
  std::array<uint64_t, 8> packed{};  // packed[k]: bits 8k..8k+7, one counter per byte
  auto flush = [&] {
    for (int k = 0; k < 8; ++k) {
      for (int i = 0; i < 8; ++i)
        ones[8 * k + i] += static_cast<int>((packed[k] >> (8 * i)) & 0xff);
      packed[k] = 0;
    }
  };
  size_t pending = 0;
  for (uint64_t h : hashes) {
    for (int k = 0; k < 8; ++k) packed[k] += kSpread[(h >> (8 * k)) & 0xff];
    if (++pending == 255) {
      flush();
      pending = 0;
    }
  }
  flush();
  return ones;
}

}  // namespace

TextFingerprint SimHash(std::string_view normalized) {
  std::vector<uint64_t> words;
  words.reserve(std::min<size_t>(normalized.size() / 2 + 1, kMaxFingerprintTokens));
  // One pass over the bytes: each token's FNV-1a hash and whether it is a word are found
  // together (no search for the next space, no second scan of the token).
  uint64_t hash = kFnvOffset;
  bool is_word = false;
  auto end_token = [&] {
    // core::Mix64 spreads FNV's weak low bits over the whole word.
    if (is_word) words.push_back(core::Mix64(hash));
    hash = kFnvOffset;
    is_word = false;
  };
  constexpr auto kMax = static_cast<size_t>(kMaxFingerprintTokens);
  for (const char ch : normalized) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ') {
      end_token();
      if (words.size() >= kMax) break;  // checked per token, not per byte
      continue;
    }
    hash = (hash ^ c) * kFnvPrime;
    is_word |= kWordByte[c];
  }
  if (words.size() < kMax) end_token();
  if (words.empty()) return {};
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  // A bit is set when more words have it set than not (ties: unset).
  const std::array<int, 64> ones = CountSetBits(words);
  const int n = static_cast<int>(words.size());
  uint64_t simhash = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (2 * ones[bit] > n) simhash |= uint64_t{1} << bit;
  }
  return {simhash, static_cast<int>(words.size())};
}

int HammingDistance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

}  // namespace hamlet::text
