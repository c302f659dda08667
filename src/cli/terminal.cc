// Raw mode with termios, the self-pipe for signals, and key reading with poll().
#include "cli/terminal.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace hamlet::cli {
namespace {

// The self-pipe: signal handlers write the signal number, the loop reads it. Handlers may only
// call async-signal-safe functions; write() is one.
int g_signal_pipe[2] = {-1, -1};

extern "C" void OnSignal(int sig) {
  const int saved_errno = errno;
  const unsigned char byte = static_cast<unsigned char>(sig);
  if (g_signal_pipe[1] >= 0) (void)!::write(g_signal_pipe[1], &byte, 1);
  errno = saved_errno;
}

constexpr int kHandledSignals[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT};
constexpr size_t kSignalCount = sizeof(kHandledSignals) / sizeof(kHandledSignals[0]);

// Alternate screen on, cursor hidden; and back.
constexpr std::string_view kEnterScreen = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J";
constexpr std::string_view kLeaveScreen = "\x1b[0m\x1b[?25h\x1b[?1049l";

}  // namespace

struct RawTerminal::Saved {
  termios mode{};
  struct sigaction actions[kSignalCount] {};
};

bool IsTerminal(int fd) { return ::isatty(fd) == 1; }

bool ColorWanted(int out_fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return IsTerminal(out_fd);
}

RawTerminal::RawTerminal(int in_fd, int out_fd)
    : in_fd_(in_fd), out_fd_(out_fd), saved_(std::make_unique<Saved>()) {}

core::Result<std::unique_ptr<RawTerminal>> RawTerminal::Enter(int in_fd, int out_fd) {
  if (!IsTerminal(in_fd)) return core::Status::Unavailable("standard input is not a terminal");
  std::unique_ptr<RawTerminal> term(new RawTerminal(in_fd, out_fd));
  if (::tcgetattr(in_fd, &term->saved_->mode) != 0) {
    return core::Status::Unavailable("cannot read the terminal's mode");
  }
  if (::pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
    return core::Status::Unavailable("cannot create a pipe for signals");
  }
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (size_t i = 0; i < kSignalCount; ++i) {
    ::sigaction(kHandledSignals[i], &action, &term->saved_->actions[i]);
  }
  termios raw = term->saved_->mode;
  // No line editing, no echo, no signals from keys (Ctrl-C arrives as a byte and quits
  // cleanly), no CR/NL translation on input, 8-bit characters; output processing stays on so
  // "\n" still moves to the start of the next line.
  raw.c_iflag &= ~static_cast<tcflag_t>(BRKINT | ICRNL | INPCK | ISTRIP | IXON);
  raw.c_cflag |= CS8;
  raw.c_lflag &= ~static_cast<tcflag_t>(ECHO | ICANON | IEXTEN | ISIG);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  term->active_ = true;  // from here on, Restore() puts everything back
  if (::tcsetattr(in_fd, TCSAFLUSH, &raw) != 0) {
    term->Restore();
    return core::Status::Unavailable("cannot put the terminal in raw mode");
  }
  term->Write(kEnterScreen);
  return term;
}

RawTerminal::~RawTerminal() { Restore(); }

void RawTerminal::Restore() {
  if (!active_) return;
  active_ = false;
  Write(kLeaveScreen);
  ::tcsetattr(in_fd_, TCSAFLUSH, &saved_->mode);
  for (size_t i = 0; i < kSignalCount; ++i) {
    ::sigaction(kHandledSignals[i], &saved_->actions[i], nullptr);
  }
  for (int& fd : g_signal_pipe) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

TerminalSize RawTerminal::Size() const {
  winsize ws{};
  if (::ioctl(out_fd_, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
    return TerminalSize{ws.ws_col, ws.ws_row};
  }
  return TerminalSize{};
}

void RawTerminal::Write(std::string_view bytes) const {
  while (!bytes.empty()) {
    const ssize_t n = ::write(out_fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the terminal went away; nothing better to do
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

int RawTerminal::TakeKey() {
  while (!pending_.empty()) {
    if (pending_[0] != '\x1b') {
      const unsigned char key = static_cast<unsigned char>(pending_[0]);
      pending_.erase(0, 1);
      return key;
    }
    // An escape sequence (arrow and function keys): ESC [ or ESC O, parameters, one final
    // byte. Swallowed whole; a lone ESC is dropped.
    size_t end = 1;
    if (end < pending_.size() && (pending_[end] == '[' || pending_[end] == 'O')) {
      ++end;
      while (end < pending_.size() && !(pending_[end] >= 0x40 && pending_[end] <= 0x7E)) ++end;
      if (end < pending_.size()) ++end;
    }
    pending_.erase(0, end);
  }
  return -1;
}

TerminalEvent RawTerminal::Next() {
  for (;;) {
    if (const int key = TakeKey(); key >= 0) {
      if (key == 0x03) return TerminalEvent{TerminalEvent::Kind::kStop, 0, 0};  // Ctrl-C
      return TerminalEvent{TerminalEvent::Kind::kKey, static_cast<char>(key), 0};
    }
    pollfd fds[2] = {{in_fd_, POLLIN, 0}, {g_signal_pipe[0], POLLIN, 0}};
    const int ready = ::poll(fds, 2, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return TerminalEvent{TerminalEvent::Kind::kEnd};
    }
    if (fds[1].revents & POLLIN) {
      unsigned char sig = 0;
      if (::read(g_signal_pipe[0], &sig, 1) == 1) {
        if (sig == SIGWINCH) return TerminalEvent{TerminalEvent::Kind::kResize};
        return TerminalEvent{TerminalEvent::Kind::kStop, 0, sig};
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[64];
      const ssize_t n = ::read(in_fd_, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return TerminalEvent{TerminalEvent::Kind::kEnd};
      pending_.append(buf, static_cast<size_t>(n));
    }
  }
}

}  // namespace hamlet::cli
