// Tests for terminal layout: display widths, cutting, wrapping with highlights, and the daily
// text chart.
#include "cli/screen_text.h"

#include <doctest/doctest.h>

#include "cli/text_chart.h"

namespace hamlet::cli {

TEST_SUITE("cli/screen_text") {
  TEST_CASE("display width counts wide characters twice and our escape codes not at all") {
    CHECK(DisplayWidth("abc") == 3);
    CHECK(DisplayWidth("caf\xC3\xA9") == 4);
    CHECK(DisplayWidth("\xE6\x97\xA5\xE6\x9C\xAC") == 4);  // 日本
    CHECK(DisplayWidth("\x1b[1;31mred\x1b[0m") == 3);
    CHECK(FitWidth("abcdefgh", 5) == "abcd\xE2\x80\xA6");
    CHECK(FitWidth("abc", 5) == "abc");
    CHECK(PadRight("ab", 4) == "ab  ");
  }

  TEST_CASE("wraps at word boundaries and keeps the comment's own line breaks") {
    Style plain;
    auto lines = WrapRuns({{"one two three four five\nsix", RunKind::kPlain}}, 10, plain);
    CHECK(lines == std::vector<std::string>{"one two", "three four", "five", "six"});
    // A word longer than the line is cut.
    lines = WrapRuns({{"abcdefghijklmnopqrstuvwxyz", RunKind::kPlain}}, 10, plain);
    CHECK(lines == std::vector<std::string>{"abcdefghij", "klmnopqrst", "uvwxyz"});
  }

  TEST_CASE("links and contacts are highlighted or marked without colour") {
    auto runs = HighlightContacts("see http://pills.example/x or mail a@b.example now");
    REQUIRE(runs.size() == 5);
    CHECK(runs[1].kind == RunKind::kLink);
    CHECK(runs[3].kind == RunKind::kContact);
    Style plain;
    CHECK(WrapRuns(runs, 80, plain) ==
          std::vector<std::string>{"see \xE2\x9F\xA8http://pills.example/x\xE2\x9F\xA9 or mail "
                                   "\xE2\x9F\xA8"
                                   "a@b.example\xE2\x9F\xA9 now"});
    Style color{true};
    const auto colored = WrapRuns(runs, 80, color);
    REQUIRE(colored.size() == 1);
    CHECK(colored[0].find("\x1b[4;36mhttp://pills.example/x\x1b[0m") != std::string::npos);
    CHECK(DisplayWidth(colored[0]) ==
          DisplayWidth("see http://pills.example/x or mail a@b.example now"));
    // A highlighted word cut across lines is closed and reopened.
    const auto cut =
        WrapRuns(HighlightContacts("http://a-very-long-domain-name.example/path"), 12, color);
    REQUIRE(cut.size() == 4);
    CHECK(cut[0].rfind("\x1b[4;36m", 0) == 0);
    CHECK(cut[1].rfind("\x1b[4;36m", 0) == 0);
    CHECK(cut[0].find("\x1b[0m") != std::string::npos);
  }

  TEST_CASE("the comment's escape sequences are gone before any highlight is added") {
    auto runs = HighlightContacts(
        "a\x1b[31m http://x.example \xE2\x80\xAE"
        "b\x07");
    std::string all;
    for (const auto& r : runs) all += r.text;
    CHECK(all == "a http://x.example b");
  }

  TEST_CASE("the daily chart scales bars to the busiest day and shows every part") {
    std::vector<engine::DayVolume> days(2);
    days[0].day = "2024-05-01";
    days[0].volume.ham = 1000;
    days[0].volume.spam = 1;
    days[1].day = "2024-05-02";
    days[1].volume.spam = 500;
    const auto rows = DailyChart(days, 10, Style{});
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].rfind("2024-05-01   1000     1     0    0  ", 0) == 0);
    // 10 ham marks and one spam mark (a part that is not zero always shows).
    CHECK(DisplayWidth(rows[0]) == 36 + 11);
    CHECK(DisplayWidth(rows[1]) == 36 + 5);
    CHECK(rows[2].find("one mark = 100 decisions") != std::string::npos);
  }
}

}  // namespace hamlet::cli
