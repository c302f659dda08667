// Per-site settings rows (both backends; read-only: SQLite only): upsert, ordered listing, delete,
// and the error paths.
#include <doctest/doctest.h>

#include "store/sqlite_store.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

namespace hamlet::store {

TEST_SUITE("store/site_settings") {
  TEST_CASE_TEMPLATE("settings are upserted per site and name, listed in order, deleted one by one",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->PutSiteSetting({"https://b.example/", "weight.links", "0.5", 10}).ok());
    REQUIRE(store->PutSiteSetting({"", "spam_threshold", "0.9", 11}).ok());
    REQUIRE(store->PutSiteSetting({"https://b.example/", "weight.links", "0.25", 12}).ok());
    auto rows = store->ListSiteSettings();
    REQUIRE(rows);
    REQUIRE(rows->size() == 2);
    CHECK((*rows)[0].site_url.empty());
    CHECK((*rows)[1].value == "0.25");
    CHECK((*rows)[1].updated_ms == 12);

    CHECK(store->DeleteSiteSetting("https://b.example/", "weight.links").ok());
    CHECK(store->DeleteSiteSetting("https://b.example/", "weight.links").code() ==
          core::StatusCode::kNotFound);
    CHECK(store->PutSiteSetting({"", "", "x", 1}).code() == core::StatusCode::kInvalidArgument);
  }

  TEST_CASE("settings survive reopening, and a read-only store refuses to write them") {
    testing::TempDir dir;
    const std::string db = dir.File("hamlet.db");
    {
      auto store = OpenSqliteStore(db).value();
      REQUIRE(store->PutSiteSetting({"", "uncertain_answer", "true", 5}).ok());
    }
    SqliteOptions ro;
    ro.read_only = true;
    auto store = OpenSqliteStore(db, ro).value();
    auto rows = store->ListSiteSettings();
    REQUIRE(rows);
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().value == "true");
    CHECK(store->PutSiteSetting({"", "uncertain_band", "2", 6}).code() ==
          core::StatusCode::kUnavailable);
  }
}

}  // namespace hamlet::store
