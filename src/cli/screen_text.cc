// Display widths with utf8proc, and word wrap over styled runs.
#include "cli/screen_text.h"

#include <utf8proc.h>

#include "cli/terminal_text.h"
#include "engine/contacts.h"

namespace hamlet::cli {
namespace {

constexpr char kReset[] = "\x1b[0m";
constexpr char kEllipsis[] = "\xE2\x80\xA6";
constexpr char kOpenMark[] = "\xE2\x9F\xA8";   // ⟨
constexpr char kCloseMark[] = "\xE2\x9F\xA9";  // ⟩

std::string Wrap(bool color, const char* code, std::string_view s) {
  if (!color) return std::string(s);
  return std::string(code) + std::string(s) + kReset;
}

// One code point at s[i]: its byte length (1 for an invalid byte) and its width.
size_t NextCodePoint(std::string_view s, size_t i, int& width) {
  utf8proc_int32_t cp = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0) {
    width = 1;
    return 1;
  }
  width = utf8proc_charwidth(cp);
  if (width < 0) width = 0;
  return static_cast<size_t>(n);
}

// Skips an escape code of ours (ESC [ ... letter) at s[i]; returns its length, 0 if none.
size_t EscapeLength(std::string_view s, size_t i) {
  if (s[i] != '\x1b' || i + 1 >= s.size() || s[i + 1] != '[') return 0;
  size_t j = i + 2;
  while (j < s.size() && !((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= 'a' && s[j] <= 'z'))) ++j;
  return j < s.size() ? j - i + 1 : s.size() - i;
}

const char* OpenCode(RunKind kind) {
  switch (kind) {
    case RunKind::kLink:
      return "\x1b[4;36m";
    case RunKind::kContact:
      return "\x1b[1;33m";
    case RunKind::kPlain:
      break;
  }
  return "";
}

}  // namespace

std::string Style::Bold(std::string_view s) const { return Wrap(color, "\x1b[1m", s); }
std::string Style::Dim(std::string_view s) const { return Wrap(color, "\x1b[2m", s); }
std::string Style::Reverse(std::string_view s) const { return Wrap(color, "\x1b[7m", s); }
std::string Style::Red(std::string_view s) const { return Wrap(color, "\x1b[1;31m", s); }
std::string Style::Green(std::string_view s) const { return Wrap(color, "\x1b[1;32m", s); }
std::string Style::Yellow(std::string_view s) const { return Wrap(color, "\x1b[33m", s); }

size_t DisplayWidth(std::string_view s) {
  size_t total = 0;
  for (size_t i = 0; i < s.size();) {
    if (const size_t esc = EscapeLength(s, i); esc > 0) {
      i += esc;
      continue;
    }
    int w = 0;
    i += NextCodePoint(s, i, w);
    total += static_cast<size_t>(w);
  }
  return total;
}

std::string FitWidth(std::string_view s, size_t width) {
  if (DisplayWidth(s) <= width) return std::string(s);
  if (width == 0) return "";
  std::string out;
  size_t used = 0;
  for (size_t i = 0; i < s.size();) {
    int w = 0;
    const size_t n = NextCodePoint(s, i, w);
    if (used + static_cast<size_t>(w) > width - 1) break;
    out.append(s.substr(i, n));
    used += static_cast<size_t>(w);
    i += n;
  }
  return out + kEllipsis;
}

std::string PadRight(std::string_view s, size_t width) {
  std::string out(s);
  const size_t w = DisplayWidth(s);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::vector<StyledRun> HighlightContacts(std::string_view raw) {
  // Sanitized first, so contacts are found in exactly the text that is shown and no span
  // boundary can fall inside an escape sequence of the comment's.
  const std::string safe = ForTerminal(raw, /*keep_newlines=*/true);
  std::vector<StyledRun> runs;
  size_t at = 0;
  for (const engine::ContactSpan& span : engine::FindContacts(safe)) {
    if (span.begin > at) runs.push_back({safe.substr(at, span.begin - at), RunKind::kPlain});
    runs.push_back({safe.substr(span.begin, span.end - span.begin),
                    span.kind == engine::ContactKind::kLink ? RunKind::kLink : RunKind::kContact});
    at = span.end;
  }
  if (at < safe.size()) runs.push_back({safe.substr(at), RunKind::kPlain});
  return runs;
}

std::vector<std::string> WrapRuns(const std::vector<StyledRun>& runs, size_t width,
                                  const Style& style) {
  if (width < 10) width = 10;
  // Words are maximal stretches without a space, which may span runs ("see:http://x" is one
  // word of two runs); each is rendered with its codes, then placed.
  std::vector<std::string> lines;
  std::string line;
  size_t used = 0;
  auto flush = [&] {
    lines.push_back(line);
    line.clear();
    used = 0;
  };
  auto place = [&](const std::string& word) {
    size_t w = DisplayWidth(word);
    if (used > 0 && used + 1 + w > width) flush();
    if (used > 0) {
      line += ' ';
      ++used;
    }
    if (w <= width - used) {
      line += word;
      used += w;
      return;
    }
    // Longer than a line: cut at code points; an open highlight is closed at the cut and
    // opened again on the next line.
    std::string open;
    for (size_t i = 0; i < word.size();) {
      if (const size_t esc = EscapeLength(word, i); esc > 0) {
        const std::string code = word.substr(i, esc);
        open = code == kReset ? "" : code;
        line += code;
        i += esc;
        continue;
      }
      int cw = 0;
      const size_t n = NextCodePoint(word, i, cw);
      if (used + static_cast<size_t>(cw) > width) {
        if (!open.empty()) line += kReset;
        flush();
        line += open;
      }
      line.append(word, i, n);
      used += static_cast<size_t>(cw);
      i += n;
    }
  };
  std::string word;
  bool in_word = false;
  auto end_word = [&] {
    if (in_word) place(word);
    word.clear();
    in_word = false;
  };
  for (const StyledRun& run : runs) {
    const bool marked = run.kind != RunKind::kPlain;
    // Without colour a highlighted run is marked ⟨like this⟩.
    const std::string shown = marked && !style.color ? kOpenMark + run.text + kCloseMark : run.text;
    std::string_view text = shown;
    // The run's pieces between spaces, each wrapped in the run's highlight.
    size_t i = 0;
    while (i <= text.size()) {
      size_t end = i;
      while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
      if (end > i) {
        const std::string piece(text.substr(i, end - i));
        if (marked && style.color) {
          word += OpenCode(run.kind) + piece + kReset;
        } else {
          word += piece;
        }
        in_word = true;
      }
      if (end >= text.size()) break;
      end_word();
      if (text[end] == '\n') flush();
      i = end + 1;
    }
  }
  end_word();
  if (used > 0 || lines.empty()) flush();
  return lines;
}

}  // namespace hamlet::cli
