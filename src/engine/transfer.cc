// Export and idempotent import of labeled decisions.
#include "engine/transfer.h"

#include <unordered_map>
#include <utility>

#include "engine/feedback.h"

namespace hamlet::engine {
namespace {

// Items per import transaction: big enough to amortise the fsync, small enough to hold the
// writer for milliseconds.
constexpr size_t kImportChunk = 250;

}  // namespace

Transfer::Transfer(store::Store& store, const Moderation& moderation, const core::Clock& clock)
    : store_(store), moderation_(moderation), clock_(clock) {}

core::Status Transfer::Export(
    const QueueQuery& query,
    const std::function<core::Status(const LabeledDecision&)>& emit) const {
  QueueQuery labeled = query;
  if (labeled.filter.label == store::LabelFilter::kAny) {
    labeled.filter.label = store::LabelFilter::kLabeled;
  }
  labeled.filter.exclude_tests = true;
  labeled.filter.exclude_purged = true;
  labeled.filter.order = store::DecisionOrder::kOldest;
  core::Status failed = core::Status::Ok();
  core::Status walked = moderation_.ForEach(labeled, [&](store::DecisionRecord record) {
    auto feedback = store_.ListFeedback(record.id);
    if (!feedback) {
      failed = feedback.error();
      return false;
    }
    const store::FeedbackRecord* latest = nullptr;
    for (const store::FeedbackRecord& f : *feedback) {
      if (!f.revoked_ms) latest = &f;  // oldest first: the last unrevoked one is in force
    }
    if (latest == nullptr) return true;  // its label was revoked meanwhile
    failed = emit(LabeledDecision{std::move(record), *latest});
    return failed.ok();
  });
  if (!walked.ok()) return walked;
  return failed;
}

core::Result<ImportSummary> Transfer::Import(const std::vector<LabeledDecision>& items,
                                             int64_t key_id, bool dry_run) const {
  ImportSummary summary;
  std::vector<store::DecisionRecord> decisions;
  std::vector<store::FeedbackRecord> feedback;
  // Labels set earlier in this import but maybe not written yet: id -> label.
  std::unordered_map<std::string, std::string> pending;
  auto flush = [&]() -> core::Status {
    if (!dry_run && (!decisions.empty() || !feedback.empty())) {
      if (core::Status s = store_.AppendImported(decisions, feedback); !s.ok()) return s;
    }
    decisions.clear();
    feedback.clear();
    return core::Status::Ok();
  };
  const int64_t now = clock_.NowMillis();
  for (const LabeledDecision& item : items) {
    const store::DecisionRecord& d = item.decision;
    const std::string& label = item.label.label;
    if (d.id.empty()) return core::Status::InvalidArgument("import: an item has no id");
    if (label != "spam" && label != "ham") {
      return core::Status::InvalidArgument("import: decision " + d.id + " has label '" + label +
                                           "'; expected spam or ham");
    }
    store::FeedbackRecord f;
    f.decision_id = d.id;
    f.label = label;
    f.source = "import";
    f.moderator = item.label.moderator;
    f.created_ms = item.label.created_ms != 0 ? item.label.created_ms : now;
    f.is_test = d.comment.is_test;

    std::optional<std::string> in_force;
    bool exists = false;
    if (auto it = pending.find(d.id); it != pending.end()) {
      exists = true;
      in_force = it->second;
    } else {
      auto found = store_.GetDecision(d.id);
      if (!found) return found.error();
      if (found->has_value()) {
        exists = true;
        in_force = (*found)->feedback_label;
        f.key_id = (*found)->key_id;
      }
    }
    if (exists && in_force == label) {
      ++summary.unchanged;
      continue;
    }
    if (exists) {
      ++summary.relabeled;
      if (f.key_id == 0 && pending.count(d.id)) f.key_id = key_id;
    } else {
      store::DecisionRecord created = d;
      created.key_id = key_id;
      created.channel = "import";
      created.recheck_of.clear();  // the first check it names may not have come along
      created.purged_ms.reset();
      created.feedback_label.reset();
      created.match_key = MatchKey(created.comment);
      decisions.push_back(std::move(created));
      f.key_id = key_id;
      ++summary.created;
    }
    pending[d.id] = label;
    feedback.push_back(std::move(f));
    if (decisions.size() + feedback.size() >= kImportChunk) {
      if (core::Status s = flush(); !s.ok()) return s;
    }
  }
  if (core::Status s = flush(); !s.ok()) return s;
  return summary;
}

}  // namespace hamlet::engine
