// Author-field checks: table-driven, with the ordinary names and addresses they must leave
// alone.
#include "signals/author.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/comment.h"
#include "signals/ascii.h"
#include "signals/lists.h"
#include "signals/signal.h"
#include "support/signal_hits.h"

using namespace hamlet;

namespace {

// The name scans as they were before they stopped building vectors (a copy): the current ones
// must agree with them on any name.
namespace reference {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Lower-case words of a name: runs of ASCII letters and digits, and of non-ASCII bytes
// (other scripts are words too, they just never match the English lists).
std::vector<std::string> NameWords(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  for (char c : name) {
    if (IsAsciiAlnum(c) || static_cast<unsigned char>(c) >= 0x80) {
      current.push_back(signals::AsciiLower(c));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// Pieces of the name between spaces and brackets, each kept whole ("sales@shop.example").
std::vector<std::string_view> Pieces(std::string_view name) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < name.size()) {
    size_t end = name.find_first_of(" \t,;()<>[]\"'", start);
    if (end == std::string_view::npos) end = name.size();
    if (end > start) out.push_back(name.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool ReferenceNameHoldsEmailAddress(std::string_view name) {
  for (std::string_view piece : Pieces(name)) {
    const size_t at = piece.find('@');
    if (at == std::string_view::npos || at == 0) continue;  // "@maria" is a mention
    const std::string_view domain = piece.substr(at + 1);
    const size_t dot = domain.find('.');
    if (dot != std::string_view::npos && dot > 0 && domain.back() != '.') return true;
  }
  return false;
}

// The keyword score as the sum of each word's own score, over the words as NameWords split them.
int NameKeywordScore(std::string_view name) {
  int score = 0;
  for (const std::string& word : NameWords(name)) score += signals::NameKeywordScore(word);
  return score;
}

}  // namespace reference

using testing::FindHit;

std::vector<core::SignalHit> Author(core::FieldList fields, const signals::Lists& lists = {},
                                    const signals::History& history = {}) {
  const core::Comment comment = core::CommentFromFields(std::move(fields));
  const text::TextAnalysis text = text::Analyze(comment.comment_content);
  const signals::CheckSettings settings;
  std::vector<core::SignalHit> hits;
  signals::CheckAuthor(signals::CheckInput{comment, text, history, lists, settings, 0}, hits);
  return hits;
}

}  // namespace

TEST_SUITE("signals/author") {
  TEST_CASE("e-mail shapes that cannot be a mailbox are named, ordinary ones pass") {
    struct Row {
      const char* email;
      const char* problem;  // "" for fine
    };
    const Row rows[] = {
        {"ann@mail.example", ""},
        {"marta.k@example.org", ""},
        {"o'brien+blog@sub.mail.example.co.uk", ""},
        {"ñandú@correo.example", ""},
        {"ann@bücher.example", ""},
        {"ann@xn--bcher-kva.example", ""},
        {"ann@mail.example.", ""},
        {"none", "has no '@'"},
        {"@mail.example", "nothing before"},
        {"ann@", "has no domain"},
        {"ann@localhost", "no dot"},
        {"ann@[192.0.2.1]", "IP address"},
        {"ann@mail..example", "empty label"},
        {"ann@-mail.example", "edge '-'"},
        {"ann@mail_box.example", "character"},
        {"ann@mail.c", "top-level domain"},
        {"ann@mail.123", "top-level domain"},
    };
    for (const Row& row : rows) {
      const std::string shown_email = row.email;
      CAPTURE(shown_email);
      const std::string problem(signals::EmailShapeProblem(row.email));
      if (row.problem[0] == '\0') {
        CHECK(problem.empty());
      } else {
        CHECK(problem.find(row.problem) != std::string::npos);
      }
    }
  }

  TEST_CASE("digits-heavy or random mailbox names are flagged, ordinary ones are not") {
    struct Row {
      const char* local;
      bool flagged;
    };
    const Row rows[] = {
        {"john1985", false},    {"maria.2024", false}, {"r2d2fan", false},  {"john12345", false},
        {"anna.smith", false},  {"dev.patel", false},  {"jo", false},       {"k.o.1", false},
        {"anna19871203", true}, {"9876543210", true},  {"k3j9x2m7q", true}, {"a1b2c3d4", true},
        {"user_12345", false},  {"user_123456", true},
    };
    for (const Row& row : rows) {
      const std::string shown_local = row.local;
      CAPTURE(shown_local);
      CHECK(signals::DigitHeavyLocalPart(row.local) == row.flagged);
    }
  }

  TEST_CASE("keyword phrases score high, ordinary names score under 2") {
    struct Row {
      const char* name;
      int at_least;
      int at_most;
    };
    const Row rows[] = {
        {"Best SEO Services", 3, 99},
        {"cheap viagra online", 3, 99},
        {"Buy Essay Online", 3, 99},
        {"Online Marketing Expert", 3, 99},
        {"John Smith - Best Roofing Services", 2, 99},
        {"Casino", 2, 99},
        {"buy-cheap-pills", 3, 99},
        {"Dr. Anna Smith", 0, 0},
        {"John from Ohio", 0, 0},
        {"gamer_123", 0, 0},
        {"George Best", 0, 1},
        {"Vincent Price", 0, 1},
        {"João Sales", 0, 1},
        {"Free Spirit", 0, 1},
        {"Top Gear Fan", 0, 1},
        {"Marta Kowalczyk", 0, 0},
        {"李小龙", 0, 0},
        {"Алексей Смирнов", 0, 0},
        {"Seo-yeon Park", 0, 1},  // a Korean given name, not the acronym
        {"SEO", 0, 1},
        {"", 0, 0},
    };
    for (const Row& row : rows) {
      const std::string shown_name = row.name;
      CAPTURE(shown_name);
      const int score = signals::NameKeywordScore(row.name);
      CHECK(score >= row.at_least);
      CHECK(score <= row.at_most);
    }
  }

  TEST_CASE("an e-mail address as the name is found and mentions are not") {
    struct Row {
      const char* name;
      bool email;
    };
    const Row rows[] = {
        {"sales@bestseo.example", true},
        {"Best SEO (sales@bestseo.example)", true},
        {"Dr. Anna Smith", false},
        {"@maria", false},
        {"Ann @ home", false},
        {"maria@", false},
        {"ann@localhost", false},
        {"ann@host.", false},
        {"John from Ohio", false},
        {"https://bestseo.example", false},  // links.author_name's, not ours
    };
    for (const Row& row : rows) {
      const std::string shown_name = row.name;
      CAPTURE(shown_name);
      CHECK(signals::NameHoldsEmailAddress(row.name) == row.email);
    }
  }

  TEST_CASE("the author check reports each finding once with its contribution") {
    signals::Lists lists;
    lists.disposable_email_domains = {"mailinator.com"};
    auto disposable = Author({{"comment_author_email", "xyz@mailinator.com"}}, lists);
    REQUIRE(FindHit(disposable, "author.disposable_email") != nullptr);
    CHECK(FindHit(disposable, "author.disposable_email")->contribution == doctest::Approx(1.5));
    CHECK(FindHit(disposable, "author.disposable_email")->detail.find("mailinator.com") !=
          std::string::npos);
    // Subdomains of a provider are the provider's.
    CHECK(FindHit(Author({{"comment_author_email", "a@eu.mailinator.com"}}, lists),
                  "author.disposable_email") != nullptr);
    CHECK(FindHit(Author({{"comment_author_email", "a@notmailinator.com.example"}}, lists),
                  "author.disposable_email") == nullptr);

    auto shape = Author({{"comment_author_email", "asdf"}}, lists);
    REQUIRE(FindHit(shape, "author.email_shape") != nullptr);
    CHECK(FindHit(shape, "author.email_shape")->detail.find("'@'") != std::string::npos);

    auto digits = Author({{"comment_author_email", "anna19871203@mail.example"}});
    REQUIRE(FindHit(digits, "author.email_digits") != nullptr);
    CHECK(FindHit(digits, "author.email_digits")->detail.find("anna") == std::string::npos);

    auto keywords = Author({{"comment_author", "Buy Essay Online"}});
    REQUIRE(FindHit(keywords, "author.name_keywords") != nullptr);
    CHECK(FindHit(keywords, "author.name_keywords")->contribution == doctest::Approx(2.5));
    auto two = Author({{"comment_author", "Cheap Deals"}});
    REQUIRE(FindHit(two, "author.name_keywords") != nullptr);
    CHECK(FindHit(two, "author.name_keywords")->contribution == doctest::Approx(1.5));

    auto email = Author({{"comment_author", "sales@bestseo.example"}});
    REQUIRE(FindHit(email, "author.name_email") != nullptr);
    CHECK(FindHit(email, "author.name_email")->contribution == doctest::Approx(2.0));

    auto ordinary = Author({{"comment_author", "Dr. Anna Smith"},
                            {"comment_author_email", "anna.smith@mail.example"},
                            {"comment_author_url", "https://annasmith.example/"}});
    CHECK(ordinary.empty());
  }

  TEST_CASE("an author URL on a first comment counts only when memory knows it is the first") {
    const core::FieldList fields = {{"blog", "https://blog.example/"},
                                    {"comment_author", "Ann"},
                                    {"comment_author_url", "https://ann-shop.example/buy"}};
    signals::History none;  // no memory attached
    CHECK(FindHit(Author(fields, {}, none), "author.url_first_comment") == nullptr);

    signals::History first;
    first.available = true;
    auto hits = Author(fields, {}, first);
    REQUIRE(FindHit(hits, "author.url_first_comment") != nullptr);
    CHECK(FindHit(hits, "author.url_first_comment")->contribution == doctest::Approx(1.0));

    signals::History regular = first;
    regular.prior_comments_by_author = 3;
    CHECK(FindHit(Author(fields, {}, regular), "author.url_first_comment") == nullptr);

    // No URL, or a URL on the site itself: nothing.
    CHECK(FindHit(Author({{"comment_author", "Ann"}}, {}, first), "author.url_first_comment") ==
          nullptr);
    CHECK(FindHit(Author({{"blog", "https://blog.example/"},
                          {"comment_author_url", "https://www.blog.example/about"}},
                         {}, first),
                  "author.url_first_comment") == nullptr);
  }

  TEST_CASE("author checks run in the table and can be switched off by weight") {
    auto hits =
        signals::RunChecks(core::CommentFromFields({{"comment_author", "Best SEO Services"}}));
    CHECK(FindHit(hits, "author.name_keywords") != nullptr);
    const core::Comment comment =
        core::CommentFromFields({{"comment_author", "Best SEO Services"}});
    const text::TextAnalysis text = text::Analyze("");
    const signals::History history;
    const signals::Lists lists;
    signals::CheckSettings settings;
    settings.weights["author"] = 0.0;
    auto off = signals::RunChecks(signals::CheckInput{comment, text, history, lists, settings, 0});
    CHECK(FindHit(off, "author.name_keywords") == nullptr);
  }

  TEST_CASE("the one-pass name scans agree with the vector-building ones on hostile names") {
    const std::vector<std::string> parts = {
        "Best", "SEO",        "viagra",   "Cheap", "ann@shop.example", "@maria",      "x@y",
        "a@b.", "sales",      "\xC3\xA9", "\xFF",  "casino",           "Jo\xC3\xA3o", "buy",
        "9",    "web-design", "",         "tips!", "mail@host.co.uk",  "<b@c.d>"};
    const std::vector<std::string> gaps = {" ", "  ", "\t", ",", ";", "(", ")", "<",  ">", "[",
                                           "]", "\"", "'",  "-", ".", "_", "",  "\0", "/"};
    uint64_t state = 11;
    auto next = [&state](size_t bound) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<size_t>(state >> 33) % bound;
    };
    int keyword_names = 0, email_names = 0;
    for (int k = 0; k < 3000; ++k) {
      std::string name;
      const size_t words = next(8);
      for (size_t w = 0; w < words; ++w) {
        name += gaps[next(gaps.size())];
        name += parts[next(parts.size())];
      }
      const int score = reference::NameKeywordScore(name);
      const bool email = reference::ReferenceNameHoldsEmailAddress(name);
      CHECK(signals::NameKeywordScore(name) == score);
      CHECK(signals::NameHoldsEmailAddress(name) == email);
      keyword_names += score >= 2 ? 1 : 0;
      email_names += email ? 1 : 0;
    }
    CHECK(keyword_names > 100);  // both answers occur often in the generated names
    CHECK(email_names > 100);
  }
}
