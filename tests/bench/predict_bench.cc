// Micro-benchmark of the per-comment scoring path without the store, for one or more models in
// the same run (so their ratio is measured under the same load):
//   normalize   text::Normalize(comment_content)
//   input       text::ModelInput: normalize + field features, the line the model reads
//   score       engine::Filter::Score: model input, predict, checks and decision
// Each comment is timed over --repeat runs; the figures are the median and p99 over comments,
// in microseconds. Then text::Normalize on hostile 50 KB and 100 KB inputs: the time ratio of
// the two sizes is about 2 for linear work and 4 for quadratic. Run by scripts/bench-predict.sh.
//
//   hamlet_bench_predict --data FILE.jsonl [--data ...] [--repeat N] MODEL [MODEL ...]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/labeled_jsonl.h"
#include "app/wiring.h"
#include "engine/evaluation.h"
#include "text/normalize.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Figures {
  double median_us = 0, p99_us = 0;
};

// Per-comment cost of `op`: the mean of `repeat` runs per comment, then median and p99 over
// comments. `sink` keeps the compiler from dropping the work.
template <typename Op>
Figures Time(const std::vector<hamlet::engine::LabeledComment>& rows, int repeat, Op op,
             size_t& sink) {
  std::vector<double> us;
  us.reserve(rows.size());
  for (const auto& row : rows) {
    const auto start = Clock::now();
    for (int i = 0; i < repeat; ++i) sink += op(row.comment);
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count() / repeat);
  }
  std::sort(us.begin(), us.end());
  return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)]};
}

// Milliseconds for one Normalize of `raw`, the best of three runs.
double NormalizeMs(const std::string& raw, size_t& sink) {
  double best = 1e300;
  for (int run = 0; run < 3; ++run) {
    const auto start = Clock::now();
    sink += hamlet::text::Normalize(raw).size();
    best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return best;
}

void HostileTable(size_t& sink) {
  struct Hostile {
    const char* name;
    std::string piece;  // repeated up to the size
  };
  const Hostile inputs[] = {
      {"ordinary words", "thanks for the clear write-up, it helped me a lot "},
      {"one long word", "a"},
      {"@a@a... (mentions, no space)", "@a"},
      {"#a#a... (hashtags, no space)", "#a"},
      {"a[.]com[.]... (obfuscated hosts)", "a[.]com[.]"},
      {"emoji run", "\xF0\x9F\x98\x80\xE2\x9C\x94"},
      {"URLs without spaces", "http://a.example/x"},
      {"invalid UTF-8", "\xC3\x28\xFF\xE2\x82"},
  };
  std::printf("\ntext::Normalize on hostile input (best of 3 runs)\n\n");
  std::printf("| input | 50 KB: ms | 100 KB: ms | ratio |\n|---|---|---|---|\n");
  for (const Hostile& h : inputs) {
    double ms[2];
    for (int k = 0; k < 2; ++k) {
      std::string raw;
      while (raw.size() < size_t{50} * 1024 * (k + 1)) raw += h.piece;
      ms[k] = NormalizeMs(raw, sink);
    }
    std::printf("| %s | %.2f | %.2f | %.1f |\n", h.name, ms[0], ms[1], ms[1] / ms[0]);
  }
}

int Usage() {
  std::fprintf(stderr,
               "usage: hamlet_bench_predict --data FILE.jsonl [--data ...] [--repeat N] "
               "MODEL [MODEL ...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> data, models;
  int repeat = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--data" || arg == "--repeat") && i + 1 >= argc) return Usage();
    if (arg == "--data") {
      data.push_back(argv[++i]);
    } else if (arg == "--repeat") {
      repeat = std::atoi(argv[++i]);
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage();
    } else {
      models.push_back(arg);
    }
  }
  if (data.empty() || models.empty() || repeat < 1) return Usage();

  std::vector<hamlet::engine::LabeledComment> rows;
  for (const auto& path : data) {
    auto read = hamlet::app::ReadLabeledJsonl(path);
    if (!read) {
      std::fprintf(stderr, "%s\n", read.error().ToString().c_str());
      return 2;
    }
    rows.insert(rows.end(), read->begin(), read->end());
  }
  if (rows.empty()) return Usage();
  size_t sink = 0;
  size_t bytes = 0;
  for (const auto& row : rows) bytes += row.comment.comment_content.size();
  std::printf("%zu comments (mean %zu bytes), %d runs each; microseconds per comment\n\n",
              rows.size(), bytes / rows.size(), repeat);
  std::printf("| model | normalize: median | p99 | input: median | p99 | score: median | p99 |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const auto& model : models) {
    hamlet::app::Options options;
    options.db_path = ":memory:";
    options.model_path = model;
    auto services = hamlet::app::Open(options);
    if (!services) {
      std::fprintf(stderr, "%s\n", services.error().ToString().c_str());
      return 2;
    }
    const auto& filter = *(*services)->filter;
    const auto input_mode = filter.Model()->input;
    auto normalize = [](const hamlet::core::Comment& c) {
      return hamlet::text::Normalize(c.comment_content).size();
    };
    auto input = [input_mode](const hamlet::core::Comment& c) {
      return hamlet::text::ModelInput(c, input_mode).size();
    };
    auto score = [&filter](const hamlet::core::Comment& c) -> size_t {
      auto d = filter.Score(c);
      return d ? static_cast<size_t>(d->score * 1000) : 0;
    };
    Time(rows, 1, score, sink);  // warm-up: page in the model
    const Figures n = Time(rows, repeat, normalize, sink);
    const Figures in = Time(rows, repeat, input, sink);
    const Figures s = Time(rows, repeat, score, sink);
    std::printf("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n",
                filter.ModelVersion().c_str(), n.median_us, n.p99_us, in.median_us, in.p99_us,
                s.median_us, s.p99_us);
  }
  HostileTable(sink);
  std::fprintf(stderr, "(checksum %zu)\n", sink);
  return 0;
}
