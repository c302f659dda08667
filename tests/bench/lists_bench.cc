// Micro-benchmark of the list and author checks with operator lists of realistic size: the
// per-comment cost of signals::CheckLists (1,000 addresses, 20 networks, 200 linked domains,
// 200 e-mail domains, 200 words, 20 phrases, N regexes) and signals::CheckAuthor (the shipped
// disposable-domain list) over our labeled comments, against Filter::Score's whole path.
// Run by scripts/bench-lists.sh; for repeatable figures run it under callgrind (see there).
//
//   hamlet_bench_lists --data FILE.jsonl [--data ...] [--regexes N] [--repeat N] MODEL
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "app/labeled_jsonl.h"
#include "app/wiring.h"
#include "engine/list_directory.h"
#include "signals/author.h"
#include "signals/list_checks.h"

namespace {

using Clock = std::chrono::steady_clock;
using hamlet::signals::ListKind;

// "b", "c", ... "ba", "bb": distinct letters-only names (digits in a word become the
// normalizer's number marker, which a word entry refuses).
std::string Letters(int i) {
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('a' + i % 26));
    i /= 26;
  } while (i > 0);
  return out;
}

std::shared_ptr<hamlet::signals::MatchList> OperatorList(int regexes) {
  auto list = std::make_shared<hamlet::signals::MatchList>();
  auto add = [&](ListKind kind, const std::string& value) {
    if (auto s = list->Add(kind, value, "bench"); !s.ok()) {
      std::fprintf(stderr, "%s\n", s.ToString().c_str());
      std::abort();
    }
  };
  for (int i = 0; i < 1000; ++i) {
    add(ListKind::kIp, "203.0." + std::to_string(i / 250) + "." + std::to_string(i % 250));
  }
  for (int i = 0; i < 20; ++i) add(ListKind::kIp, "10." + std::to_string(i) + ".0.0/16");
  for (int i = 0; i < 200; ++i) add(ListKind::kUrlDomain, "spam" + std::to_string(i) + ".example");
  for (int i = 0; i < 200; ++i) {
    add(ListKind::kEmailDomain, "mailer" + std::to_string(i) + ".example");
  }
  for (int i = 0; i < 200; ++i) add(ListKind::kWord, "spamword" + Letters(i));
  for (int i = 0; i < 20; ++i) add(ListKind::kWord, "spam phrase " + Letters(i));
  for (int i = 0; i < regexes; ++i) {
    add(ListKind::kRegex, R"(earn \$\d+ (a|per) day)" + std::to_string(i));
  }
  return list;
}

int Usage() {
  std::fprintf(stderr,
               "usage: hamlet_bench_lists --data FILE.jsonl [--data ...] [--regexes N] "
               "[--repeat N] MODEL\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> data;
  std::string model;
  int regexes = 20, repeat = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--data" || arg == "--regexes" || arg == "--repeat") && i + 1 >= argc) {
      return Usage();
    }
    if (arg == "--data") {
      data.push_back(argv[++i]);
    } else if (arg == "--regexes") {
      regexes = std::atoi(argv[++i]);
    } else if (arg == "--repeat") {
      repeat = std::atoi(argv[++i]);
    } else {
      model = arg;
    }
  }
  if (data.empty() || model.empty() || repeat < 1 || regexes < 0) return Usage();
  std::vector<hamlet::engine::LabeledComment> rows;
  for (const auto& path : data) {
    auto read = hamlet::app::ReadLabeledJsonl(path);
    if (!read) {
      std::fprintf(stderr, "%s\n", read.error().ToString().c_str());
      return 1;
    }
    rows.insert(rows.end(), read->begin(), read->end());
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].comment.user_ip = "198.51.100." + std::to_string(i % 250);  // never listed
  }
  hamlet::app::Options options;
  options.db_path = ":memory:";
  options.model_path = model;
  auto services = hamlet::app::Open(options);
  if (!services) {
    std::fprintf(stderr, "%s\n", services.error().ToString().c_str());
    return 1;
  }
  // The shipped reference lists (disposable domains) plus the operator list above.
  hamlet::signals::Lists lists = *(*services)->lists->For("");
  lists.block.push_back(OperatorList(regexes));
  const hamlet::signals::History history;
  const hamlet::signals::CheckSettings settings;
  std::vector<hamlet::text::TextAnalysis> texts;
  for (const auto& row : rows) texts.push_back(hamlet::text::Analyze(row.comment.comment_content));

  size_t sink = 0;
  auto per_comment_us = [&](auto op) {
    const auto start = Clock::now();
    for (int r = 0; r < repeat; ++r) {
      for (size_t i = 0; i < rows.size(); ++i) sink += op(i);
    }
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count() /
           static_cast<double>(rows.size() * repeat);
  };
  const double lists_us = per_comment_us([&](size_t i) {
    std::vector<hamlet::core::SignalHit> hits;
    hamlet::signals::CheckLists({rows[i].comment, texts[i], history, lists, settings, 0}, hits);
    return hits.size();
  });
  const double author_us = per_comment_us([&](size_t i) {
    std::vector<hamlet::core::SignalHit> hits;
    hamlet::signals::CheckAuthor({rows[i].comment, texts[i], history, lists, settings, 0}, hits);
    return hits.size();
  });
  const double score_us = per_comment_us([&](size_t i) {
    auto d = (*services)->filter->Score(rows[i].comment);
    return d ? d->reasons.size() : 0;
  });
  std::printf("%zu comments x %d runs; operator block list of %zu entries (%d regexes)\n",
              rows.size(), repeat, lists.block.back()->size(), regexes);
  std::printf("| path | mean us per comment |\n|---|---|\n");
  std::printf(
      "| CheckLists | %.2f |\n| CheckAuthor | %.2f |\n| Filter::Score (shipped lists) | %.2f |\n",
      lists_us, author_us, score_us);
  volatile size_t keep = sink;  // the work is not optimized away
  (void)keep;
  return 0;
}
