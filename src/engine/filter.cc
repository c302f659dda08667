// The check pipeline.
#include "engine/filter.h"

#include <chrono>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "decision/decide.h"
#include "engine/crypto.h"
#include "engine/feedback.h"
#include "signals/check_settings.h"
#include "signals/history.h"
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

// What memory learns from a decision: the confident verdict that the model and the checks that
// do not read history give. Leaving the history checks out means history never feeds on itself:
// a comment that only reputation or a campaign pushed over the threshold teaches reputation
// nothing. Uncertain verdicts, tests and Akismet's test hooks teach nothing either.
Lesson LessonOf(const core::Comment& comment, const core::Prediction& prediction,
                const std::vector<core::SignalHit>& hits, const core::Decision& decision,
                const decision::Policy& policy) {
  if (comment.is_test) return Lesson::kNone;
  bool reads_history = false;
  for (const core::SignalHit& hit : hits) {
    if (signals::CheckFamily(hit.check) == "akismet") return Lesson::kNone;
    reads_history = reads_history || signals::ReadsHistory(hit.check);
  }
  core::Decision without_history;
  if (reads_history) {
    without_history = decision::DecideWithout(
        prediction, hits, policy,
        [](const core::SignalHit& hit) { return signals::ReadsHistory(hit.check); });
  }
  const core::Decision& d = reads_history ? without_history : decision;
  if (d.uncertain) return Lesson::kNone;
  return core::IsSpamVerdict(d.verdict) ? Lesson::kSpam : Lesson::kHam;
}

}  // namespace

Filter::Filter(const classifier::Classifier& classifier, store::Store& store,
               decision::Policy policy, const core::Clock& clock, text::InputMode input)
    : Filter(BorrowedSnapshot(classifier, policy, input), store, clock) {}

Filter::Filter(std::shared_ptr<const ModelSnapshot> model, store::Store& store,
               const core::Clock& clock, FilterContext context)
    : model_(std::move(model)), context_(context), store_(store), clock_(clock) {}

core::Result<Filter::Judged> Filter::Judge(const ModelSnapshot& model, const SiteProfile& profile,
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
  const std::vector<core::SignalHit> hits = signals::RunChecks(input);
  Judged judged;
  judged.decision = decision::Decide(*prediction, hits, *policy);
  judged.lesson = LessonOf(comment, *prediction, hits, judged.decision, *policy);
  return judged;
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
  if (options.memory != nullptr) {
    sighting.footprint = options.memory->Trace(comment, text, options.site_url);
    sighting.site_url = options.site_url;
    sighting.decision_id = options.decision_id;
  }
  auto judged = Judge(*model_.Current(), *profile, sighting, options.memory);
  if (!judged) return judged.error();
  if (options.memory != nullptr) options.memory->Record(sighting, judged->lesson);
  return std::move(judged->decision);
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
  Sighting sighting;
  sighting.decision_id = *id;
  sighting.site_url = key.site_url;
  sighting.comment = &comment;
  sighting.text = &text;
  sighting.at_ms = now_ms;
  std::optional<store::DecisionRecord> original;
  if (!comment.recheck_reason.empty()) {
    // A recheck (WordPress: cron retry, "Check for Spam") is the same comment again: link it
    // to the first decision, so it is not counted as a new comment (nor, by memory, against
    // itself).
    auto found = FindOriginalDecision(store_, key.id, comment);
    if (!found) return found.error();
    original = std::move(*found);
    if (original) sighting.original = &*original;
  }
  if (context_.memory != nullptr) {
    sighting.footprint = context_.memory->Trace(comment, text, key.site_url);
  }
  std::shared_ptr<const SiteProfile> site;
  if (context_.sites != nullptr) site = context_.sites->For(key.site_url);
  auto judged = Judge(*model, site ? *site : DefaultProfile(), sighting, context_.memory);
  if (!judged) return judged.error();

  store::DecisionRecord record;
  record.id = *id;
  record.key_id = key.id;
  record.site_url = key.site_url;
  record.created_ms = sighting.at_ms;
  record.channel = std::string(channel);
  record.comment = comment;
  record.decision = std::move(judged->decision);
  record.model_version = model->version();
  record.match_key = MatchKey(comment);
  if (original) record.recheck_of = original->id;
  if (context_.memory != nullptr) record.memory = EncodeTrace(sighting.footprint, judged->lesson);
  // Time to judge; the commit that follows is measured by the store's own metrics.
  record.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  judge_seconds_.Observe(record.latency_ms / 1000.0);

  if (auto status = store_.AppendDecision(record); !status.ok()) return status;
  // Only a stored decision is learnt from: reputation must be rebuildable from the store.
  if (context_.memory != nullptr) context_.memory->Record(sighting, judged->lesson);
  return CheckOutcome{std::move(record.id), std::move(record.decision), record.model_version};
}

}  // namespace hamlet::engine
