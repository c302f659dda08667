// The review screen's body for one decision.
#include "cli/decision_view.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "cli/format.h"
#include "cli/terminal_text.h"
#include "engine/contacts.h"

namespace hamlet::cli {
namespace {

constexpr size_t kLabelWidth = 10;

std::string Number(const char* format, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

// "Label     value", the value made safe and cut to the width.
std::string Field(const std::string& label, const std::string& value, size_t width,
                  const Style& style) {
  const size_t room = width > kLabelWidth ? width - kLabelWidth : 1;
  return style.Bold(PadRight(label, kLabelWidth)) + FitWidth(value, room);
}

std::string JoinNonEmpty(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string Rule(size_t width, const std::string& title, const Style& style) {
  std::string line = title.empty() ? "" : "\xE2\x94\x80\xE2\x94\x80 " + title + " ";
  size_t w = DisplayWidth(line);
  while (w < width) {
    line += "\xE2\x94\x80";  // ─
    ++w;
  }
  return style.Dim(line);
}

std::string VerdictText(const store::DecisionRecord& r, const Style& style) {
  std::string verdict(core::VerdictName(r.decision.verdict));
  for (char& c : verdict) c = static_cast<char>(c - 'a' + 'A');
  verdict = core::IsSpamVerdict(r.decision.verdict) ? style.Red(verdict) : style.Green(verdict);
  std::string out = verdict + "  score " + Number("%.3f", r.decision.score);
  if (r.decision.uncertain) out += "  " + style.Yellow("uncertain");
  return out;
}

std::string ReasonText(const core::Reason& reason, bool with_detail) {
  std::string out = std::isfinite(reason.contribution) ? Number("%+.2f", reason.contribution)
                                                       : std::string("forced");
  // Appended piecewise: `" " + std::string` trips GCC 12's -Wrestrict false positive.
  out += ' ';
  out += ForTerminal(reason.check);
  if (with_detail && !reason.detail.empty()) {
    out += ": ";
    out += ForTerminal(reason.detail);
  }
  return out;
}

// The label in force and how it got there, e.g. "spam by alice 2024-05-01 10:00:00Z".
std::string LabelText(const engine::DecisionDetail& detail) {
  const store::FeedbackRecord* latest = nullptr;
  for (const auto& f : detail.feedback) {
    if (!f.revoked_ms) latest = &f;
  }
  if (latest == nullptr) return "none yet";
  return latest->label + " by " +
         (latest->moderator.empty() ? std::string("(unnamed)") : ForTerminal(latest->moderator)) +
         " via " + latest->source + ", " + FormatTime(latest->created_ms);
}

}  // namespace

std::vector<std::string> RenderDecision(const engine::DecisionDetail& detail,
                                        const ViewOptions& options) {
  const store::DecisionRecord& r = detail.decision;
  const core::Comment& c = r.comment;
  const Style& style = options.style;
  const size_t width = options.width < 20 ? 20 : options.width;
  std::vector<std::string> lines;
  auto field = [&](const std::string& label, const std::string& value) {
    lines.push_back(Field(label, value, width, style));
  };

  field("Site", ForTerminal(c.blog.empty() ? r.site_url : c.blog));
  field("Post", c.permalink.empty() ? "-" : ForTerminal(c.permalink));
  field("Author", JoinNonEmpty({ForTerminal(c.comment_author), ForTerminal(c.comment_author_email),
                                ForTerminal(c.comment_author_url)},
                               " \xC2\xB7 "));  // ·
  const std::string from =
      JoinNonEmpty({ForTerminal(c.user_ip), ForTerminal(c.user_agent)}, " \xC2\xB7 ");
  field("From", from.empty() ? "-" : from);
  field("Time", FormatTime(r.created_ms) + "  via " + r.channel + "  id " + r.id);
  lines.push_back(style.Bold(PadRight("Verdict", kLabelWidth)) + VerdictText(r, style));
  field("Label", LabelText(detail));
  if (r.purged_ms) {
    field("Purged", "personal fields blanked " + FormatTime(*r.purged_ms) + " (retention)");
  }
  std::vector<std::string> reasons;
  for (const auto& reason : r.decision.reasons) reasons.push_back(ReasonText(reason, true));
  field("Reasons", JoinNonEmpty(reasons, "  \xC2\xB7  "));

  // Links and contacts, counted, so the destinations read at a glance.
  std::map<std::string, int> hosts;
  std::vector<std::string> contacts;
  const std::string safe = ForTerminal(c.comment_content, true);
  for (const auto& span : engine::FindContacts(safe)) {
    const std::string text = safe.substr(span.begin, span.end - span.begin);
    if (span.kind == engine::ContactKind::kLink) {
      const std::string host = engine::LinkHost(text);
      ++hosts[host.empty() ? text : host];
    } else {
      contacts.push_back(text);
    }
  }
  std::vector<std::string> host_list;
  for (const auto& [host, n] : hosts)
    host_list.push_back(n > 1 ? host + " (" + std::to_string(n) + ")" : host);

  std::vector<std::string> text = WrapRuns(HighlightContacts(c.comment_content), width, style);
  std::vector<std::string> tail;
  if (!host_list.empty())
    tail.push_back(Field("Links", JoinNonEmpty(host_list, " \xC2\xB7 "), width, style));
  if (!contacts.empty())
    tail.push_back(Field("Contacts", JoinNonEmpty(contacts, " \xC2\xB7 "), width, style));

  lines.push_back(Rule(width, "comment", style));
  // The text is what the moderator judges: it is cut only in the short view, and then only
  // as much as the screen needs (the details view scrolls off the bottom instead).
  const size_t fixed = lines.size() + tail.size() + 1;
  if (!options.details && options.max_lines > 0 && fixed + text.size() > options.max_lines) {
    const size_t room = options.max_lines > fixed + 1 ? options.max_lines - fixed - 1 : 0;
    const size_t left = text.size() - room;
    text.resize(room);
    text.push_back(style.Dim("\xE2\x80\xA6 " + std::to_string(left) + " more line" +
                             (left == 1 ? "" : "s") + (options.details ? "" : " (d: details)")));
  }
  lines.insert(lines.end(), text.begin(), text.end());
  lines.push_back(Rule(width, "", style));
  lines.insert(lines.end(), tail.begin(), tail.end());
  if (options.details) {
    lines.push_back(Field("Model", ForTerminal(r.model_version), width, style));
    lines.push_back(style.Bold("Reasons"));
    for (const auto& reason : r.decision.reasons) {
      lines.push_back("  " + FitWidth(ReasonText(reason, true), width - 2));
    }
    lines.push_back(style.Bold("Submitted fields (" + std::to_string(c.fields.size()) + ")"));
    for (const auto& [name, value] : c.fields) {
      lines.push_back("  " + FitWidth(ForTerminal(name) + " = " + ForTerminal(value), width - 2));
    }
    lines.push_back(style.Bold("History"));
    if (detail.feedback.empty()) lines.push_back("  none yet");
    for (const auto& f : detail.feedback) {
      std::string entry = FormatTime(f.created_ms) + "  " + f.label + " by " +
                          (f.moderator.empty() ? "(unnamed)" : ForTerminal(f.moderator)) + " via " +
                          f.source;
      if (f.action_id != 0) entry += ", action " + std::to_string(f.action_id);
      if (f.revoked_ms) entry += ", undone " + FormatTime(*f.revoked_ms);
      lines.push_back("  " + FitWidth(entry, width - 2));
    }
  }

  return lines;
}

}  // namespace hamlet::cli
