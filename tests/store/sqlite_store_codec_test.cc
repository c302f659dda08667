// Tests for the JSON text columns of the SQLite store (fields and reasons).
#include <doctest/doctest.h>

#include <cmath>

#include "store/sqlite_store_internal.h"

namespace hamlet::store::internal {
namespace {

TEST_SUITE("store/sqlite_store_codec") {
  TEST_CASE("round-trips a field list in order, duplicates and odd characters included") {
    core::FieldList fields = {{"a", "1"},
                              {"a", "2"},
                              {"quote\"name", "line\nbreak \\ tab\t ✓"},
                              {"empty", ""},
                              {"nul", std::string("x\0y", 3)}};
    auto back = DecodeFields(EncodeFields(fields));
    REQUIRE(back.has_value());
    CHECK(*back == fields);
    CHECK(EncodeFields({}) == "[]");
  }

  TEST_CASE("replaces bytes that are not UTF-8 instead of failing") {
    auto back = DecodeFields(EncodeFields({{"k", "bad \xff byte"}}));
    REQUIRE(back.has_value());
    CHECK((*back)[0].second == "bad \xEF\xBF\xBD byte");
  }

  TEST_CASE("round-trips reasons, NaN contributions as NaN") {
    std::vector<core::Reason> reasons = {{"links.count", 1.0 / 3.0, "3 links"},
                                         {"nan", std::nan(""), ""}};
    auto back = DecodeReasons(EncodeReasons(reasons));
    REQUIRE(back.has_value());
    REQUIRE(back->size() == 2);
    CHECK((*back)[0].check == "links.count");
    CHECK((*back)[0].contribution == 1.0 / 3.0);
    CHECK((*back)[0].detail == "3 links");
    CHECK(std::isnan((*back)[1].contribution));
  }

  TEST_CASE("reports corrupt JSON columns as Internal") {
    for (const char* bad : {"", "{", "{}", "[[\"a\"]]", "[[1, 2]]", "[\"a\"]"}) {
      CAPTURE(bad);
      CHECK(DecodeFields(bad).error().code() == core::StatusCode::kInternal);
    }
    for (const char* bad : {"", "[1]", "[{\"check\": 1}]", "[{\"check\": \"a\"}]"}) {
      CAPTURE(bad);
      CHECK(DecodeReasons(bad).error().code() == core::StatusCode::kInternal);
    }
  }
}

}  // namespace
}  // namespace hamlet::store::internal
