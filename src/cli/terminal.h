// The interactive terminal for `hamlet review`: raw mode (keys arrive one at a time, no echo),
// the alternate screen, and the signals that matter to a full-screen program: SIGWINCH (the
// window was resized: redraw) and SIGINT/SIGTERM/SIGHUP/SIGQUIT (stop). Plain ANSI, no mouse,
// so it works over SSH in any terminal emulator.
//
// The terminal is restored (mode, screen, cursor) by Restore() and by the destructor, on
// every way out: quit, end of queue, error, exception, and a stop signal, which the handler
// only records (a self-pipe) so that the normal path restores. Only one RawTerminal may exist
// at a time in a process.
#pragma once

#include <csignal>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace hamlet::cli {

struct TerminalSize {
  int columns = 80;
  int rows = 24;
};

// What woke the loop.
struct TerminalEvent {
  enum class Kind { kKey, kResize, kStop, kEnd };
  Kind kind = Kind::kKey;
  char key = 0;    // kKey: the byte typed (escape sequences, e.g. arrows, are swallowed)
  int signal = 0;  // kStop: the signal; 0 for Ctrl-C typed as a key
};

class RawTerminal {
 public:
  // Takes over the terminal on `in_fd`/`out_fd`: raw mode, alternate screen, hidden cursor,
  // signal handlers. Unavailable when `in_fd` is not a terminal or its mode cannot be set.
  static core::Result<std::unique_ptr<RawTerminal>> Enter(int in_fd, int out_fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

  // Puts back the terminal mode, the main screen, the cursor and the previous signal
  // handlers. Idempotent.
  void Restore();

  TerminalSize Size() const;
  // Writes all of `bytes` to the terminal.
  void Write(std::string_view bytes) const;
  // Blocks until a key, a resize, a stop signal, or the end of input (kEnd).
  TerminalEvent Next();

 private:
  RawTerminal(int in_fd, int out_fd);
  // The next key in pending_, escape sequences skipped; nullopt-like -1 when none is left.
  int TakeKey();

  int in_fd_;
  int out_fd_;
  bool active_ = false;
  std::string pending_;  // bytes read but not handed out yet (keys typed ahead)
  struct Saved;
  std::unique_ptr<Saved> saved_;
};

// True when `fd` is a terminal.
bool IsTerminal(int fd);

// Colours are used only on a terminal and when NO_COLOR is unset or empty (no-color.org).
bool ColorWanted(int out_fd);

}  // namespace hamlet::cli
