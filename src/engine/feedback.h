// Feedback: moderators' and sites' verdicts (submit-spam/submit-ham, mark-spam/mark-ham),
// linked to the original decision so they can train the model and correct statistics.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/comment.h"
#include "core/status.h"
#include "engine/signal_memory.h"
#include "store/store.h"

namespace hamlet::engine {

enum class Label { kSpam, kHam };
std::string_view LabelName(Label label);  // "spam" / "ham"

struct FeedbackOutcome {
  int64_t feedback_id = 0;
  // The decision it was linked to; empty when no earlier check matched.
  std::string decision_id;
};

class FeedbackService {
 public:
  // Moderators' verdicts in hamlet are ModeratorActions' (recorded, undoable, reported to
  // the site's webhook); this is the sites' own reports. With `memory`, every label stored is
  // learnt at once (SignalMemory::Learn): it replaces what memory learnt from the labelled
  // decision's verdict. `memory` may be null; it must outlive the service.
  FeedbackService(store::Store& store, const core::Clock& clock, SignalMemory* memory = nullptr);

  // A site reports a comment (Akismet submit-spam/submit-ham or native). Linked to the check
  // with `guid` when given and known, else to FindOriginalDecision's match (WordPress's
  // plugin sends no guid). A recheck found either way is replaced by the decision it
  // rechecked. The `reporter` field is stored as the moderator. Stored even when nothing
  // matches. No webhook event: the site made this report, so it knows already.
  core::Result<FeedbackOutcome> Submit(const core::Comment& comment, const store::SiteKey& key,
                                       Label label, std::string_view guid,
                                       std::string_view source) const;

 private:
  // Tells memory about the stored feedback `record` (id `feedback_id`) on `decision` (null
  // when none was found).
  void Teach(const store::FeedbackRecord& record, int64_t feedback_id, const std::string& site_url,
             const store::DecisionRecord* decision) const;

  store::Store& store_;
  const core::Clock& clock_;
  SignalMemory* memory_;
};

// The value later reports and rechecks are matched on: a hash of the comment's content,
// author, e-mail, IP, user agent and permalink (the values WordPress's Akismet plugin sends
// unchanged in comment-check, submit-spam/ham and rechecks). Shared by Filter (when storing)
// and FeedbackService (when matching).
std::string MatchKey(const core::Comment& comment);

// The earlier decision `comment` refers to: among this key's decisions with the same MatchKey
// (newest first), the first whose `POST_ak_js` (the plugin's page-load timestamp, which tells
// two identical comments apart; rechecks do not send it) agrees with the comment's, when both
// have one. A recheck found this way is replaced by the decision it rechecked, so the result
// is always a first check. nullopt when none matches.
core::Result<std::optional<store::DecisionRecord>> FindOriginalDecision(
    store::Store& store, int64_t key_id, const core::Comment& comment);

}  // namespace hamlet::engine
