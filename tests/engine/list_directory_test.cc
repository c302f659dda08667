// ListDirectory over a real SQLite store and real list files: snapshots per site, refresh
// when the store or a file changes, skipped bad lines, validation before storing.
#include "engine/list_directory.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "engine/list_file.h"
#include "store/sqlite_store.h"
#include "support/files.h"
#include "support/fixed_clock.h"
#include "support/temp_dir.h"

namespace hamlet::engine {
namespace {

using testing::WriteFile;

store::ListEntry Entry(std::string site, std::string list, std::string kind, std::string value) {
  store::ListEntry e;
  e.site_url = std::move(site);
  e.list = std::move(list);
  e.kind = std::move(kind);
  e.value = std::move(value);
  return e;
}

bool Blocks(const signals::Lists& lists, std::string_view word) {
  for (const auto& l : lists.block) {
    if (l->MatchWords(word) != nullptr) return true;
  }
  return false;
}

bool Allows(const signals::Lists& lists, std::string_view word) {
  for (const auto& l : lists.allow) {
    if (l->MatchWords(word) != nullptr) return true;
  }
  return false;
}

}  // namespace

TEST_SUITE("engine/list_directory") {
  TEST_CASE("files and stored entries make one snapshot per site over every site's entries") {
    testing::TempDir dir;
    WriteFile(dir.File(kDisposableDomainsFile), "# comment\nmailinator.com\n\nYOPMAIL.com\n");
    WriteFile(dir.File(kBlockFile), "# examples\nword casino\n");
    WriteFile(dir.File(kAllowFile), "word open source\n");
    auto store = store::OpenSqliteStore(":memory:").value();
    testing::FixedClock clock;
    ListDirectory lists(*store, clock, dir.path());
    REQUIRE(lists.Reload().ok());

    REQUIRE(lists.Add({Entry("", "block", "word", "Poker"),
                       Entry("https://a.example/", "block", "word", "bingo"),
                       Entry("https://a.example/", "allow", "word", "kittens")}));
    auto a = lists.For("https://a.example/");
    auto b = lists.For("https://b.example/");
    CHECK(a->IsDisposableEmailDomain("yopmail.com"));
    CHECK(b->IsDisposableEmailDomain("mailinator.com"));
    for (const auto& site : {a, b}) {
      CHECK(Blocks(*site, "casino"));       // file, every site
      CHECK(Blocks(*site, "poker"));        // store, every site
      CHECK(Allows(*site, "open source"));  // file, every site
    }
    CHECK(Blocks(*a, "bingo"));
    CHECK_FALSE(Blocks(*b, "bingo"));  // another site's entry
    CHECK(Allows(*a, "kittens"));
    CHECK_FALSE(Allows(*b, "kittens"));
    CHECK(lists.Current() == lists.For(""));

    CHECK(lists.Count().entries == 5);
    CHECK(lists.Count().disposable_domains == 2);
    auto files = lists.FileEntries();
    REQUIRE(files.size() == 2);
    CHECK(files[0].file == kAllowFile);
    CHECK(files[1].line == 2);
    CHECK(lists.Problems().empty());
  }

  TEST_CASE("Add validates every entry before storing any and stores canonical values") {
    auto store = store::OpenSqliteStore(":memory:").value();
    testing::FixedClock clock;
    ListDirectory lists(*store, clock, "");
    REQUIRE(lists.Reload().ok());
    auto bad = lists.Add(
        {Entry("", "block", "ip", "203.0.113.0/24"), Entry("", "block", "regex", "(a)\\1")});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code() == core::StatusCode::kInvalidArgument);
    CHECK(bad.error().message().find("RE2") != std::string::npos);
    CHECK(lists.Entries()->empty());
    CHECK(lists.Add({Entry("", "deny", "ip", "203.0.113.7")}).error().code() ==
          core::StatusCode::kInvalidArgument);
    CHECK(lists.Add({Entry("", "block", "domain", "x.example")}).error().code() ==
          core::StatusCode::kInvalidArgument);

    auto ids = lists.Add({Entry("", "block", "email", "Ann@Mail.Example")});
    REQUIRE(ids);
    auto rows = lists.Entries();
    REQUIRE(rows->size() == 1);
    CHECK(rows->front().value == "ann@mail.example");
    CHECK(rows->front().created_ms == clock.NowMillis());
    // Removing accepts any spelling of the value.
    CHECK(lists.Remove("", signals::ListName::kBlock, signals::ListKind::kEmail, "ANN@mail.example")
              .ok());
    CHECK(lists.Remove("", signals::ListName::kBlock, signals::ListKind::kEmail, "ann@mail.example")
              .code() == core::StatusCode::kNotFound);
  }

