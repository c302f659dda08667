#include "support/labeled_data.h"

#include <fstream>

#include <nlohmann/json.hpp>

namespace hamlet::testing {
namespace {

const char* const kSpamWords[] = {"cheap",  "pills",  "casino", "bonus", "viagra",   "winner",
                                  "crypto", "loans",  "prize",  "discount", "replica", "jackpot"};
const char* const kHamWords[] = {"article", "council", "vote",    "garden", "recipe", "chart",
                                 "budget",  "school",  "library", "weather", "song",  "chorus"};

// The n-th three-word combination of `words` (12 words: 220 combinations).
std::string Combination(const char* const* words, int n) {
  int k = 0;
  for (int a = 0; a < 12; ++a) {
    for (int b = a + 1; b < 12; ++b) {
      for (int c = b + 1; c < 12; ++c) {
        if (k++ == n) return std::string(words[a]) + " " + words[b] + " " + words[c];
      }
    }
  }
  return "";
}

}  // namespace

std::vector<GeneratedComment> SeparableComments(int count, int skip) {
  std::vector<GeneratedComment> out;
  for (int i = skip; i < skip + count && i < 220; ++i) {
    out.push_back({"get " + Combination(kSpamWords, i) + " now", true});
    out.push_back({"about the " + Combination(kHamWords, i) + " today", false});
  }
  return out;
}

void WriteLabeledJsonl(const std::string& path, const std::vector<GeneratedComment>& comments,
                       bool invert) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& c : comments) {
    const bool spam = c.is_spam != invert;
    out << nlohmann::json{{"label", spam ? "spam" : "ham"}, {"comment_content", c.content}}.dump()
        << "\n";
  }
}

}  // namespace hamlet::testing
