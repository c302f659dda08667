// The model registry's rows (both backends): published models listed newest first without their
// bytes, read back byte for byte (NUL and non-UTF-8 bytes included), seen by another store on the
// same database and after reopening; and the refusals.
#include <doctest/doctest.h>

#include <string>

#include "engine/crypto.h"
#include "support/store_backends.h"

namespace hamlet::store {
namespace {

// Bytes no TEXT column could hold: every byte value, NULs and invalid UTF-8 included.
std::string AllByteValues(int repeat) {
  std::string out;
  for (int r = 0; r < repeat; ++r) {
    for (int b = 0; b < 256; ++b) out.push_back(static_cast<char>(b));
  }
  return out;
}

PublishedModel Model(const std::string& name, const std::string& bytes, int64_t ms) {
  PublishedModel m;
  m.model = bytes;
  m.sha256 = engine::Sha256Hex(bytes);
  m.version = name + "@" + m.sha256.substr(0, 8);
  m.meta_json = R"({"version": 1, "model": ")" + m.version + R"("})";
  m.published_ms = ms;
  m.publisher = "alice@host1";
  return m;
}

}  // namespace

TEST_SUITE("store/model_registry") {
  TEST_CASE_TEMPLATE("published models are listed newest first and read back byte for byte",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto none = store->ListPublishedModels(5);
    REQUIRE(none);
    CHECK(none->empty());

    const PublishedModel first = Model("hamlet-default", AllByteValues(3), 1000);
    PublishedModel second = Model("retrained", AllByteValues(1) + "tail", 2000);
    second.meta_json.clear();  // a model without a sidecar
    second.publisher = "bob@host2";
    auto id1 = store->PublishModel(first);
    REQUIRE(id1);
    auto id2 = store->PublishModel(second);
    REQUIRE(id2);
    CHECK(*id2 > *id1);

    auto listed = store->ListPublishedModels(10);
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    const PublishedModel& newest = listed->front();
    CHECK(newest.id == *id2);
    CHECK(newest.version == second.version);
    CHECK(newest.model.empty());  // listings leave the bytes out
    CHECK(newest.model_bytes == static_cast<int64_t>(second.model.size()));
    CHECK(newest.sha256 == second.sha256);
    CHECK(newest.meta_json.empty());
    CHECK(newest.published_ms == 2000);
    CHECK(newest.publisher == "bob@host2");
    CHECK((*listed)[1].id == *id1);
    CHECK((*listed)[1].meta_json == first.meta_json);

    auto head = store->ListPublishedModels(1);
    REQUIRE(head);
    REQUIRE(head->size() == 1);
    CHECK(head->front().id == *id2);

    auto got = store->GetPublishedModel(*id1);
    REQUIRE(got);
    REQUIRE(got->has_value());
    CHECK((*got)->model == first.model);
    CHECK((*got)->model_bytes == static_cast<int64_t>(first.model.size()));
    CHECK((*got)->version == first.version);
    CHECK((*got)->sha256 == first.sha256);
    auto missing = store->GetPublishedModel(*id2 + 100);
    REQUIRE(missing);
    CHECK_FALSE(missing->has_value());

    // Another node on the same database, and the same database reopened, see both.
    auto other = store.OpenAnother();
    auto seen = other->ListPublishedModels(1);
    REQUIRE(seen);
    REQUIRE(seen->size() == 1);
    CHECK(seen->front().version == second.version);
    store.Reopen();
    auto again = store->GetPublishedModel(*id2);
    REQUIRE(again);
    REQUIRE(again->has_value());
    CHECK((*again)->model == second.model);
  }

  TEST_CASE_TEMPLATE("a model without version bytes or sha256 is refused and nothing is stored",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    const PublishedModel good = Model("m", "bytes", 1);
    PublishedModel no_version = good;
    no_version.version.clear();
    PublishedModel no_bytes = good;
    no_bytes.model.clear();
    PublishedModel no_sha = good;
    no_sha.sha256.clear();
    PublishedModel short_sha = good;
    short_sha.sha256 = "abc";
    for (const PublishedModel* bad : {&no_version, &no_bytes, &no_sha, &short_sha}) {
      auto r = store->PublishModel(*bad);
      REQUIRE_FALSE(r);
      CHECK(r.error().code() == core::StatusCode::kInvalidArgument);
    }
    auto listed = store->ListPublishedModels(10);
    REQUIRE(listed);
    CHECK(listed->empty());
    CHECK(store->ListPublishedModels(0).error().code() == core::StatusCode::kInvalidArgument);
  }
}

}  // namespace hamlet::store
