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
  snapshot->classifier =
      std::shared_ptr<const classifier::Classifier>(std::shared_ptr<void>(), &classifier);
  snapshot->input = input;
  snapshot->policy = policy;
  return snapshot;
}

const SiteProfile& DefaultProfile() {
  static const SiteProfile kDefault;
  return kDefault;
}

const std::shared_ptr<const signals::Lists>& NoLists() {
  static const auto kEmpty = std::make_shared<const signals::Lists>();
  return kEmpty;
}

}  // namespace

Filter::Filter(const classifier::Classifier& classifier, store::Store& store,
               decision::Policy policy, const core::Clock& clock, text::InputMode input)
    : Filter(BorrowedSnapshot(classifier, policy, input), store, clock) {}

Filter::Filter(std::shared_ptr<const ModelSnapshot> model, store::Store& store,
               const core::Clock& clock, FilterContext context)
    : model_(std::move(model)), context_(context), store_(store), clock_(clock) {}

core::Result<core::Decision> Filter::Judge(const ModelSnapshot& model, const SiteProfile& profile,
                                           const Sighting& sighting, SignalMemory* memory) const {
  const core::Comment& comment = *sighting.comment;
  auto prediction =
      model.classifier->Predict(text::ModelInput(comment, *sighting.text, model.input));
  if (!prediction) return prediction.error();
  auto policy = profile.Apply(model.policy);
  if (!policy) return policy.error();
  const signals::History history =
      memory != nullptr ? memory->Recall(sighting) : signals::History{};
  // The lists that apply to the key's site (every site's entries plus its own).
  const std::shared_ptr<const signals::Lists> lists =
      context_.lists != nullptr ? context_.lists->For(sighting.site_url) : NoLists();
  const signals::CheckInput input{comment, *sighting.text, history,
                                  *lists,  profile.checks, sighting.at_ms};
  return decision::Decide(*prediction, signals::RunChecks(input), *policy);
}

core::Result<core::Decision> Filter::Score(const core::Comment& comment,
                                           const ScoreOptions& options) const {
  const text::TextAnalysis text = text::Analyze(comment.comment_content);
  Sighting sighting;
  sighting.comment = &comment;
  sighting.text = &text;
  sighting.at_ms = options.now_ms != 0 ? options.now_ms : clock_.NowMillis();
  std::shared_ptr<const SiteProfile> defaults;
  const SiteProfile* profile = options.profile;
  if (profile == nullptr && context_.sites != nullptr) {
    defaults = context_.sites->For("");
    profile = defaults.get();
  }
  if (profile == nullptr) profile = &DefaultProfile();
  auto decision = Judge(*model_.Current(), *profile, sighting, options.memory);
  if (decision && options.memory != nullptr) options.memory->Record(sighting, *decision);
  return decision;
}

core::Result<CheckOutcome> Filter::Check(const core::Comment& comment, const store::SiteKey& key,
                                         std::string_view channel) const {
  const auto started = std::chrono::steady_clock::now();
  // One snapshot for the whole check: the verdict and the recorded version are the same model's.
  const std::shared_ptr<const ModelSnapshot> model = model_.Current();
  const int64_t now_ms = clock_.NowMillis();
  auto id = TimeOrderedId(now_ms);
  if (!id) return id.error();
  const text::TextAnalysis text = text::Analyze(comment.comment_content);
  Sighting sighting{*id, key.site_url, &comment, &text, now_ms};
  std::shared_ptr<const SiteProfile> site;
  if (context_.sites != nullptr) site = context_.sites->For(key.site_url);
  auto decision = Judge(*model, site ? *site : DefaultProfile(), sighting, context_.memory);
  if (!decision) return decision.error();

  store::DecisionRecord record;
  record.id = *id;
  record.key_id = key.id;
  record.site_url = key.site_url;
  record.created_ms = sighting.at_ms;
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
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

  if (auto status = store_.AppendDecision(record); !status.ok()) return status;
  // Only a stored decision is remembered: reputation must be rebuildable from the store.
  if (context_.memory != nullptr) context_.memory->Record(sighting, record.decision);
  return CheckOutcome{std::move(record.id), std::move(record.decision), record.model_version};
}

}  // namespace hamlet::engine
