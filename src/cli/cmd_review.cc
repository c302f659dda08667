// `hamlet review`: the moderator's interactive session over the queue, one comment at a time:
// s spam, h ham, space (or n) skip, u undo, d details, q quit. Full screen on a terminal (raw
// mode, redrawn on resize, restored on every exit); line prompts when stdin or stdout is not a
// terminal, so it can be scripted and driven by tests.
#include <unistd.h>

#include <sstream>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/decision_view.h"
#include "cli/filter_args.h"
#include "cli/screen_text.h"
#include "cli/terminal.h"
#include "engine/review_session.h"

namespace hamlet::cli {
namespace {

struct ReviewArgs {
  FilterArgs filter;
  int limit = 500;
  std::string moderator;
  bool lines = false;
};

const FilterDefaults kDefaults{"flagged", "none", "riskiest"};

enum class Command { kSpam, kHam, kSkip, kUndo, kDetails, kDown, kUp, kQuit, kHelp, kNone };

// How the current comment is shown: short or with details, scrolled down by some lines.
struct ViewState {
  bool details = false;
  size_t scroll = 0;
  void Reset() { *this = ViewState{}; }
};

Command CommandFor(char key) {
  switch (key) {
    case 's':
    case 'S':
      return Command::kSpam;
    case 'h':
    case 'H':
      return Command::kHam;
    case ' ':
    case 'n':
    case 'N':
      return Command::kSkip;
    case 'u':
    case 'U':
      return Command::kUndo;
    case 'd':
    case 'D':
      return Command::kDetails;
    case 'j':
      return Command::kDown;
    case 'k':
      return Command::kUp;
    case 'q':
    case 'Q':
      return Command::kQuit;
    case '?':
      return Command::kHelp;
    default:
      return Command::kNone;
  }
}

constexpr char kKeysHelp[] = "s spam  h ham  space skip  u undo  d details  j/k scroll  q quit";
constexpr char kLineKeysHelp[] = "s spam, h ham, n skip, u undo, d details, q quit";

std::string Progress(const engine::ReviewSession& session) {
  const auto c = session.counts();
  const size_t shown = session.done() ? session.size() : session.position() + 1;
  std::ostringstream out;
  out << shown << " of " << session.size() << " \xC2\xB7 spam " << c.spam << " \xC2\xB7 ham "
      << c.ham << " \xC2\xB7 skipped " << c.skipped;
  return out.str();
}

std::string Summary(const engine::ReviewSession& session) {
  const auto c = session.counts();
  std::ostringstream out;
  out << "Reviewed " << (c.spam + c.ham + c.skipped) << " of " << session.size() << ": spam "
      << c.spam << ", ham " << c.ham << ", skipped " << c.skipped << " (moderator "
      << session.moderator() << ").";
  if (c.spam + c.ham > 0) out << " `hamlet undo` takes back the last verdict.";
  return out.str();
}

// Applies one command to the session; returns the status line to show, and sets `quit`.
std::string Apply(engine::ReviewSession& session, Command command, ViewState& view, bool& quit) {
  switch (command) {
    case Command::kSpam:
    case Command::kHam: {
      if (session.done()) return "The queue is done: u undoes the last step, q quits.";
      const std::string id = session.current().id;
      const engine::Label label =
          command == Command::kSpam ? engine::Label::kSpam : engine::Label::kHam;
      if (core::Status s = session.Judge(label); !s.ok()) return "Not recorded: " + s.ToString();
      view.Reset();
      return "Marked " + id.substr(0, 8) + "\xE2\x80\xA6 as " +
             std::string(engine::LabelName(label)) + ".";
    }
    case Command::kSkip:
      if (session.done()) return "The queue is done: u undoes the last step, q quits.";
      session.Skip();
      view.Reset();
      return "Skipped.";
    case Command::kUndo: {
      auto undone = session.Undo();
      if (!undone) {
        return undone.error().code() == core::StatusCode::kNotFound
                   ? std::string("Nothing to undo.")
                   : "Undo failed: " + undone.error().ToString();
      }
      view.Reset();
      switch (*undone) {
        case engine::ReviewMark::kSpam:
          return "Undid the spam verdict; judge it again.";
        case engine::ReviewMark::kHam:
          return "Undid the ham verdict; judge it again.";
        default:
          return "Back to the skipped comment.";
      }
    }
    case Command::kDetails:
      if (session.done()) return "";
      view.details = !view.details;
      view.scroll = 0;
      return view.details ? "Details: every field and the history (d again for the short view)."
                          : "";
    case Command::kDown:
      view.scroll += 5;
      return "";
    case Command::kUp:
      view.scroll = view.scroll > 5 ? view.scroll - 5 : 0;
      return "";
    case Command::kQuit:
      quit = true;
      return "";
    case Command::kHelp:
      return std::string("Keys: ") + kKeysHelp;
    case Command::kNone:
      return std::string("Unknown key. ") + kKeysHelp;
  }
  return "";
}

// The body: the current comment, or the end-of-queue message.
std::vector<std::string> Body(const engine::ReviewSession& session, const ViewOptions& view) {
  if (session.done()) {
    return {session.size() == 0 ? "Nothing to review: the queue is empty for this filter."
                                : "The queue is done.",
            "", Summary(session), "", "u undoes the last step; q quits."};
  }
  auto detail = session.CurrentDetail();
  if (!detail) return {"Cannot read this decision: " + detail.error().ToString()};
  return RenderDecision(*detail, view);
}

// Full screen: header, body, status line, keys.
void Draw(RawTerminal& term, const engine::ReviewSession& session, ViewState& state,
          const std::string& status, const Style& style) {
  const TerminalSize size = term.Size();
  const size_t width = static_cast<size_t>(size.columns);
  const size_t rows = static_cast<size_t>(size.rows);
  ViewOptions view;
  view.width = width;
  view.details = state.details;
  view.style = style;
  const size_t room = rows > 4 ? rows - 4 : 1;  // header, blank, status and keys take 4
  view.max_lines = room;
  std::vector<std::string> body = Body(session, view);
  // Scrolled no further than shows the last line at the bottom.
  const size_t max_scroll = body.size() > room ? body.size() - room : 0;
  if (state.scroll > max_scroll) state.scroll = max_scroll;
  std::vector<std::string> lines;
  lines.push_back(style.Reverse(
      PadRight(FitWidth(" hamlet review \xC2\xB7 " + Progress(session), width), width)));
  lines.push_back("");
  for (size_t i = state.scroll; i < body.size(); ++i) lines.push_back(std::move(body[i]));
  if (lines.size() > rows - 2) lines.resize(rows > 2 ? rows - 2 : 0);
  while (lines.size() + 2 < rows) lines.push_back("");
  lines.push_back(FitWidth(status, width));
  lines.push_back(style.Dim(FitWidth(kKeysHelp, width)));
  std::string frame = "\x1b[H";
  for (size_t i = 0; i < lines.size(); ++i) {
    frame += lines[i];
    frame += "\x1b[K";  // clear the rest of the row
    if (i + 1 < lines.size()) frame += "\r\n";
  }
  term.Write(frame);
}

// Returns the exit code.
int RunFullScreen(RawTerminal& term, engine::ReviewSession& session, const Style& style) {
  ViewState view;
  std::string status = std::string("Keys: ") + kKeysHelp;
  for (;;) {
    Draw(term, session, view, status, style);
    const TerminalEvent event = term.Next();
    switch (event.kind) {
      case TerminalEvent::Kind::kResize:
        continue;  // redrawn at the top of the loop, at the new size
      case TerminalEvent::Kind::kStop:
        return kExitInterrupted;
      case TerminalEvent::Kind::kEnd:
        return 0;
      case TerminalEvent::Kind::kKey:
        break;
    }
    bool quit = false;
    status = Apply(session, CommandFor(event.key), view, quit);
    if (quit) return 0;
  }
}

int RunLines(std::istream& in, std::ostream& out, engine::ReviewSession& session) {
  ViewState state;
  bool show = true;
  ViewOptions view;
  view.width = 80;
  for (;;) {
    if (show) {
      out << "\n[" << Progress(session) << "]\n";
      view.details = state.details;
      for (const auto& line : Body(session, view)) out << line << "\n";
    }
    out << "verdict? (" << kLineKeysHelp << ") " << std::flush;
    std::string line;
    if (!std::getline(in, line)) {
      out << "\n";
      return 0;  // end of input: stop, keeping every verdict given
    }
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) {
      show = false;
      continue;
    }
    bool quit = false;
    const std::string status = Apply(session, CommandFor(line[first]), state, quit);
    if (quit) return 0;
    if (!status.empty()) out << status << "\n";
    const Command command = CommandFor(line[first]);
    show = command != Command::kNone && command != Command::kHelp && command != Command::kDown &&
           command != Command::kUp;
  }
}

void Run(Context& ctx, const ReviewArgs& args) {
  auto services = ctx.Services(false);
  if (!services) return ctx.Fail(services.error());
  auto query = ToQuery(args.filter, kDefaults, (*services)->clock.NowMillis());
  if (!query) return ctx.Fail(query.error());
  // Judging a test call teaches nothing, a purged comment has no text, and a linked recheck
  // is judged as its first check.
  query->filter.exclude_tests = true;
  query->filter.exclude_purged = true;
  query->filter.exclude_linked_rechecks = true;
  query->filter.limit = args.limit;
  auto session = engine::ReviewSession::Start(*(*services)->moderation, *(*services)->actions,
                                              *query, ResolveModerator(args.moderator));
  if (!session) return ctx.Fail(session.error());

  const bool full_screen =
      !args.lines && ctx.process_streams && IsTerminal(STDIN_FILENO) && IsTerminal(STDOUT_FILENO);
  if (!full_screen) {
    ctx.exit_code = RunLines(*ctx.in, *ctx.out, **session);
    *ctx.out << Summary(**session) << "\n";
    return;
  }
  auto term = RawTerminal::Enter(STDIN_FILENO, STDOUT_FILENO);
  if (!term) return ctx.Fail(term.error());
  Style style;
  style.color = ColorWanted(STDOUT_FILENO);
  int code = 0;
  try {
    code = RunFullScreen(**term, **session, style);
  } catch (...) {
    (*term)->Restore();  // the terminal comes back before the error is printed
    throw;
  }
  (*term)->Restore();
  ctx.exit_code = code;
  *ctx.out << Summary(**session) << "\n";
  if (code == kExitInterrupted) *ctx.err << "hamlet: review interrupted\n";
}

}  // namespace

void RegisterReview(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ReviewArgs>();
  auto* cmd = app.add_subcommand(
      "review",
      "Review the queue interactively, one comment at a time (riskiest first)\n"
      "Keys: s spam, h ham, space or n skip, u undo, d details, j/k scroll, q quit.\n"
      "Full screen on a terminal; line prompts when stdin or stdout is not one.\n"
      "Example: hamlet review --site https://blog.example/ --order oldest --moderator alice");
  AddFilterOptions(cmd, args->filter, kDefaults);
  cmd->add_option("--limit", args->limit, "at most this many comments in the session")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->add_option("--moderator", args->moderator, "who judges (default: $USER)");
  cmd->add_flag("--lines", args->lines, "line prompts even on a terminal");
  cmd->callback([&ctx, args] { Run(ctx, *args); });
}

}  // namespace hamlet::cli
