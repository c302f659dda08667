// Retraining's pure steps: examples, deduplication, the hash split, the install rule.
#include "engine/retraining.h"

#include <sstream>
#include <utility>

#include "text/normalize.h"

namespace hamlet::engine {

std::optional<LabeledComment> FeedbackExample(const store::LabeledFeedback& feedback) {
  if (feedback.comment.is_test) return std::nullopt;
  if (feedback.label != "spam" && feedback.label != "ham") return std::nullopt;
  return LabeledComment{feedback.comment, feedback.label == "spam"};
}

void ExampleSet::Add(LabeledComment labeled, ExampleSource source) {
  std::string key = text::Normalize(labeled.comment.comment_content);
  auto [it, inserted] = index_.try_emplace(key, examples_.size());
  if (inserted) {
    examples_.push_back(Example{std::move(labeled), std::move(key), source});
    return;
  }
  ++duplicates_;
  Example& existing = examples_[it->second];
  if (existing.labeled.is_spam != labeled.is_spam) ++label_conflicts_;
  if (existing.source == ExampleSource::kFeedback && source == ExampleSource::kBase) return;
  existing.labeled = std::move(labeled);
  existing.source = source;
}

uint64_t StableTextHash(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string_view SplitName(Split split) {
  switch (split) {
    case Split::kTrain: return "train";
    case Split::kTune: return "tune";
    case Split::kTest: return "test";
  }
  return "train";
}

Split SplitOf(std::string_view normalized, int holdout_percent) {
  const uint64_t h = StableTextHash(normalized);
  if (static_cast<int>(h % 100) >= holdout_percent) return Split::kTrain;
  return (h / 100) % 2 == 0 ? Split::kTune : Split::kTest;
}

InstallDecision DecideInstall(const Metrics& candidate, const Metrics& current) {
  std::ostringstream why;
  if (candidate.fpr > current.fpr) {
    why << "the candidate flags more ham as spam (false-positive rate " << candidate.fpr
        << " > " << current.fpr << ")";
    return {false, why.str()};
  }
  if (candidate.f1 < current.f1) {
    why << "the candidate is less accurate (F1 " << candidate.f1 << " < " << current.f1 << ")";
    return {false, why.str()};
  }
  why << "false-positive rate " << candidate.fpr << " <= " << current.fpr << " and F1 "
      << candidate.f1 << " >= " << current.f1;
  return {true, why.str()};
}

}  // namespace hamlet::engine
