// Guard against false positives: every ham comment of the shipped corpora, run through the
// content and form checks (honeypot, timing, links, contact), gets at most a small total.
// Also reports how many ham and spam comments get any hit at all (printed on every run).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/labeled_jsonl.h"
#include "signals/contact.h"
#include "signals/honeypot.h"
#include "signals/links.h"
#include "signals/signal.h"
#include "signals/timing.h"
#include "text/normalize.h"

namespace {

// A ham comment may lean this far towards spam from these checks together: ordinary ham sits
// at model log-odds -4..-9 and the spam threshold near +4, so +2 can never flip it alone.
constexpr double kHamBound = 2.0;

constexpr hamlet::signals::CheckFn kContentChecks[] = {
    &hamlet::signals::CheckHoneypot, &hamlet::signals::CheckTiming, &hamlet::signals::CheckLinks,
    &hamlet::signals::CheckContact};

struct Tally {
  int comments = 0;
  int with_hits = 0;
  double max_total = 0.0;
  std::map<std::string, int> by_check;
};

std::string Describe(const char* label, const Tally& t) {
  std::ostringstream out;
  out << label << ": " << t.with_hits << " of " << t.comments << " with a hit, largest total "
      << t.max_total << ";";
  for (const auto& [check, n] : t.by_check) out << " " << check << "=" << n;
  return out.str();
}

}  // namespace

TEST_SUITE("signals/content_guard") {
  TEST_CASE("no ham comment of the corpora gets more than +2 from the content and form checks") {
    const char* files[] = {"data/example-comments.jsonl", "data/blog-comments-seed.jsonl",
                           "data/heldout/unseen-sites.jsonl"};
    Tally ham, spam;
    const hamlet::signals::History history;
    const hamlet::signals::Lists lists;
    const hamlet::signals::CheckSettings settings;
    for (const char* file : files) {
      auto corpus = hamlet::app::ReadLabeledJsonl(std::string(HAMLET_SOURCE_DIR) + "/" + file);
      REQUIRE_MESSAGE(corpus.has_value(), file);
      REQUIRE(corpus->size() > 20);
      for (const auto& labeled : *corpus) {
        const auto text = hamlet::text::Analyze(labeled.comment.comment_content);
        const hamlet::signals::CheckInput input{labeled.comment, text,     history,
                                                lists,           settings, 1714557296000};
        std::vector<hamlet::core::SignalHit> hits;
        for (const auto check : kContentChecks) check(input, hits);
        double total = 0.0;
        for (const auto& hit : hits) total += hit.contribution;
        Tally& tally = labeled.is_spam ? spam : ham;
        ++tally.comments;
        tally.with_hits += hits.empty() ? 0 : 1;
        tally.max_total = std::max(tally.max_total, total);
        for (const auto& hit : hits) ++tally.by_check[hit.check];
        if (!labeled.is_spam) {
          INFO(std::string(file));
          CAPTURE(labeled.comment.comment_content);
          CHECK(total <= kHamBound);
        }
      }
    }
    MESSAGE(Describe("ham", ham));
    MESSAGE(Describe("spam", spam));
    CHECK(ham.comments > 400);
    // The checks must catch something: most of the corpora's spam carries links or contacts.
    CHECK(spam.with_hits * 2 > spam.comments);
  }
}
