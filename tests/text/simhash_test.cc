// SimHash fingerprints: near-copies a few bits apart, unrelated texts far apart, word counts
// for the minimum, and hostile input handled in bounded time.
#include "text/simhash.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/mix64.h"
#include "text/normalize.h"

using namespace hamlet;

namespace {

text::TextFingerprint Of(const std::string& raw) { return text::SimHash(text::Normalize(raw)); }

const std::string kSpam =
    "Looking for the best deals on replica watches and designer handbags? Visit our online "
    "store today for huge discounts, free worldwide shipping and a money back guarantee on "
    "every single order you place with us this month.";

// SimHash as first written (split at each ' ' with find, FNV-1a per token, then a second scan
// for a word byte): the one-pass version must agree with it on any input.
text::TextFingerprint ReferenceSimHash(std::string_view normalized) {
  std::vector<uint64_t> words;
  size_t pos = 0;
  while (pos < normalized.size() &&
         words.size() < static_cast<size_t>(text::kMaxFingerprintTokens)) {
    const size_t end = std::min(normalized.find(' ', pos), normalized.size());
    const std::string_view token = normalized.substr(pos, end - pos);
    pos = end + 1;
    const bool word = std::any_of(token.begin(), token.end(), [](char ch) {
      const auto c = static_cast<unsigned char>(ch);
      return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
             (c >= 'A' && c <= 'Z');
    });
    if (token.empty() || !word) continue;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : token) h = (h ^ c) * 0x100000001b3ULL;
    words.push_back(core::Mix64(h));
  }
  if (words.empty()) return {};
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  uint64_t simhash = 0;
  for (int bit = 0; bit < 64; ++bit) {
    const auto ones =
        std::count_if(words.begin(), words.end(), [bit](uint64_t w) { return (w >> bit) & 1; });
    if (2 * ones > static_cast<long>(words.size())) simhash |= uint64_t{1} << bit;
  }
  return {simhash, static_cast<int>(words.size())};
}

}  // namespace

