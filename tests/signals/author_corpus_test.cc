// False-positive guard: every comment of the project's labeled files through the author
// checks with the shipped disposable-domain list. Ham must stay nearly untouched (a false
// positive is the costliest mistake); the counts of ham and spam with any hit are printed
// for docs/checks.md.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>

#include "app/labeled_jsonl.h"
#include "engine/list_file.h"
#include "signals/author.h"
#include "signals/lists.h"
#include "support/files.h"

using namespace hamlet;

namespace {

struct Tally {
  int ham = 0, ham_hit = 0, spam = 0, spam_hit = 0;
  double worst_ham = 0.0;  // the largest total a ham comment got
  std::string worst_ham_id;
  std::map<std::string, int> spam_by_check;  // spam comments each check hit
};

signals::Lists ShippedLists() {
  signals::Lists lists;
  const std::string text = testing::ReadFile(std::string(HAMLET_SOURCE_DIR) +
                                             "/data/lists/disposable-email-domains.txt");
  REQUIRE(!text.empty());
  std::vector<std::string> errors;
  lists.disposable_email_domains = engine::ParseDomainList(text, &errors);
  CHECK(errors.empty());
  CHECK(lists.disposable_email_domains.size() >= 300);
  return lists;
}

void Score(const std::string& file, const signals::Lists& lists, Tally& tally) {
  auto comments = app::ReadLabeledJsonl(std::string(HAMLET_SOURCE_DIR) + "/" + file);
  REQUIRE_MESSAGE(comments, (comments ? std::string() : comments.error().message()));
  REQUIRE(!comments->empty());
  const signals::History history;  // no memory: as in evaluation without replay
  const signals::CheckSettings settings;
  for (const auto& labeled : *comments) {
    const text::TextAnalysis text = text::Analyze(labeled.comment.comment_content);
    std::vector<core::SignalHit> hits;
    signals::CheckAuthor(signals::CheckInput{labeled.comment, text, history, lists, settings, 0},
                         hits);
    double total = 0.0;
    for (const auto& h : hits) total += h.contribution;
    if (labeled.is_spam) {
      ++tally.spam;
      tally.spam_hit += !hits.empty();
      for (const auto& h : hits) ++tally.spam_by_check[h.check];
    } else {
      ++tally.ham;
      tally.ham_hit += !hits.empty();
      if (total > tally.worst_ham) {
        tally.worst_ham = total;
        tally.worst_ham_id =
            labeled.comment.comment_author + " / " + labeled.comment.comment_author_email;
      }
    }
  }
}

}  // namespace

TEST_SUITE("signals/author_corpus") {
  TEST_CASE("ham of the example, seed and unseen-sites files stays nearly untouched") {
    const signals::Lists lists = ShippedLists();
    Tally tally;
    for (const char* file : {"data/example-comments.jsonl", "data/blog-comments-seed.jsonl",
                             "data/heldout/unseen-sites.jsonl"}) {
      Tally one;
      Score(file, lists, one);
      MESSAGE(std::string(file) << ": ham " << one.ham_hit << " of " << one.ham << " hit, spam "
                                << one.spam_hit << " of " << one.spam << " hit; worst ham total "
                                << one.worst_ham);
      tally.ham += one.ham;
      tally.ham_hit += one.ham_hit;
      tally.spam += one.spam;
      tally.spam_hit += one.spam_hit;
      for (const auto& [check, n] : one.spam_by_check) tally.spam_by_check[check] += n;
      if (one.worst_ham > tally.worst_ham) {
        tally.worst_ham = one.worst_ham;
        tally.worst_ham_id = one.worst_ham_id;
      }
    }
    MESSAGE("all: ham " << tally.ham_hit << " of " << tally.ham << " hit, spam " << tally.spam_hit
                        << " of " << tally.spam << " hit; worst ham total " << tally.worst_ham
                        << " (" << tally.worst_ham_id << ")");
    for (const auto& [check, n] : tally.spam_by_check) {
      MESSAGE(check << ": " << n << " spam comments");
    }
    // No ham comment gets more than one weak piece of evidence, and hardly any gets one.
    CHECK_MESSAGE(tally.worst_ham <= 1.5, tally.worst_ham_id);
    CHECK(tally.ham_hit * 50 <= tally.ham);  // at most 2%
    // And the checks do see spam: a check that never fires guards nothing.
    CHECK(tally.spam_hit * 10 >= tally.spam);  // at least 10%
  }
}
