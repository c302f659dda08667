#include "app/duration.h"

#include <doctest/doctest.h>

using namespace hamlet;

TEST_SUITE("app/duration") {
  TEST_CASE("parses days hours minutes and seconds into milliseconds") {
    CHECK(app::ParseDurationMs("30d").value() == 30LL * 24 * 3600 * 1000);
    CHECK(app::ParseDurationMs("12h").value() == 12LL * 3600 * 1000);
    CHECK(app::ParseDurationMs("90m").value() == 90LL * 60 * 1000);
    CHECK(app::ParseDurationMs("1d").value() == 86'400'000);
    CHECK(app::ParseDurationMs("45s").value() == 45'000);
  }

  TEST_CASE("refuses anything else with InvalidArgument") {
    for (const char* bad : {"", "d", "30", "30S", "30D", "-5d", "+5d", "0d", "1.5h", " 3d", "3d ",
                            "3dd", "99999999999999999d", "abc"}) {
      CAPTURE(bad);
      auto parsed = app::ParseDurationMs(bad);
      REQUIRE_FALSE(parsed.has_value());
      CHECK(parsed.error().code() == core::StatusCode::kInvalidArgument);
    }
  }
}
