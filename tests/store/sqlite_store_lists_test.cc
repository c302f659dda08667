// Allow/block list entries on both backends: adding (all or nothing, duplicates skipped),
// listing, removing, the revision counter, and a database upgraded from version 4.
#include <doctest/doctest.h>

#include "store/schema.h"
#include "store/sqlite_store.h"
#include "support/sqlite_probe.h"
#include "support/store_backends.h"
#include "support/temp_dir.h"

namespace hamlet::store {
namespace {

ListEntry Entry(std::string site, std::string list, std::string kind, std::string value) {
  ListEntry e;
  e.site_url = std::move(site);
  e.list = std::move(list);
  e.kind = std::move(kind);
  e.value = std::move(value);
  e.note = "why";
  e.added_by = "alice";
  e.created_ms = 42;
  return e;
}

}  // namespace

TEST_SUITE("store/list_entries") {
  TEST_CASE_TEMPLATE("entries are added with ids, listed in order, removed one by one", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto ids = store->AddListEntries({Entry("https://b.example/", "block", "word", "casino"),
                                      Entry("", "block", "ip", "203.0.113.0/24"),
                                      Entry("", "allow", "email", "ann@mail.example")});
    REQUIRE(ids);
    REQUIRE(ids->size() == 3);
    CHECK((*ids)[0] > 0);
    CHECK((*ids)[1] > (*ids)[0]);

    auto rows = store->ListListEntries();
    REQUIRE(rows);
    REQUIRE(rows->size() == 3);
    // Ordered by site, list, kind, value: every site's first.
    CHECK((*rows)[0].site_url.empty());
    CHECK((*rows)[0].list == "allow");
    CHECK((*rows)[1].kind == "ip");
    CHECK((*rows)[2].site_url == "https://b.example/");
    CHECK((*rows)[2].note == "why");
    CHECK((*rows)[2].added_by == "alice");
    CHECK((*rows)[2].created_ms == 42);
    CHECK((*rows)[2].id == (*ids)[0]);

    CHECK(store->RemoveListEntry("", "block", "ip", "203.0.113.0/24").ok());
    auto again = store->RemoveListEntry("", "block", "ip", "203.0.113.0/24");
    CHECK(again.code() == core::StatusCode::kNotFound);
    CHECK(again.message().find("every site") != std::string::npos);
    // The same value on another site's list is another entry.
    CHECK(store->RemoveListEntry("", "block", "word", "casino").code() ==
          core::StatusCode::kNotFound);
    CHECK(store->ListListEntries()->size() == 2);
  }

  TEST_CASE_TEMPLATE("an entry already stored is skipped and reported with id 0", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    REQUIRE(store->AddListEntries({Entry("", "block", "word", "casino")}));
    auto ids = store->AddListEntries(
        {Entry("", "block", "word", "casino"), Entry("", "allow", "word", "casino")});
    REQUIRE(ids);
    CHECK((*ids)[0] == 0);
    CHECK((*ids)[1] > 0);  // the allow list is another list
    CHECK(store->ListListEntries()->size() == 2);
  }

  TEST_CASE_TEMPLATE("a batch with a bad entry stores nothing", Backend, testing::SqliteBackend,
                     testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    auto empty = store->AddListEntries(
        {Entry("", "block", "word", "casino"), Entry("", "block", "word", "")});
    CHECK(empty.error().code() == core::StatusCode::kInvalidArgument);
    // A list name the table refuses fails inside the transaction: the first row goes too.
    auto refused = store->AddListEntries(
        {Entry("", "block", "word", "casino"), Entry("", "deny", "word", "poker")});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(store->ListListEntries()->empty());
    CHECK(store->AddListEntries({Entry("", "block", "word", "casino")}));
  }

  TEST_CASE_TEMPLATE("the revision moves on every add and remove, not on a skipped duplicate",
                     Backend, testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(store, Backend);
    const int64_t r0 = store->ListEntriesRevision().value();
    REQUIRE(store->AddListEntries({Entry("", "block", "word", "casino")}));
    const int64_t r1 = store->ListEntriesRevision().value();
    CHECK(r1 != r0);
    REQUIRE(store->AddListEntries({Entry("", "block", "word", "casino")}));
    CHECK(store->ListEntriesRevision().value() == r1);
    REQUIRE(store->RemoveListEntry("", "block", "word", "casino").ok());
    const int64_t r2 = store->ListEntriesRevision().value();
    CHECK(r2 != r1);
    // Add and remove the same entry again: the counter never returns to an earlier value.
    REQUIRE(store->AddListEntries({Entry("", "block", "word", "casino")}));
    CHECK(store->ListEntriesRevision().value() != r1);
  }

  TEST_CASE_TEMPLATE("another process's change moves the revision this one reads", Backend,
                     testing::SqliteBackend, testing::PostgresBackend) {
    HAMLET_OPEN_TEST_STORE(reader, Backend);
    auto writer = reader.OpenAnother();
    const int64_t before = reader->ListEntriesRevision().value();
    REQUIRE(writer->AddListEntries({Entry("", "allow", "ip", "198.51.100.7")}));
    CHECK(reader->ListEntriesRevision().value() != before);
    REQUIRE(reader->ListListEntries()->size() == 1);
  }

  TEST_CASE("a version 4 database is upgraded with an empty list table") {
    testing::TempDir dir;
    const std::string db = dir.File("hamlet.db");
    testing::CreateDatabaseAtVersionForTesting(
        db, 4, "INSERT INTO site_settings VALUES ('', 'spam_threshold', '0.9', 1);");
    auto store = testing::OpenSqliteStoreOrFail(db);
    CHECK(testing::QueryIntForTesting(db, "PRAGMA user_version") == schema::LatestVersion());
    CHECK(store->ListListEntries()->empty());
    CHECK(store->ListSiteSettings()->size() == 1);
    REQUIRE(store->AddListEntries({Entry("", "block", "regex", "casino\\s*bonus")}));
    CHECK(store->ListListEntries()->size() == 1);
  }

  TEST_CASE("a read-only store lists entries and refuses to change them") {
    testing::TempDir dir;
    const std::string db = dir.File("hamlet.db");
    {
      auto store = testing::OpenSqliteStoreOrFail(db);
      REQUIRE(store->AddListEntries({Entry("", "block", "word", "casino")}));
    }
    SqliteOptions ro;
    ro.read_only = true;
    auto store = testing::OpenSqliteStoreOrFail(db, ro);
    CHECK(store->ListListEntries()->size() == 1);
    CHECK(store->ListEntriesRevision());
    CHECK(store->AddListEntries({Entry("", "block", "word", "poker")}).error().code() ==
          core::StatusCode::kUnavailable);
    CHECK(store->RemoveListEntry("", "block", "word", "casino").code() ==
          core::StatusCode::kUnavailable);
  }
}

}  // namespace hamlet::store
