// Retraining from moderators: the pure steps of `hamlet retrain`. Labeled examples from base
// data and stored feedback are deduplicated by normalized text, split deterministically into
// train / tune / test by a hash of that text, and a candidate model is installed only when it
// is at least as good as the current one on the test part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/evaluation.h"
#include "store/store.h"

namespace hamlet::engine {

enum class ExampleSource { kBase, kFeedback };

struct Example {
  LabeledComment labeled;
  std::string normalized;  // text::Normalize(comment_content): the dedup and split key
  ExampleSource source = ExampleSource::kBase;
};

// The labeled comment a stored feedback row teaches; nullopt for a test comment (is_test) or
// a label that is neither "spam" nor "ham".
std::optional<LabeledComment> FeedbackExample(const store::LabeledFeedback& feedback);

// Examples keyed by normalized text. Adding a text that is there already replaces the earlier
// example, except that base data never replaces feedback: the moderators' latest verdict wins
// (add feedback oldest first). Not thread-safe.
class ExampleSet {
 public:
  void Add(LabeledComment labeled, ExampleSource source);
  // In the order each text was first added.
  const std::vector<Example>& examples() const { return examples_; }
  // Examples dropped or replaced because their text was there already.
  long duplicates() const { return duplicates_; }
  // Of those, texts that came with both labels (the kept one is the rule above's).
  long label_conflicts() const { return label_conflicts_; }

 private:
  std::vector<Example> examples_;
  std::unordered_map<std::string, size_t> index_;  // normalized text -> position in examples_
  long duplicates_ = 0;
  long label_conflicts_ = 0;
};

// 64-bit FNV-1a: stable across runs, builds and machines (std::hash is not).
uint64_t StableTextHash(std::string_view text);

enum class Split { kTrain, kTune, kTest };
std::string_view SplitName(Split split);  // "train", "tune", "test"

// Where the example with this normalized text goes: held out when the hash falls in the first
// `holdout_percent` of 100 buckets, and then, by another digit of the hash, tune or test, so
// each gets about half. One text is always on one side. REQUIRES: 0 <= holdout_percent <= 100.
Split SplitOf(std::string_view normalized, int holdout_percent);

// Whether a candidate may replace the current model, from their metrics on the test part:
// only if it flags no more ham (false-positive rate <= current) and is no worse overall
// (F1 >= current). `why` says which condition decided, for the output.
struct InstallDecision {
  bool install = false;
  std::string why;
};
InstallDecision DecideInstall(const Metrics& candidate, const Metrics& current);

}  // namespace hamlet::engine
