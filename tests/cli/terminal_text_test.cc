#include <doctest/doctest.h>

#include "cli/terminal_text.h"

using hamlet::cli::ForTerminal;

TEST_SUITE("cli/terminal_text") {
  TEST_CASE("removes escape sequences, controls and bidi overrides, keeps the text") {
    struct Row {
      const char* in;
      const char* out;
    };
    const Row rows[] = {
        {"plain text", "plain text"},
        {"\x1b[31mred\x1b[0m", "red"},
        {"\x1b]0;owned title\x07" "after", "after"},
        {"\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"},
        {"bell\x07 and nul-free \x01\x7f", "bell and nul-free "},
        {"a\xE2\x80\xAE" "cba", "acba"},           // U+202E right-to-left override
        {"csi8 \xC2\x9B" "31m", "csi8 31m"},        // C1 CSI dropped, leftovers inert
        {"caf\xC3\xA9 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xF0\x9F\x98\x80"},
        {"bad \xFF byte", "bad \xEF\xBF\xBD byte"},
        {"tab\there", "tab here"},
    };
    for (const auto& row : rows) {
      CAPTURE(row.in);
      CHECK(ForTerminal(row.in) == row.out);
    }
  }

  TEST_CASE("newlines become a visible marker unless kept") {
    CHECK(ForTerminal("a\nb") == "a \xE2\x8F\x8E b");
    CHECK(ForTerminal("a\nb", true) == "a\nb");
  }

  TEST_CASE("no ESC byte survives whatever the input") {
    const std::string nasty = "\x1b[2J\x1b[H\x1b" "c\x1b[?1049h\x1bP+q\x1b\\\x1b";
    CHECK(ForTerminal(nasty).find('\x1b') == std::string::npos);
  }
}
