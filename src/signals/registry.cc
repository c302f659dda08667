// The table of checks, run in order. Adding a check means one file pair, one row, one test.
#include <array>

#include "signals/author.h"
#include "signals/campaign.h"
#include "signals/contact.h"
#include "signals/honeypot.h"
#include "signals/links.h"
#include "signals/list_checks.h"
#include "signals/rate.h"
#include "signals/reputation.h"
#include "signals/signal.h"
#include "signals/test_hooks.h"
#include "signals/timing.h"
#include "signals/trust.h"

namespace hamlet::signals {
namespace {

// Test hooks come first: a forcing hit earlier in the table wins (see decision::Decide).
constexpr std::array<CheckRow, 11> kChecks = {{
    {"akismet", &CheckTestHooks, "Akismet's test hooks (viagra-test-123, administrator role)"},
    {"honeypot", &CheckHoneypot, "hidden form fields: a filled honeypot, a failed WordPress nonce"},
    {"timing", &CheckTiming, "time from form render to submission, WordPress's JavaScript field"},
    {"lists", &CheckLists, "the operator's block list (spam) and allow list, logged-in roles"},
    {"links", &CheckLinks,
     "links: count, density, shorteners, obfuscated domains, anchors, author name and URL"},
    {"contact", &CheckContact,
     "contact bait: phone numbers, e-mail addresses, messenger ids, support-number phrasing"},
    {"author", &CheckAuthor,
     "author fields: throw-away or malformed e-mail, keyword phrase or e-mail as a name, URL on a "
     "first comment"},
    {"reputation", &CheckReputation,
     "earlier verdicts and labels for the IP (/24), e-mail, author and linked domains"},
    {"campaign", &CheckCampaign, "the same or nearly the same text from other senders or sites"},
    {"rate", &CheckRate, "bursts of comments from one IP, e-mail or author URL"},
    {"trust", &CheckTrust, "an author whose earlier comments moderators approved (leans ham)"},
}};

}  // namespace

std::span<const CheckRow> CheckTable() { return kChecks; }

std::vector<core::SignalHit> RunChecks(const CheckInput& input) {
  std::vector<core::SignalHit> hits;
  for (const CheckRow& row : kChecks) {
    if (input.settings.WeightOf(row.family) == 0.0) continue;
    const size_t first = hits.size();
    row.run(input, hits);
    for (size_t i = first; i < hits.size();) {
      const double weight = input.settings.WeightOf(hits[i].check);
      if (weight == 0.0) {
        hits.erase(hits.begin() + static_cast<std::ptrdiff_t>(i));
        continue;
      }
      hits[i].contribution *= weight;
      ++i;
    }
  }
  return hits;
}

std::vector<core::SignalHit> RunChecks(const core::Comment& comment) {
  const text::TextAnalysis text = text::Analyze(comment.comment_content);
  const History history;
  const Lists lists;
  const CheckSettings settings;
  return RunChecks(CheckInput{comment, text, history, lists, settings, 0});
}

}  // namespace hamlet::signals
