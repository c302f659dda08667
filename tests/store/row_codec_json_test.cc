// EncodeFields and EncodeReasons write their JSON by hand (no Json values built): each must
// spell every input exactly as nlohmann's dump does, which is how the columns were always
// written, for hostile text (control characters, NULs, every kind of malformed UTF-8) too.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite_store_internal.h"

namespace hamlet::store::internal {
namespace {

using Json = nlohmann::json;

std::string Reference(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ReferenceFields(const core::FieldList& fields) {
  Json out = Json::array();
  for (const auto& [name, value] : fields) out.push_back(Json::array({name, value}));
  return Reference(out);
}

std::string ReferenceReasons(const std::vector<core::Reason>& reasons) {
  Json out = Json::array();
  for (const core::Reason& r : reasons) {
    out.push_back({{"check", r.check}, {"contribution", r.contribution}, {"detail", r.detail}});
  }
  return Reference(out);
}

void AppendCodePoint(std::string& s, uint32_t cp) {
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Texts that go wrong in different ways: each byte alone, code points at every boundary of
// the encoding, surrogates and overlong forms, truncated and stray continuation bytes.
std::vector<std::string> EdgeTexts() {
  std::vector<std::string> texts = {"", "plain", "quote \" backslash \\ slash /",
                                    std::string("nul\0in the middle", 17), "\x7f del"};
  for (int b = 0; b < 256; ++b) {
    std::string s = "a";
    s.push_back(static_cast<char>(b));
    s.push_back('z');
    texts.push_back(s);
  }
  for (uint32_t cp : {0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFDu, 0xFFFFu,
                      0x10000u, 0x10FFFFu}) {
    std::string s = "<";
    AppendCodePoint(s, cp);
    s.push_back('>');
    texts.push_back(s);
  }
  for (const char* bad : {"\xED\xA0\x80", "\xED\xBF\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80",
                          "\xE0\x9F\xBF", "\xF0\x80\x80\x80", "\xF0\x8F\xBF\xBF",
                          "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xC3", "\xE2\x82",
                          "\xF0\x9F\x98", "\x80", "\xBF\xBF", "\xC3\xA9\xA9", "ok \xE2\x82\xAC ok"}) {
    std::string framed = "x";  // appended, not concatenated: GCC 12 warns (-Wrestrict) wrongly
    framed += bad;
    framed += "y";
    texts.push_back(framed);
    texts.push_back(bad);
  }
  return texts;
}

std::string RandomText(std::mt19937& rng) {
  std::uniform_int_distribution<int> length(0, 40), kind(0, 9), byte(0, 255);
  std::uniform_int_distribution<uint32_t> bmp(0x80, 0xFFFF), astral(0x10000, 0x10FFFF);
  std::string s;
  for (int i = length(rng); i > 0; --i) {
    switch (kind(rng)) {
      case 0: s.push_back(static_cast<char>(byte(rng))); break;       // any byte at all
      case 1: s.push_back(static_cast<char>(byte(rng) & 0x1F)); break;  // control characters
      case 2: AppendCodePoint(s, bmp(rng)); break;  // surrogates included (not well-formed)
      case 3: AppendCodePoint(s, astral(rng)); break;
      default: s.push_back(static_cast<char>('a' + byte(rng) % 26)); break;
    }
  }
  return s;
}

TEST_SUITE("store/row_codec_json") {
  TEST_CASE("EncodeFields spells edge-case texts exactly as nlohmann does") {
    for (const std::string& text : EdgeTexts()) {
      const core::FieldList fields = {{text, "v"}, {"k", text}};
      CAPTURE(text);
      CHECK(EncodeFields(fields) == ReferenceFields(fields));
    }
    CHECK(EncodeFields({}) == ReferenceFields({}));
  }

  TEST_CASE("EncodeFields spells random texts exactly as nlohmann does") {
    std::mt19937 rng(20261203);
    for (int round = 0; round < 3000; ++round) {
      core::FieldList fields;
      for (int i = round % 5; i > 0; --i) fields.emplace_back(RandomText(rng), RandomText(rng));
      CAPTURE(round);
      REQUIRE(EncodeFields(fields) == ReferenceFields(fields));
    }
  }

  TEST_CASE("EncodeReasons spells texts and numbers exactly as nlohmann does") {
    std::vector<double> numbers = {0.0,
                                   -0.0,
                                   1.0,
                                   -2.5,
                                   1.0 / 3.0,
                                   1e-300,
                                   1e300,
                                   123456789.125,
                                   std::numeric_limits<double>::denorm_min(),
                                   std::numeric_limits<double>::max(),
                                   std::numeric_limits<double>::quiet_NaN(),
                                   std::numeric_limits<double>::infinity(),
                                   -std::numeric_limits<double>::infinity()};
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> any(-50.0, 50.0);
    for (int i = 0; i < 200; ++i) numbers.push_back(any(rng));
    std::vector<core::Reason> reasons;
    for (size_t i = 0; i < numbers.size(); ++i) {
      reasons.push_back({RandomText(rng), numbers[i], RandomText(rng)});
    }
    for (const std::string& text : EdgeTexts()) reasons.push_back({text, 0.5, text});
    CHECK(EncodeReasons(reasons) == ReferenceReasons(reasons));
    CHECK(EncodeReasons({}) == ReferenceReasons({}));
    // One reason at a time too: the separators between elements are exercised above.
    for (const core::Reason& r : reasons) {
      CAPTURE(r.check);
      REQUIRE(EncodeReasons({r}) == ReferenceReasons({r}));
    }
  }
}

}  // namespace
}  // namespace hamlet::store::internal
