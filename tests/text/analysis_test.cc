// text::Analyze: the normalizer's output together with the entities behind its markers.
#include <doctest/doctest.h>

#include "text/domain.h"
#include "text/normalize.h"

namespace hamlet::text {

TEST_SUITE("text/analysis") {
  TEST_CASE("Analyze's normalized text is Normalize's output") {
    for (const char* raw : {"Hello World", "visit www.example.com NOW!!!", "call 0800 123 4567",
                            "<a href=\"http://x.example.com\">pills</a>", "vіagra & cаsino",
                            "a@b.co", "", "\xff\xfe broken"}) {
      CHECK(Analyze(raw).normalized == Normalize(raw));
    }
  }

  TEST_CASE("links keep their host, TLD, shortener and obfuscation") {
    const TextAnalysis a =
        Analyze("see https://Shop.Example.com/x and bit.ly/abc, or cheap-pills [.] net today");
    REQUIRE(a.links.size() == 3);
    CHECK(a.links[0].host == "shop.example.com");
    CHECK(a.links[0].tld == "com");
    CHECK_FALSE(a.links[0].shortener);
    CHECK_FALSE(a.links[0].obfuscated);
    CHECK(a.links[1].host == "bit.ly");
    CHECK(a.links[1].shortener);
    CHECK(a.links[2].host == "cheap-pills.net");
    CHECK(a.links[2].obfuscated);
  }

  TEST_CASE("an explicit link without a readable host still counts as a link") {
    const TextAnalysis a = Analyze("go to http://exa_mple.com now");
    REQUIRE(a.links.size() == 1);
    CHECK(a.links[0].host.empty());
  }

  TEST_CASE("e-mail addresses and phone numbers are kept as written, lower-cased") {
    const TextAnalysis a =
        Analyze("Write to Support@Help-Desk.example.org or call +1 (800) 555-0199 today");
    REQUIRE(a.emails.size() == 1);
    CHECK(a.emails[0] == "support@help-desk.example.org");
    REQUIRE(a.phones.size() == 1);
    CHECK(a.phones[0] == "+18005550199");
  }

  TEST_CASE("counts words, mentions, hashtags and emoji runs and flags mixed scripts") {
    const TextAnalysis a = Analyze("great post @ann #blessed \xF0\x9F\x98\x80\xF0\x9F\x98\x80 42");
    CHECK(a.words == 3);  // great, post, blessed (the hashtag's word); 42 is a number
    CHECK(a.mentions == 1);
    CHECK(a.hashtags == 1);
    CHECK(a.emoji == 1);
    CHECK_FALSE(a.mixed_script);
    CHECK(Analyze("buy v\xD1\x96"
                  "agra")
              .mixed_script);
  }
}

TEST_SUITE("text/domain") {
  TEST_CASE("UrlHost reads the host of URLs as commenters write them") {
    struct Row {
      const char* url;
      const char* host;
    };
    const Row rows[] = {
        {"https://Www.Example.com:8080/x?y", "www.example.com"},
        {"example.com/page", "example.com"},
        {"http://user:pw@example.org", "example.org"},
        {"//cdn.example.net/a.js", "cdn.example.net"},
        {"  http://example.com.", "example.com"},
        {"not a url", ""},
        {"http://localhost/", ""},
        {"", ""},
    };
    for (const Row& r : rows) {
      CAPTURE(r.url);
      CHECK(UrlHost(r.url) == r.host);
    }
  }

  TEST_CASE("SiteDomain is the registrable part of a host") {
    struct Row {
      const char* host;
      const char* domain;
    };
    const Row rows[] = {
        {"www.blog.example.com", "example.com"},
        {"example.com", "example.com"},
        {"shop.example.co.uk", "example.co.uk"},
        {"example.co.uk", "example.co.uk"},
        {"a.b.example.com.au", "example.com.au"},
        {"Mixed.Example.ORG", "example.org"},
        {"203.0.113.7", "203.0.113.7"},
        {"localhost", "localhost"},
        {"x.co", "x.co"},
    };
    for (const Row& r : rows) {
      CAPTURE(r.host);
      CHECK(SiteDomain(r.host) == r.domain);
    }
  }

  TEST_CASE("EmailDomain is the lower-cased part after the last @") {
    CHECK(EmailDomain("Ann@Mail.Example.org") == "mail.example.org");
    CHECK(EmailDomain("a@b@c.example") == "c.example");
    CHECK(EmailDomain("no-at-sign") == "");
    CHECK(EmailDomain("trailing@") == "");
  }
}

}  // namespace hamlet::text
