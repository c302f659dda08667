// ParseTimestampMs: Unix seconds, Unix milliseconds and RFC 3339, and everything refused.
#include "core/timestamp.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

using hamlet::core::ParseTimestampMs;

TEST_SUITE("core/timestamp") {
  TEST_CASE("reads Unix seconds and milliseconds by magnitude") {
    struct Row {
      const char* text;
      int64_t ms;
    };
    const Row rows[] = {
        {"1714557296", 1714557296000},      {"1714557296.25", 1714557296250},
        {"1714557296250", 1714557296250},   {"1.714557296e+12", 1714557296000},
        {" 1714557296 ", 1714557296000},    {"0", 0},
        {"99999999999", 99999999999000},    {"100000000000", 100000000000},
        {"1714557296250.0", 1714557296250},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      REQUIRE(ParseTimestampMs(row.text).has_value());
      CHECK(*ParseTimestampMs(row.text) == row.ms);
    }
  }

  TEST_CASE("reads RFC 3339 with an offset") {
    struct Row {
      const char* text;
      int64_t ms;
    };
    const Row rows[] = {
        {"2024-05-01T09:54:56Z", 1714557296000},
        {"2024-05-01t09:54:56z", 1714557296000},
        {"2024-05-01 09:54:56Z", 1714557296000},
        {"2024-05-01T09:54:56.25Z", 1714557296250},
        {"2024-05-01T09:54:56.123456Z", 1714557296123},
        {"2024-05-01T11:54:56+02:00", 1714557296000},
        {"2024-05-01T04:54:56-05:00", 1714557296000},
        {"1970-01-01T00:00:00Z", 0},
        {"2024-02-29T00:00:00Z", 1709164800000},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      REQUIRE(ParseTimestampMs(row.text).has_value());
      CHECK(*ParseTimestampMs(row.text) == row.ms);
    }
  }

  TEST_CASE("refuses what is not a timestamp") {
    const char* rows[] = {"",
                          "   ",
                          "-5",
                          "+5",
                          "soon",
                          "1714557296x",
                          "0x10",
                          "nan",
                          "inf",
                          "1e400",
                          "253402300800000",      // the year 10000
                          "2024-05-01T09:54:56",  // no offset: ambiguous
                          "2024-05-01",
                          "2024-13-01T00:00:00Z",
                          "2023-02-29T00:00:00Z",
                          "2024-05-01T24:00:00Z",
                          "2024-05-01T09:60:00Z",
                          "2024-05-01T09:54:56.Z",
                          "2024-05-01T09:54:56+2:00",
                          "2024-05-01T09:54:56+24:00",
                          "2024-05-01T09:54:56Zjunk",
                          "1969-12-31T23:59:59Z",
                          "2024/05/01T09:54:56Z"};
    for (const char* text : rows) {
      INFO(std::string(text));
      CHECK_FALSE(ParseTimestampMs(text).has_value());
    }
  }
}
