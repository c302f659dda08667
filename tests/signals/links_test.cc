// The links family: count, density, shorteners, obfuscated domains, the author's name and
// URL, markup and keyword anchors.
#include "signals/links.h"

#include <doctest/doctest.h>

#include <string>

#include "support/check_run.h"

using hamlet::core::FieldList;
using hamlet::testing::RunCheck;
using hamlet::testing::RunCheckOnText;

namespace {
const hamlet::signals::CheckFn kLinks = &hamlet::signals::CheckLinks;
}  // namespace

TEST_SUITE("signals/links") {
  TEST_CASE("links.count adds evidence from the third link on and stops at +4") {
    struct Row {
      const char* text;
      double contribution;
    };
    const Row rows[] = {
        {"no links in this comment at all", 0.0},
        {"see https://a.example.com/x and http://b.example.com for more on this", 0.0},
        {"https://a.example.com https://b.example.com www.c.example.com", 0.75},
        {"a.example.com/1 b.example.com/2 c.example.com/3 d.example.com/4", 1.5},
        {"x.example.com/1 x.example.com/2 x.example.com/3 x.example.com/4 x.example.com/5 "
         "x.example.com/6 x.example.com/7 x.example.com/8 x.example.com/9",
         4.0},
        // References are not counted.
        {"Sources: https://en.wikipedia.org/wiki/A https://doi.org/10.1/x https://www.cdc.gov/a "
         "https://extension.example.edu/guide and https://www.gov.uk/tax",
         0.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      CHECK(RunCheckOnText(kLinks, row.text).Of("links.count") ==
            doctest::Approx(row.contribution));
    }
  }

  TEST_CASE("links.density weighs links against the words around them") {
    struct Row {
      const char* text;
      double contribution;
    };
    const Row rows[] = {
        // 2 links in 2 words: 10 - 1 words per link short, x0.2.
        {"visit https://a.example.com and https://b.example.com", 1.8},
        // 2 links in 20 words: plenty of text.
        {"I compared the two installers on my own machine last night and wrote down every "
         "single step that differed between them: https://a.example.com and "
         "https://b.example.com",
         0.0},
        {"https://a.example.com", 0.5},
        {"nice post https://a.example.com", 0.5},
        {"Wikipedia has a decent overview: https://en.wikipedia.org/wiki/Maillard_reaction", 0.0},
        {"https://en.wikipedia.org/wiki/Maillard_reaction", 0.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      CHECK(RunCheckOnText(kLinks, row.text).Of("links.density") ==
            doctest::Approx(row.contribution));
    }
  }

  TEST_CASE("one link to a well-known reference site in a long comment is harmless") {
    const char* rows[] = {
        "For context, the Wikipedia article on the Drake equation explains the assumptions "
        "pretty well and is worth reading before the comments: "
        "https://en.wikipedia.org/wiki/Drake_equation",
        "Link to the original paper for anyone interested in the methods section and the "
        "limitations the authors list: https://doi.org/10.5555/example.2023.0147",
        "The NWS has the full radar loop and the actual warning text at https://www.weather.gov "
        "if anyone wants more than the summary here.",
        "The official docs cover this now, and the flag names changed in the last release: "
        "[Configuration reference](https://docs.python.org/3/library/argparse.html#action).",
    };
    for (const char* text : rows) {
      INFO(std::string(text));
      CHECK(RunCheckOnText(kLinks, text).hits.empty());
    }
  }

  TEST_CASE("links.shortener and links.obfuscated read the analysis' link flags") {
    struct Row {
      const char* text;
      double shortener;
      double obfuscated;
    };
    const Row rows[] = {
        {"Also read our latest guide here bit.ly/3xQmPz7", 1.5, 0.0},
        {"two of them: https://bit.ly/a and https://tinyurl.com/b today", 2.0, 0.0},
        {"a b c d e https://bit.ly/1 https://bit.ly/2 https://bit.ly/3 https://bit.ly/4", 2.5, 0.0},
        {"I wrote a guide at fitnessgearlab [dot] shop for beginners", 0.0, 2.0},
        {"apply today at quickcash-loan [dot] example [dot] com or site (.) net", 0.0, 2.5},
        {"the dot com bubble burst in 2000", 0.0, 0.0},
        {"a plain https://example.com/page link", 0.0, 0.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      const auto run = RunCheckOnText(kLinks, row.text);
      CHECK(run.Of("links.shortener") == doctest::Approx(row.shortener));
      CHECK(run.Of("links.obfuscated") == doctest::Approx(row.obfuscated));
    }
  }

  TEST_CASE("links.author_name finds a link in the author's name") {
    struct Row {
      const char* author;
      bool hit;
    };
    const Row rows[] = {
        {"cheap-meds.com", true},
        {"Best Deals www.deals.example", true},
        {"http://rank-top.example", true},
        {"payday loans at quickloan [dot] com", true},
        {"quickloan DOT com", true},
        {"quickloan\xEF\xBC\x8E" "com", true},  // a fullwidth full stop
        {"Marta Kowalczyk", false},
        {"Dottie Dotson", false},  // "dot" in a name opens the analysis, which finds no link
        {"J.R.R. Fan", false},
        {"Dr. Okafor", false},
        {"Node.js fan", false},
        {"", false},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.author));
      const auto run = RunCheck(
          kLinks, {{"comment_author", row.author}, {"comment_content", "Thanks for the post."}});
      CHECK((run.Find("links.author_name") != nullptr) == row.hit);
    }
  }

  TEST_CASE("links.author_domain finds the author URL's site linked in the text, weakly") {
    struct Row {
      const char* author_url;
      const char* text;
      bool hit;
    };
    const Row rows[] = {
        {"https://best-deals-online.example/",
         "please visit https://best-deals-online.example/top-10", true},
        {"https://www.shop.example.co.uk", "see blog.shop.example.co.uk/post", true},
        {"https://slowsundaykitchen.net", "notes here: https://slowsundaykitchen.net/2024/dal/",
         true},
        {"https://myblog.example.net", "https://myblog.example.org/page", false},
        {"https://ann.blogspot.com", "my post: https://ann.blogspot.com/2024/01/x.html", true},
        {"https://ann.blogspot.com", "his post: https://bob.blogspot.com/2024/01/x.html", false},
        {"https://github.com/ann", "the issue: https://github.com/org/repo/issues/1", false},
        {"https://en.wikipedia.org/wiki/User:Ann", "https://en.wikipedia.org/wiki/X", false},
        {"", "https://example.com/page", false},
        {"not a url", "https://example.com/page", false},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.author_url));
      INFO(std::string(row.text));
      const auto run =
          RunCheck(kLinks, {{"comment_author_url", row.author_url}, {"comment_content", row.text}});
      CHECK((run.Find("links.author_domain") != nullptr) == row.hit);
      if (row.hit) CHECK(run.Of("links.author_domain") < 1.0);
    }
  }

  TEST_CASE("links.markup and links.keyword_anchor read anchors in the raw text") {
    struct Row {
      const char* text;
      double markup;
      double keyword;
    };
    const Row rows[] = {
        {"[url=https://rx.example/xanax]xanax no prescription[/url] "
         "[url=https://rx.example/valium]buy valium[/url] "
         "[url=https://rx.example/ambien]ambien online[/url]",
         1.5, 3.0},
        {"Get 25% off: [url=https://dissertationmasters.example]dissertation help[/url]", 1.5, 2.0},
        {"[url]https://forum.example/t/1[/url]", 1.5, 0.0},
        {"I also write about this, <a href=\"https://cozyhome.example/rugs\">click here</a> to "
         "read",
         0.5, 0.0},
        {"<a href=\"https://x.example\">cheap replica watches</a> and "
         "[url=https://y.example]x[/url]",
         2.0, 2.0},
        {"The docs: [Configuration reference](https://docs.example.org/config#pooling).", 0.0, 0.0},
        {"[best essay writing service](https://essays.example)", 0.0, 2.0},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      const auto run = RunCheckOnText(kLinks, row.text);
      CHECK(run.Of("links.markup") == doctest::Approx(row.markup));
      CHECK(run.Of("links.keyword_anchor") == doctest::Approx(row.keyword));
    }
  }

  TEST_CASE("a keyword anchor's detail quotes its text, cut and without control characters") {
    const auto run = RunCheckOnText(kLinks,
                                    "[url=https://x.example]buy\x1b[31m cheap pills at "
                                    "superpharmacyonlinediscountstore24[/url]");
    REQUIRE(run.Find("links.keyword_anchor") != nullptr);
    const std::string& detail = run.Find("links.keyword_anchor")->detail;
    CHECK(detail.find('\x1b') == std::string::npos);
    CHECK(detail.find("BBCode") != std::string::npos);
    CHECK(detail.size() < 120);
  }

  TEST_CASE("IsReferenceHost knows reference and institutional sites") {
    struct Row {
      const char* host;
      bool reference;
    };
    const Row rows[] = {
        {"en.wikipedia.org", true},    {"doi.org", true},
        {"www.cdc.gov", true},         {"extension.example.edu", true},
        {"www.gov.uk", true},          {"www.ox.ac.uk", true},
        {"github.com", true},          {"travel.state.gov", true},
        {"cheap-meds.example", false}, {"wikipedia.org.spam.example", false},
        {"gov.example.com", false},    {"", false},
        {"island.ac", false},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.host));
      CHECK(hamlet::signals::IsReferenceHost(row.host) == row.reference);
    }
  }
}
