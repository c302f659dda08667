// Feedback linking and recording.
#include "engine/feedback.h"

#include "engine/crypto.h"
#include "engine/stored_trace.h"

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

FeedbackService::FeedbackService(store::Store& store, const core::Clock& clock,
                                 SignalMemory* memory)
    : store_(store), clock_(clock), memory_(memory) {}

void FeedbackService::Teach(const store::FeedbackRecord& record, int64_t feedback_id,
                            const std::string& site_url,
                            const store::DecisionRecord* decision) const {
  if (memory_ == nullptr) return;
  store::MemoryFeedback f;
  f.feedback_id = feedback_id;
  f.label = record.label;
  f.created_ms = record.created_ms;
  f.is_test = record.is_test;
  f.site_url = decision != nullptr ? decision->site_url : site_url;
  if (decision != nullptr) {
    f.decision = MemoryView(*decision);
  } else {
    f.comment = core::CommentFromFields(record.fields);
  }
  if (std::optional<Correction> c = CorrectionOf(*memory_, f); c) memory_->Learn(*c);
}

core::Result<FeedbackOutcome> FeedbackService::Submit(const core::Comment& comment,
                                                      const store::SiteKey& key, Label label,
                                                      std::string_view guid,
                                                      std::string_view source) const {
  std::optional<store::DecisionRecord> decision;
  if (!guid.empty()) {
    auto found = store_.GetDecision(std::string(guid));
    if (!found) return found.error();
    // A guid from another site's key is not linked: sites must not touch each other's data.
    if (found->has_value() && (*found)->key_id == key.id) {
      if (!(*found)->recheck_of.empty()) {
        found = store_.GetDecision((*found)->recheck_of);
        if (!found) return found.error();
      }
      decision = std::move(*found);
    }
  }
  if (!decision) {
    auto found = FindOriginalDecision(store_, key.id, comment);
    if (!found) return found.error();
    decision = std::move(*found);
  }
  const std::string decision_id = decision ? decision->id : std::string();

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
  Teach(record, *id, key.site_url, decision ? &*decision : nullptr);
  return FeedbackOutcome{*id, decision_id};
}

}  // namespace hamlet::engine
