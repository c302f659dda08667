// Canonical values of list entries, and the refusals users see.
#include "signals/list_kind.h"

#include <doctest/doctest.h>

using namespace hamlet;
using signals::ListKind;

TEST_SUITE("signals/list_kind") {
  TEST_CASE("names of lists and kinds round-trip and unknown ones are refused") {
    for (ListKind kind : signals::ListKinds()) {
      CHECK(signals::ParseListKind(signals::ListKindName(kind)) == kind);
    }
    CHECK(signals::ParseListName("allow") == signals::ListName::kAllow);
    CHECK(signals::ParseListName("block") == signals::ListName::kBlock);
    CHECK_FALSE(signals::ParseListName("deny"));
    CHECK_FALSE(signals::ParseListKind("domain"));
  }

  TEST_CASE("values are brought to one canonical form") {
    struct Row {
      ListKind kind;
      const char* in;
      const char* out;
    };
    const Row rows[] = {
        {ListKind::kEmail, " Ann.Smith@Mail.Example ", "ann.smith@mail.example"},
        {ListKind::kEmailDomain, "@Mail.Example", "mail.example"},
        {ListKind::kEmailDomain, "*.mail.example.", "mail.example"},
        {ListKind::kUrlDomain, "https://WWW.Spam.Example:8080/buy?now", "www.spam.example"},
        {ListKind::kUrlDomain, "spam.example", "spam.example"},
        {ListKind::kUrlDomain, "xyz", "xyz"},  // a whole top-level domain, on purpose
        {ListKind::kWord, "  Cheap   PILLS ", "cheap pills"},
        {ListKind::kWord, "Ｖｉａｇｒａ", "viagra"},
        {ListKind::kRegex, R"(\bfree\s+money\b)", R"(\bfree\s+money\b)"},
    };
    for (const Row& row : rows) {
      const std::string shown_in = row.in;
      CAPTURE(shown_in);
      auto v = signals::CanonicalListValue(row.kind, row.in);
      REQUIRE_MESSAGE(v, (v ? std::string() : v.error().message()));
      CHECK(*v == row.out);
    }
  }

  TEST_CASE("values that cannot be an entry of their kind are refused with the reason") {
    struct Row {
      ListKind kind;
      const char* in;
      const char* says;
    };
    const Row rows[] = {
        {ListKind::kIp, "example.com", "not an address"},
        {ListKind::kEmail, "no-at-sign", "not an e-mail address"},
        {ListKind::kEmail, "@example.com", "not an e-mail address"},
        {ListKind::kEmail, "ann@exa mple.com", "no valid domain"},
        {ListKind::kEmailDomain, "bad_domain.example", "not a domain name"},
        {ListKind::kUrlDomain, "-spam.example", "not a domain name"},
        {ListKind::kUrlDomain, "spam..example", "not a domain name"},
        {ListKind::kWord, "!!!", "no words"},
        {ListKind::kWord, "visit cheap-pills.com", "markers"},
        {ListKind::kWord, "one two three four five six seven eight nine", "longer than 8"},
        {ListKind::kRegex, "(a)\\1", "RE2"},
        {ListKind::kWord, "   ", "empty"},
    };
    for (const Row& row : rows) {
      const std::string shown_in = row.in;
      CAPTURE(shown_in);
      auto v = signals::CanonicalListValue(row.kind, row.in);
      REQUIRE_FALSE(v);
      CHECK(v.error().code() == core::StatusCode::kInvalidArgument);
      CHECK(v.error().message().find(row.says) != std::string::npos);
    }
  }
}
