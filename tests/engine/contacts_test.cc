// Tests for finding links, e-mail addresses and phone numbers in comment text.
#include "engine/contacts.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace hamlet::engine {
namespace {

// "kind:text" for each contact found.
std::vector<std::string> Found(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& span : FindContacts(text)) {
    const char* kind = span.kind == ContactKind::kLink    ? "link"
                       : span.kind == ContactKind::kEmail ? "email"
                                                          : "phone";
    out.push_back(std::string(kind) + ":" +
                  std::string(text.substr(span.begin, span.end - span.begin)));
  }
  return out;
}

}  // namespace

TEST_SUITE("engine/contacts") {
  TEST_CASE("finds links without the sentence's trailing punctuation") {
    CHECK(Found("See http://pills.example/buy?x=1. Or (www.shop.example)!") ==
          std::vector<std::string>{"link:http://pills.example/buy?x=1", "link:www.shop.example"});
    CHECK(Found("HTTPS://Loud.Example/Path, then") ==
          std::vector<std::string>{"link:HTTPS://Loud.Example/Path"});
    CHECK(Found("nohttp://x.example").empty());  // not at a word boundary
  }

  TEST_CASE("finds e-mail addresses and phone numbers") {
    CHECK(Found("mail win@casino-win.example or call +1 (555) 010-9999 today") ==
          std::vector<std::string>{"email:win@casino-win.example", "phone:+1 (555) 010-9999"});
    CHECK(Found("Call 0800 555 0100.") == std::vector<std::string>{"phone:0800 555 0100"});
    CHECK(Found("ring +44 7700 900123") == std::vector<std::string>{"phone:+44 7700 900123"});
  }

  TEST_CASE("dates IP addresses short numbers and identifiers are not phone numbers") {
    CHECK(Found("on 2024-05-01 at 10:30").empty());
    CHECK(Found("from 203.0.113.7 again").empty());
    CHECK(Found("it cost 1500 euros, 12 times").empty());
    CHECK(Found("order 12345678abc").empty());
    CHECK(Found("user@localhost is no address").empty());
  }

  TEST_CASE("link hosts are lowercased without www port userinfo or scheme") {
    CHECK(LinkHost("http://WWW.Pills.Example:8080/x") == "pills.example");
    CHECK(LinkHost("https://user:pw@shop.example/") == "shop.example");
    CHECK(LinkHost("www.casino.example/path") == "casino.example");
    CHECK(LinkHost("author-site.example") == "author-site.example");
    CHECK(LinkHost("mailto:a@b.example").empty());
    CHECK(LinkHost("ftp://files.example/").empty());
    CHECK(LinkHost("http://").empty());
  }

  TEST_CASE("a domain matches itself and its subdomains only") {
    CHECK(DomainMatches("pills.example", "pills.example"));
    CHECK(DomainMatches("shop.pills.example", "pills.example"));
    CHECK(DomainMatches("pills.example", "www.pills.example"));
    CHECK_FALSE(DomainMatches("notpills.example", "pills.example"));
    CHECK_FALSE(DomainMatches("pills.example.org", "pills.example"));
    CHECK_FALSE(DomainMatches("pills.example", ""));
  }

  TEST_CASE("a comment's link domains come from its text and its author URL each once") {
    core::Comment c = core::CommentFromFields(
        {{"comment_content", "http://a.example/1 and http://A.example/2 and www.b.example"},
         {"comment_author_url", "https://c.example/me"}});
    CHECK(LinkDomains(c) == std::vector<std::string>{"a.example", "b.example", "c.example"});
  }
}

}  // namespace hamlet::engine
