// SiteDirectory over a real SQLite store: settings stored, cached, refreshed and applied.
#include "engine/site_directory.h"

#include <doctest/doctest.h>

#include "store/sqlite_store.h"
#include "support/fixed_clock.h"
#include "support/temp_dir.h"

namespace hamlet::engine {

TEST_SUITE("engine/site_directory") {
  TEST_CASE("Set validates, stores and applies at once and Unset returns to the defaults") {
    auto store = store::OpenSqliteStore(":memory:").value();
    testing::FixedClock clock;
    SiteDirectory sites(*store, clock);
    REQUIRE(sites.Refresh().ok());
    const std::string site = "https://blog.example/";
    CHECK_FALSE(sites.For(site)->spam_threshold.has_value());

    REQUIRE(sites.Set("", "spam_threshold", "0.9").ok());
    REQUIRE(sites.Set(site, "spam_threshold", "0.99").ok());
    CHECK(*sites.For(site)->spam_threshold == doctest::Approx(0.99));
    CHECK(*sites.For("https://other.example/")->spam_threshold == doctest::Approx(0.9));

    CHECK(sites.Set(site, "spam_threshold", "2").code() == core::StatusCode::kInvalidArgument);
    CHECK(*sites.For(site)->spam_threshold == doctest::Approx(0.99));

    REQUIRE(sites.Unset(site, "spam_threshold").ok());
    CHECK(*sites.For(site)->spam_threshold == doctest::Approx(0.9));
    CHECK(sites.Unset(site, "spam_threshold").code() == core::StatusCode::kNotFound);

    auto rows = sites.List();
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().site_url.empty());
  }

  TEST_CASE("another process's change is seen once the cached copy is older than the period") {
    testing::TempDir dir;
    const std::string db = dir.File("hamlet.db");
    auto serving = store::OpenSqliteStore(db).value();
    auto cli = store::OpenSqliteStore(db).value();
    testing::FixedClock clock;
    SiteDirectory served(*serving, clock, /*refresh_ms=*/2000);
    SiteDirectory edited(*cli, clock);
    REQUIRE(served.Refresh().ok());

    REQUIRE(edited.Set("", "uncertain_answer", "true").ok());
    CHECK_FALSE(served.For("https://a.example/")->uncertain_answer_spam);  // still cached
    clock.Advance(2000);
    CHECK(served.For("https://a.example/")->uncertain_answer_spam);
    CHECK(served.LastRefreshError().ok());
  }
}

}  // namespace hamlet::engine