TEST_SUITE("text/simhash") {
  TEST_CASE("the same text gives the same fingerprint whatever its markup and case") {
    const auto a = Of(kSpam);
    const auto b = Of("<p>" + kSpam + "</p>");
    std::string shouted = kSpam;
    for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(a.words > 30);
    CHECK(a.simhash == b.simhash);
    CHECK(a.simhash == Of(shouted).simhash);
  }

  TEST_CASE("a word changed or punctuation added leaves a near-copy a few bits away") {
    const auto a = Of(kSpam);
    // Each word in turn replaced by another: most copies stay within the index's 5 bits (a
    // short text has few words to vote, so not all: see simhash.h for the measured shares).
    std::vector<std::string> words;
    for (size_t pos = 0, end; pos < kSpam.size(); pos = end + 1) {
      end = std::min(kSpam.find(' ', pos), kSpam.size());
      words.push_back(kSpam.substr(pos, end - pos));
    }
    int near = 0;
    for (size_t i = 0; i < words.size(); ++i) {
      std::string copy;
      for (size_t j = 0; j < words.size(); ++j) copy.append(j == i ? "zebra" : words[j]) += ' ';
      if (text::HammingDistance(a.simhash, Of(copy).simhash) <= 5) ++near;
    }
    CHECK(near * 10 >= static_cast<int>(words.size()) * 6);
    CHECK(text::HammingDistance(a.simhash, Of(kSpam + " again").simhash) <= 5);
    std::string moved = kSpam;  // word order does not matter
    moved.replace(moved.find("today "), 6, "");
    moved += " today";
    CHECK(Of(moved).simhash == a.simhash);
    std::string punctuated = kSpam;
    for (size_t pos = 0; (pos = punctuated.find(" and ", pos)) != std::string::npos; pos += 6) {
      punctuated.replace(pos, 5, " , and ");
    }
    CHECK(Of(punctuated).simhash == a.simhash);  // punctuation tokens are not words
  }

  TEST_CASE("unrelated texts are far apart") {
    const auto spam = Of(kSpam);
    const auto ham =
        Of("I tried the sourdough method from this post last weekend. The overnight proof in the "
           "fridge made a huge difference; the crust was much darker than my usual loaf.");
    CHECK(text::HammingDistance(spam.simhash, ham.simhash) > 10);
  }

  TEST_CASE("counts distinct words and has no fingerprint without any") {
    CHECK(Of("").words == 0);
    CHECK(Of("!!! ... ??? ,,,").words == 0);
    CHECK(Of("thanks!").words == 1);
    CHECK(Of("great post").words == 2);
    CHECK(Of("Great post, great post!").words == 2);
  }

  TEST_CASE("repetition does not inflate the shingle count") {
    std::string same;
    for (int i = 0; i < 500; ++i) same += "buy now ";
    CHECK(Of(same).words == 2);
  }

  TEST_CASE("hostile input: huge, invalid UTF-8 and all-symbol texts stay bounded") {
    std::string huge;
    for (int i = 0; huge.size() < 200 * 1024; ++i)
      huge.append("w").append(std::to_string(i)) += ' ';
    const auto big = Of(huge);
    CHECK(big.words <= text::kMaxFingerprintTokens);
    CHECK(big.words > 100);
    std::string junk;
    for (int i = 0; i < 4000; ++i) junk += "\xC3\x28\xFF ";
    CHECK(Of(junk).words >= 0);  // replaced bytes, no crash
    std::string symbols(100'000, '!');
    CHECK(Of(symbols).words == 0);
  }

  TEST_CASE("the hash is frozen: stored fingerprints stay comparable across versions") {
    // If this fails, SimHash changed and every fingerprint in existing databases is stale.
    CHECK(text::SimHash("the quick brown fox jumps over the lazy dog").simhash ==
          0x18814b020a684414ULL);
    // Past 255 distinct words the bit counting empties its byte-wide counters: the answers
    // (worked out by the bit-by-bit counting this replaced) must not change.
    auto many = [](int n) {
      std::string t;
      for (int i = 0; i < n; ++i) {
        t += 'w';
        t += std::to_string(i * 7919 % 100003);
        t += ' ';
      }
      return text::SimHash(t);
    };
    CHECK(many(300).words == 300);
    CHECK(many(300).simhash == 0x0d491f0661537a0fULL);
    CHECK(many(700).simhash == 0x4e2d1326e8137e9fULL);
    CHECK(many(1500).simhash == 0x1ba43723ac587dd7ULL);
    CHECK(text::HammingDistance(0, ~0ULL) == 64);
    CHECK(text::HammingDistance(0xF0, 0x0F) == 8);
  }

  TEST_CASE("the one-pass tokenizer agrees with the split-then-scan reference on hostile input") {
    std::vector<std::string> texts = {
        "",
        " ",
        "   ",
        "word",
        " leading and trailing ",
        "double  spaces   between\twords",
        "! , ... ?? punctuation-only tokens !!",
        "mixed!tokens a1 !b ,c, 9",
        "\xC3\xA9t\xC3\xA9 caf\xC3\xA9 \xFF\xFE \x80",
        std::string("nul\0inside text", 16),
        "same same same same different",
    };
    // Exactly at, below and above the token cap, with punctuation tokens that do not count.
    for (int n : {text::kMaxFingerprintTokens - 1, text::kMaxFingerprintTokens,
                  text::kMaxFingerprintTokens + 1, text::kMaxFingerprintTokens + 500}) {
      std::string t;
      for (int i = 0; i < n; ++i) {
        t += 'w';
        t += std::to_string(i);
        t += i % 3 == 0 ? " ! " : " ";
      }
      texts.push_back(t);
      texts.push_back(t + "tail");
      t.pop_back();
      texts.push_back(t);
    }
    // Pseudo-random bytes weighted towards spaces and letters.
    uint64_t state = 42;
    for (int k = 0; k < 200; ++k) {
      std::string t;
      const int len = static_cast<int>(state % 400);
      for (int i = 0; i < len; ++i) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        const unsigned r = static_cast<unsigned>(state >> 33) % 10;
        t += r < 3   ? ' '
             : r < 7 ? static_cast<char>('a' + (state >> 40) % 26)
                     : static_cast<char>((state >> 48) & 0xff);
      }
      texts.push_back(t);
    }
    for (const std::string& t : texts) {
      const auto got = text::SimHash(t);
      const auto want = ReferenceSimHash(t);
      CHECK(got.words == want.words);
      CHECK(got.simhash == want.simhash);
    }
  }
}
