// The author checks, from the helpers in author_email.cc and author_name.cc.
#include "signals/author.h"

#include <string>

#include "text/domain.h"

namespace hamlet::signals {
namespace {

constexpr double kDisposable = 1.5;
constexpr double kEmailShape = 1.0;
constexpr double kEmailDigits = 0.75;
constexpr double kKeywordPhrase = 1.5;
constexpr double kStrongKeywordPhrase = 2.5;
constexpr double kNameEmail = 2.0;
constexpr double kUrlOnFirstComment = 1.0;

void CheckEmail(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const std::string& email = input.comment.comment_author_email;
  if (email.empty()) return;
  if (const std::string_view problem = EmailShapeProblem(email); !problem.empty()) {
    hits.push_back({"author.email_shape", kEmailShape,
                    "the author's e-mail address " + std::string(problem), std::nullopt});
    return;  // a malformed address says nothing about a provider or a mailbox name
  }
  const std::string domain = text::EmailDomain(email);
  if (input.lists.IsDisposableEmailDomain(domain)) {
    // The provider's domain is not personal data: it is shared by every user of the service.
    hits.push_back({"author.disposable_email", kDisposable,
                    "e-mail at a throw-away provider (" + domain.substr(0, 60) + ")",
                    std::nullopt});
  }
  if (DigitHeavyLocalPart(email)) {
    hits.push_back({"author.email_digits", kEmailDigits,
                    "the e-mail's mailbox name looks machine-made (digits or letter-digit runs)",
                    std::nullopt});
  }
}

void CheckName(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  const std::string& name = input.comment.comment_author;
  if (name.empty()) return;
  if (const int score = NameKeywordScore(name); score >= 2) {
    hits.push_back({"author.name_keywords", score >= 3 ? kStrongKeywordPhrase : kKeywordPhrase,
                    "the author name is a keyword phrase, not a name", std::nullopt});
  }
  if (NameHoldsEmailAddress(name)) {
    hits.push_back(
        {"author.name_email", kNameEmail, "the author name holds an e-mail address", std::nullopt});
  }
}

void CheckFirstComment(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  // Without memory there is no telling a first comment from a regular's: say nothing.
  if (!input.history.available || input.history.prior_comments_by_author > 0) return;
  const std::string host = text::UrlHost(input.comment.comment_author_url);
  if (host.empty()) return;
  // A link to the site itself (its owner, a team member) is no backlink.
  const std::string blog = text::UrlHost(input.comment.blog);
  if (!blog.empty() && text::SiteDomain(host) == text::SiteDomain(blog)) return;
  hits.push_back({"author.url_first_comment", kUrlOnFirstComment,
                  "an author URL on the sender's first comment on this site", std::nullopt});
}

}  // namespace

void CheckAuthor(const CheckInput& input, std::vector<core::SignalHit>& hits) {
  CheckEmail(input, hits);
  CheckName(input, hits);
  CheckFirstComment(input, hits);
}

}  // namespace hamlet::signals
