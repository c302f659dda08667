// SimHash: a 64-bit fingerprint of a text's words, so that the same or nearly the same text (a
// spam campaign with a word changed, added or moved) gets fingerprints a few bits apart, while
// unrelated texts differ in about 32. Memory stores these fingerprints with decisions: the
// hashing below is frozen (changing it would make stored fingerprints meaningless).
//
// Why single words rather than 3-word shingles: comments are short. Changing one word of a
// 30-word comment replaces 3 of about 28 shingles but only 1 of about 25 words, and flips
// correspondingly fewer bits. Measured on our data and the corpora (one random word replaced,
// 7,700 comments of 10+ words), the share of copies within 5 bits: single words 31% (10-19
// words), 56% (20-39), 80% (40-79), 89% (80+); 3-word shingles 4%, 12%, 35%, 62%. Among 1.2
// million pairs of different comments, single words put only one more pair within 5 bits
// (59 vs 58, nearly all of them real duplicates in the corpora).
#pragma once

#include <cstdint>
#include <string_view>

namespace hamlet::text {

struct TextFingerprint {
  uint64_t simhash = 0;
  int words = 0;  // distinct word tokens behind it; 0: no words, no fingerprint
};

// The most word tokens a fingerprint reads (the first ones in text order); longer texts cost no
// more than this.
inline constexpr int kMaxFingerprintTokens = 2000;

// The SimHash of `normalized` (text::Normalize output): every distinct token with a letter or
// digit in it (punctuation tokens are skipped) is hashed, and each hash votes +1/-1 on every
// bit; a bit is set when its vote is positive. Word order does not matter. Deterministic and
// thread-safe.
TextFingerprint SimHash(std::string_view normalized);

// Bits in which `a` and `b` differ (0..64).
int HammingDistance(uint64_t a, uint64_t b);

}  // namespace hamlet::text
