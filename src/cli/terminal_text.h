// Comment text is untrusted: before it reaches a terminal, escape sequences, other control
// characters and bidi overrides are removed, so a comment cannot move the cursor, change
// colours, set the window title or reorder what the moderator reads.
#pragma once

#include <string>
#include <string_view>

namespace hamlet::cli {

// Returns `s` with C0/C1 controls (except none: newlines become "⏎ " when !keep_newlines),
// ANSI escape sequences (CSI, OSC, DCS ...), DEL, bidi controls (U+202A-202E, U+2066-2069,
// U+200E/200F, U+061C) removed, and invalid UTF-8 bytes replaced by U+FFFD.
std::string ForTerminal(std::string_view s, bool keep_newlines = false);

}  // namespace hamlet::cli
