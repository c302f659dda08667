// Feedback linking and recording.
#include "engine/feedback.h"

#include "engine/crypto.h"

namespace hamlet::engine {

std::string_view LabelName(Label label) { return label == Label::kSpam ? "spam" : "ham"; }

std::string MatchKey(const core::Comment& c) {
  // Unit separators keep ("ab","c") and ("a","bc") apart.
  std::string joined;
  joined.reserve(c.comment_content.size() + 128);
  for (const std::string* part : {&c.comment_content, &c.comment_author,
                                   &c.comment_author_email, &c.user_ip, &c.user_agent,
                                   &c.permalink}) {
    joined += *part;
    joined += '\x1f';
  }
  return Sha256Hex(joined);
}

namespace {

// Look-alikes examined for a POST_ak_js match; identical comments beyond this are rare.
constexpr int kMatchCandidates = 20;

// `record` itself, or the decision it rechecked.
core::Result<std::optional<store::DecisionRecord>> Original(store::Store& store,
                                                            store::DecisionRecord record) {
  if (record.recheck_of.empty()) return std::optional<store::DecisionRecord>(std::move(record));
  return store.GetDecision(record.recheck_of);
}

}  // namespace

core::Result<std::optional<store::DecisionRecord>> FindOriginalDecision(
    store::Store& store, int64_t key_id, const core::Comment& comment) {
  auto candidates = store.FindDecisionsByMatchKey(key_id, MatchKey(comment), kMatchCandidates);
  if (!candidates) return candidates.error();
  const std::string& ak_js = comment.Field("POST_ak_js");
  for (store::DecisionRecord& candidate : *candidates) {
    const std::string& theirs = candidate.comment.Field("POST_ak_js");
    if (!ak_js.empty() && !theirs.empty() && ak_js != theirs) continue;
    return Original(store, std::move(candidate));
  }
  return std::optional<store::DecisionRecord>();
}

FeedbackService::FeedbackService(store::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

core::Result<FeedbackOutcome> FeedbackService::Submit(const core::Comment& comment,
                                                      const store::SiteKey& key, Label label,
                                                      std::string_view guid,
                                                      std::string_view source) const {
  std::string decision_id;
  if (!guid.empty()) {
    auto found = store_.GetDecision(std::string(guid));
    if (!found) return found.error();
    // A guid from another site's key is not linked: sites must not touch each other's data.
    if (found->has_value() && (*found)->key_id == key.id) {
      decision_id = (*found)->recheck_of.empty() ? (*found)->id : (*found)->recheck_of;
    }
  }
  if (decision_id.empty()) {
    auto found = FindOriginalDecision(store_, key.id, comment);
    if (!found) return found.error();
    if (found->has_value()) decision_id = (*found)->id;
  }

  store::FeedbackRecord record;
  record.decision_id = decision_id;
  record.key_id = key.id;
  record.label = std::string(LabelName(label));
  record.source = std::string(source);
  record.moderator = comment.Field("reporter");
  record.created_ms = clock_.NowMillis();
  record.is_test = comment.is_test;
  record.fields = comment.fields;
  auto id = store_.AppendFeedback(record);
  if (!id) return id.error();
  return FeedbackOutcome{*id, decision_id};
}

}  // namespace hamlet::engine