  TEST_CASE("another process's entry and a file edit are seen after the refresh period") {
    testing::TempDir dir;
    const std::string db = dir.File("hamlet.db");
    std::filesystem::create_directory(dir.File("lists"));
    const std::string block = dir.File("lists/" + std::string(kBlockFile));
    auto serving = store::OpenSqliteStore(db).value();
    auto cli = store::OpenSqliteStore(db).value();
    testing::FixedClock clock;
    ListDirectory served(*serving, clock, dir.File("lists"), /*refresh_ms=*/2000);
    ListDirectory edited(*cli, clock, dir.File("lists"));
    REQUIRE(served.Reload().ok());
    auto before = served.For("");

    REQUIRE(edited.Add({Entry("", "block", "word", "casino")}));
    CHECK_FALSE(Blocks(*served.For(""), "casino"));  // still the cached snapshot
    clock.Advance(2000);
    CHECK(Blocks(*served.For(""), "casino"));
    CHECK(served.LastRefreshError().ok());

    // Nothing changed: the snapshot in force is kept (no rebuild).
    auto kept = served.For("");
    clock.Advance(2000);
    CHECK(served.For("") == kept);

    WriteFile(block, "word poker\n");
    clock.Advance(2000);
    CHECK(Blocks(*served.For(""), "poker"));
    CHECK(Blocks(*served.For(""), "casino"));
    CHECK(before != served.For(""));
  }

  TEST_CASE("bad lines and bad stored entries are skipped and named, the rest applies") {
    testing::TempDir dir;
    WriteFile(dir.File(kBlockFile), "word casino\nip 999.1.1.1\nnonsense here\nregex (a)\\1\n");
    WriteFile(dir.File(kDisposableDomainsFile), "mailinator.com\nnot a domain\n");
    auto store = store::OpenSqliteStore(":memory:").value();
    // Written by a newer version of hamlet, say: a kind this one does not know.
    REQUIRE(store->AddListEntries({Entry("", "block", "asn", "AS64496")}));
    testing::FixedClock clock;
    ListDirectory lists(*store, clock, dir.path());
    REQUIRE(lists.Reload().ok());
    CHECK(Blocks(*lists.For(""), "casino"));
    CHECK(lists.For("")->IsDisposableEmailDomain("mailinator.com"));
    auto problems = lists.Problems();
    REQUIRE(problems.size() == 5);
    CHECK(problems[0].find("disposable-email-domains.txt line 2") != std::string::npos);
    CHECK(problems[1].find("block.txt line 2") != std::string::npos);
    CHECK(problems[2].find("block.txt line 3: 'nonsense' is not a kind") != std::string::npos);
    CHECK(problems[3].find("block.txt line 4") != std::string::npos);
    CHECK(problems[4].find("unknown list or kind 'block asn'") != std::string::npos);
  }

  TEST_CASE("no files and no store entries: empty lists, never null") {
    ListDirectory fixed;
    CHECK(fixed.For("https://a.example/") != nullptr);
    CHECK(fixed.For("")->block.empty());
    CHECK(fixed.Refresh().ok());
    CHECK(fixed.Add({Entry("", "block", "word", "x")}).error().code() ==
          core::StatusCode::kUnavailable);

    auto store = store::OpenSqliteStore(":memory:").value();
    testing::FixedClock clock;
    testing::TempDir dir;
    ListDirectory missing(*store, clock, dir.File("no-such-dir"));
    CHECK(missing.Reload().ok());
    CHECK(missing.For("")->disposable_email_domains.empty());
  }

  TEST_CASE("the list file format parses every line and reports each mistake") {
    auto parsed = ParseListText(
        "# header\n\nip 203.0.113.0/24\r\nword   Cheap Pills  \nemail\nregex [unclosed\n"
        "\turl_domain https://spam.example/x\n");
    REQUIRE(parsed.entries.size() == 3);
    CHECK(parsed.entries[0].line == 3);
    CHECK(parsed.entries[1].value == "cheap pills");
    CHECK(parsed.entries[2].value == "spam.example");
    REQUIRE(parsed.errors.size() == 2);
    CHECK(parsed.errors[0] == "line 5: no value after 'email'");
    CHECK(parsed.errors[1].find("line 6: regex") == 0);
    CHECK(FormatListLine(signals::ListKind::kWord, "cheap pills") == "word cheap pills");
  }
}

}  // namespace hamlet::engine
