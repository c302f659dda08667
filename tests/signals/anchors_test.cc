// FindAnchors (HTML, BBCode, Markdown anchor-text links on raw text) and IsKeywordAnchor.
#include "signals/anchors.h"

#include <doctest/doctest.h>

#include <string>

using hamlet::signals::AnchorSyntax;
using hamlet::signals::FindAnchors;
using hamlet::signals::IsKeywordAnchor;

TEST_SUITE("signals/anchors") {
  TEST_CASE("finds anchors in each syntax with their text and URL") {
    struct Row {
      const char* raw;
      AnchorSyntax syntax;
      const char* text;
      const char* url;
    };
    const Row rows[] = {
        {R"(see <a href="https://x.example/p">cheap pills</a> now)", AnchorSyntax::kHtml,
         "cheap pills", "https://x.example/p"},
        {"<A HREF='http://x.example'>Shout</A>", AnchorSyntax::kHtml, "Shout", "http://x.example"},
        {"<a class=\"l\" href=http://x.example rel=nofollow><b>bold</b>  text</a>",
         AnchorSyntax::kHtml, "bold text", "http://x.example"},
        {"[url=https://rx.example/xanax]xanax no prescription[/url]", AnchorSyntax::kBbcode,
         "xanax no prescription", "https://rx.example/xanax"},
        {"[URL=\"https://rx.example\"]buy[/URL]", AnchorSyntax::kBbcode, "buy",
         "https://rx.example"},
        {"[url]https://rx.example/a[/url]", AnchorSyntax::kBbcode, "https://rx.example/a",
         "https://rx.example/a"},
        {"The docs: [Configuration reference](https://docs.example.org/config#pooling).",
         AnchorSyntax::kMarkdown, "Configuration reference",
         "https://docs.example.org/config#pooling"},
        {"[my site](www.example.com)", AnchorSyntax::kMarkdown, "my site", "www.example.com"},
    };
    for (const Row& row : rows) {
      INFO(std::string(row.raw));
      const auto anchors = FindAnchors(row.raw);
      REQUIRE(anchors.size() == 1);
      CHECK(anchors[0].syntax == row.syntax);
      CHECK(anchors[0].text == row.text);
      CHECK(anchors[0].url == row.url);
    }
  }

  TEST_CASE("ignores what only looks like an anchor") {
    const char* rows[] = {
        "no markup at all",
        "<abbr title=x>HTML</abbr> and <a name=top>anchor without href</a>",
        "![an image](https://img.example/x.png)",
        "[a note] (https://x.example) with a space",
        "[relative](/docs/page)",
        "[text](https://x.example with a space)",
        "[url=https://x.example]never closed",
        "a < b and c [d] e",
    };
    for (const char* raw : rows) {
      INFO(std::string(raw));
      CHECK(FindAnchors(raw).empty());
    }
  }

  TEST_CASE("finds every anchor of a link drop, in order") {
    const auto anchors = FindAnchors(
        "[url=https://rx.example/xanax]xanax no prescription[/url] "
        "[url=https://rx.example/valium]buy valium[/url] <a href='https://rx.example/a'>ambien "
        "online</a> [docs](https://docs.example.org)");
    REQUIRE(anchors.size() == 4);
    CHECK(anchors[0].text == "xanax no prescription");
    CHECK(anchors[1].text == "buy valium");
    CHECK(anchors[2].syntax == AnchorSyntax::kHtml);
    CHECK(anchors[3].syntax == AnchorSyntax::kMarkdown);
  }

  TEST_CASE("stays linear and bounded on hostile markup") {
    std::string hostile;
    for (int i = 0; i < 20000; ++i) hostile += "<a [url=[x](https://a.example ";
    const auto anchors = FindAnchors(hostile);
    CHECK(anchors.size() <= hamlet::signals::kMaxAnchors);
    std::string many;
    for (int i = 0; i < 200; ++i) many += "[x](https://a.example) ";
    CHECK(FindAnchors(many).size() == hamlet::signals::kMaxAnchors);
  }

  TEST_CASE("a keyword phrase is a short commercial anchor text") {
    struct Row {
      const char* text;
      bool keyword;
    };
    const Row rows[] = {
        {"buy valium", true},
        {"xanax no prescription", true},
        {"Cheap Replica Watches", true},
        {"essay writing service", true},
        {"dissertation help", true},
        {"best online casino", true},
        {"plumber near me", true},
        {"click here", false},
        {"Configuration reference", false},
        {"the original study", false},
        {"best practices", false},
        {"online documentation", false},
        {"my essay on Orwell", false},
        {"https://cheap.example/buy", false},
        {"www.cheap-pills.example", false},
        {"", false},
        {"one two three four five six seven eight nine buy", false},  // a sentence, not a phrase
    };
    for (const Row& row : rows) {
      INFO(std::string(row.text));
      CHECK(IsKeywordAnchor(row.text) == row.keyword);
    }
  }
}
