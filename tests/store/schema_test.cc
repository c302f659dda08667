// Tests for the migration list and its planning by user_version.
#include "store/schema.h"

#include <doctest/doctest.h>

#include <vector>

namespace hamlet::store::schema {
namespace {

TEST_SUITE("store/schema") {
  TEST_CASE("numbers migrations 1, 2, 3 ... in order") {
    int expected = 1;
    for (const Migration& m : Migrations()) {
      CHECK(m.version == expected++);
      CHECK_FALSE(m.sql.empty());
      CHECK_FALSE(m.description.empty());
    }
    CHECK(LatestVersion() == expected - 1);
  }

  TEST_CASE("applies only the migrations newer than the current version") {
    std::vector<int> applied;
    auto record = [&](const Migration& m) {
      applied.push_back(m.version);
      return core::Status::Ok();
    };
    CHECK(Migrate(0, record).ok());
    CHECK(applied.size() == Migrations().size());
    applied.clear();
    CHECK(Migrate(LatestVersion(), record).ok());
    CHECK(applied.empty());
  }

  TEST_CASE("stops at the first failing migration and refuses newer databases") {
    int calls = 0;
    auto fail = [&](const Migration&) {
      ++calls;
      return core::Status::Unavailable("disk full");
    };
    CHECK(Migrate(0, fail).code() == core::StatusCode::kUnavailable);
    CHECK(calls == 1);
    CHECK(Migrate(LatestVersion() + 1, fail).code() == core::StatusCode::kInvalidArgument);
    CHECK(calls == 1);
  }
}

}  // namespace
}  // namespace hamlet::store::schema
