// Tests for the migration list and its planning by user_version.
#include "store/schema.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/crypto.h"

namespace hamlet::store::schema {
namespace {

TEST_SUITE("store/schema") {
  TEST_CASE("numbers migrations 1, 2, 3 ... in order") {
    int expected = 1;
    for (const Migration& m : Migrations()) {
      CHECK(m.version == expected++);
      CHECK_FALSE(m.sqlite.empty());
      CHECK_FALSE(m.postgres.empty());
      CHECK_FALSE(m.description.empty());
    }
    CHECK(LatestVersion() == expected - 1);
  }

  TEST_CASE("the SQLite SQL of released migrations is byte for byte what shipped") {
    // Existing files were migrated with exactly these texts; an edit would make a new file
    // differ from an old one at the same version. Append a migration instead.
    const std::vector<std::string> shipped = {
        "afefca9747cce6f51e7808f698944725cff66e1511356ef2bc6813eb5e9dfcee",
        "5e6d1d17ad49914f51323386d0c8f3f7c9aa8682180288b01e7a4d2e930ed9b5",
        "e094788b35c0551bf389ba906bc2fe2fe407d97b80548e5f1afe27a279a05984",
        "61f2566e627f8f27bee43469ce94fbe3dae30ebbd1550bc572589148c8520972",
        "385a6dbd7a5c57b33dffbd5a3dfbac9a5a53878306dde91ed046a2c09cfc96a4",
        "3130f0c50bba9a4529275fab58f0019765a595eb80ca6209e6f7780ea16bfc55",
        "f54dc41d82002b34f07670cc26c8b039a9d8e54c5f270e4118481c3c80da4310",
        "e5c2fe3cc4bc278d55287ac0e34c22193d8b64fec7845edcb4724debd93208eb",
        "af13afbc3103a244f19a2d5c3b697d3250833cfc222ad45b68e7ecce4425cef3",
        "9c0aa13b8cf7ed81a8ef7c25c067ace20cc8b0698383e0a8fd4e14d37a0b542d",
    };
    REQUIRE(Migrations().size() >= shipped.size());
    for (size_t i = 0; i < shipped.size(); ++i) {
      CAPTURE(i + 1);
      CHECK(engine::Sha256Hex(Migrations()[i].sqlite) == shipped[i]);
    }
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
