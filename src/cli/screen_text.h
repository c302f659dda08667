// Text laid out for a terminal: display widths (wide characters take two columns), cutting
// and padding to a width, and word-wrapping runs of text that carry a style (links, contacts)
// into lines with the style's escape codes, or without colour, visible markers. Input must be
// terminal-safe already (ForTerminal): the only escape codes in the output are our own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hamlet::cli {

// How text is shown: with ANSI colours and attributes, or plain (NO_COLOR, not a terminal).
struct Style {
  bool color = false;

  // Each returns the text wrapped in its attribute, or unchanged without colour.
  std::string Bold(std::string_view s) const;
  std::string Dim(std::string_view s) const;
  std::string Reverse(std::string_view s) const;
  std::string Red(std::string_view s) const;
  std::string Green(std::string_view s) const;
  std::string Yellow(std::string_view s) const;
};

// What a run of text is, for highlighting.
enum class RunKind { kPlain, kLink, kContact };

struct StyledRun {
  std::string text;  // terminal-safe UTF-8, may hold '\n'
  RunKind kind = RunKind::kPlain;
};

// Columns `s` takes on a terminal (UTF-8, no escape codes): wide East Asian characters and
// emoji 2, combining marks 0, everything else 1.
size_t DisplayWidth(std::string_view s);

// `s` cut to at most `width` columns, with "…" when cut.
std::string FitWidth(std::string_view s, size_t width);

// `s` (which may hold escape codes, not counted) padded with spaces to `width` columns.
std::string PadRight(std::string_view s, size_t width);

// The contacts (links, e-mail addresses, phone numbers) of `raw` untrusted text, made
// terminal-safe (ForTerminal, newlines kept) and cut into runs.
std::vector<StyledRun> HighlightContacts(std::string_view raw);

// Word-wraps `runs` to `width` columns (at least 10). Newlines in the text start new lines.
// Links are underlined in cyan, contacts yellow; without colour they are marked ⟨like this⟩.
std::vector<std::string> WrapRuns(const std::vector<StyledRun>& runs, size_t width,
                                  const Style& style);

}  // namespace hamlet::cli
