// Generated labeled comments that a small fastText model separates perfectly: spam and ham
// use disjoint vocabularies, and every text is distinct after normalization.
#pragma once

#include <string>
#include <vector>

namespace hamlet::testing {

struct GeneratedComment {
  std::string content;
  bool is_spam = false;
};

// `count` spam and `count` ham comments, alternating, starting at the `skip`-th of each
// (at most 220 of each in all).
std::vector<GeneratedComment> SeparableComments(int count, int skip = 0);

// Writes them as labeled JSONL ({"label": ..., "comment_content": ...}); `invert` swaps labels.
void WriteLabeledJsonl(const std::string& path, const std::vector<GeneratedComment>& comments,
                       bool invert = false);

}  // namespace hamlet::testing
