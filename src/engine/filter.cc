// The check pipeline.
#include "engine/filter.h"

#include <chrono>
#include <memory>
#include <utility>

#include "decision/decide.h"
#include "engine/crypto.h"
#include "engine/feedback.h"
#include "signals/signal.h"
#include "text/normalize.h"

namespace hamlet::engine {

namespace {

// A snapshot around a classifier the caller owns (and keeps alive, as the contract says):
// the aliasing constructor with an empty owner shares nothing and deletes nothing.
std::shared_ptr<const ModelSnapshot> BorrowedSnapshot(const classifier::Classifier& classifier,
                                                      decision::Policy policy,
                                                      text::InputMode input) {
  auto snapshot = std::make_shared<ModelSnapshot>();
  snapshot->classifier = std::shared_ptr<const classifier::Classifier>(std::shared_ptr<void>(),
                                                                       &classifier);
  snapshot->input = input;
  snapshot->policy = policy;
  return snapshot;
}

}  // namespace

Filter::Filter(const classifier::Classifier& classifier, store::Store& store,
               decision::Policy policy, const core::Clock& clock, text::InputMode input)
    : Filter(BorrowedSnapshot(classifier, policy, input), store, clock) {}

Filter::Filter(std::shared_ptr<const ModelSnapshot> model, store::Store& store,
               const core::Clock& clock)
    : model_(std::move(model)), store_(store), clock_(clock) {}

core::Result<core::Decision> Filter::ScoreWith(const ModelSnapshot& model,
                                               const core::Comment& comment) {
  auto prediction = model.classifier->Predict(text::ModelInput(comment, model.input));
  if (!prediction) return prediction.error();
  return decision::Decide(*prediction, signals::RunChecks(comment), model.policy);
}

core::Result<core::Decision> Filter::Score(const core::Comment& comment) const {
  return ScoreWith(*model_.Current(), comment);
}

core::Result<CheckOutcome> Filter::Check(const core::Comment& comment, const store::SiteKey& key,
                                         std::string_view channel) const {
  const auto started = std::chrono::steady_clock::now();
  // One snapshot for the whole check: the verdict and the recorded version are the same model's.
  const std::shared_ptr<const ModelSnapshot> model = model_.Current();
  auto decision = ScoreWith(*model, comment);
  if (!decision) return decision.error();
  auto id = RandomHex(16);
  if (!id) return id.error();

  store::DecisionRecord record;
  record.id = *id;
  record.key_id = key.id;
  record.site_url = key.site_url;
  record.created_ms = clock_.NowMillis();
  record.channel = std::string(channel);
  record.comment = comment;
  record.decision = *decision;
  record.model_version = model->version();
  record.match_key = MatchKey(comment);
  if (!comment.recheck_reason.empty()) {
    // A recheck (WordPress: cron retry, "Check for Spam") is the same comment again: link it
    // to the first decision, so it is not counted as a new comment.
    auto original = FindOriginalDecision(store_, key.id, comment);
    if (!original) return original.error();
    if (original->has_value()) record.recheck_of = (*original)->id;
  }
  // Time to judge; the commit that follows is measured by the store's own metrics.
  record.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
          .count();

  if (auto status = store_.AppendDecision(record); !status.ok()) return status;
  return CheckOutcome{std::move(record.id), std::move(record.decision), record.model_version};
}

}  // namespace hamlet::engine
