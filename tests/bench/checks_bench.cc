// Benchmark of the whole check path with every check on and a warm memory, against the
// classifier-only path, per comment, in one run (so their ratio is measured under the same
// load). Both go through engine::Filter::Score (no store):
//   classifier only   analysis, model, decision; every check family weighted 0, no memory
//   every check       analysis, model, footprint (salted hashes, SimHash), memory recall and
//                     record, every check, decision
// Memory is warmed first by --warm earlier comments (our data sets with IPs, e-mails, author
// URLs and sites drawn from small pools, so lookups find history, spread over three days).
// Each comment is timed over --repeat runs of each path, interleaved; figures are the median
// and p99 over comments in microseconds. With --callgrind, each path runs once per comment in
// its own function (ClassifierOnlyPass, EveryCheckPass) for callgrind's inclusive counts.
// With --decisions, nothing is timed: every decision (warming ones included) is printed in
// full, so that two builds can be diffed to show an optimisation changed no verdict, score or
// reason.
//
//   hamlet_bench_checks --data FILE.jsonl [--data ...] [--warm N] [--repeat N]
//                       [--callgrind | --decisions] MODEL
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/labeled_jsonl.h"
#include "app/wiring.h"
#include "core/decision.h"
#include "engine/local_memory.h"
#include "engine/site_profile.h"
#include "signals/signal.h"

namespace {

using Clock = std::chrono::steady_clock;
using hamlet::engine::LabeledComment;

constexpr int64_t kStartMs = 1'700'000'000'000;
constexpr int64_t kWarmSpanMs = 3 * 24 * 3'600'000LL;

struct Figures {
  double median_us = 0, p99_us = 0;
};

Figures Summarize(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  return {us[us.size() / 2], us[std::min(us.size() - 1, us.size() * 99 / 100)]};
}

// The i-th comment with sender fields from small pools: 800 IPs in 40 /24s, 600 e-mails, 200
// author URLs, 5 sites. A fifth of the pool draws repeat, as returning commenters do.
hamlet::core::Comment Dressed(const hamlet::core::Comment& base, size_t i) {
  hamlet::core::FieldList fields = base.fields;
  auto set = [&fields](const char* name, std::string value) {
    std::erase_if(fields, [name](const auto& f) { return f.first == name; });
    fields.emplace_back(name, std::move(value));
  };
  const size_t who = (i * 7919) % 800;
  set("user_ip", "10." + std::to_string(who / 20) + "." + std::to_string(who % 20) + ".7");
  set("comment_author_email", "user" + std::to_string(who % 600) + "@mail.example");
  if (who % 4 == 0)
    set("comment_author_url", "https://site" + std::to_string(who % 200) + ".example/");
  set("blog", "https://blog" + std::to_string(i % 5) + ".example/");
  return hamlet::core::CommentFromFields(std::move(fields));
}

hamlet::engine::ScoreOptions Full(hamlet::engine::SignalMemory& memory,
                                  const hamlet::core::Comment& c, int64_t at_ms, size_t n) {
  hamlet::engine::ScoreOptions o;
  o.memory = &memory;
  o.site_url = c.blog;
  o.decision_id = "bench-" + std::to_string(n);
  o.now_ms = at_ms;
  return o;
}

// Kept out of line so callgrind can attribute each path's cost to one function.
[[gnu::noinline]] size_t ClassifierOnlyPass(const hamlet::engine::Filter& filter,
                                            const std::vector<hamlet::core::Comment>& comments,
                                            const hamlet::engine::SiteProfile& off) {
  size_t sink = 0;
  hamlet::engine::ScoreOptions o;
  o.profile = &off;
  o.now_ms = kStartMs + kWarmSpanMs;
  for (const auto& c : comments) sink += filter.Score(c, o).has_value() ? 1 : 0;
  return sink;
}

[[gnu::noinline]] size_t EveryCheckPass(const hamlet::engine::Filter& filter,
                                        const std::vector<hamlet::core::Comment>& comments,
                                        hamlet::engine::SignalMemory& memory, size_t& n) {
  size_t sink = 0;
  for (const auto& c : comments) {
    sink += filter.Score(c, Full(memory, c, kStartMs + kWarmSpanMs, n++)).has_value() ? 1 : 0;
  }
  return sink;
}

// One line per decision: verdict, exact score and log-odds, and every reason.
void PrintDecision(const char* path, size_t i,
                   const hamlet::core::Result<hamlet::core::Decision>& d) {
  if (!d) {
    std::printf("%s %zu error %s\n", path, i, d.error().ToString().c_str());
    return;
  }
  std::printf("%s %zu verdict %d score %a log_odds %a uncertain %d answer %d", path, i,
              static_cast<int>(d->verdict), d->score, d->log_odds, d->uncertain ? 1 : 0,
              d->answer_spam ? 1 : 0);
  for (const hamlet::core::Reason& r : d->reasons) {
    std::printf(" | %s %a %s", r.check.c_str(), r.contribution, r.detail.c_str());
  }
  std::printf("\n");
}

int Usage() {
  std::fprintf(stderr,
               "usage: hamlet_bench_checks --data FILE.jsonl [--data ...] [--warm N] [--repeat N] "
               "[--callgrind | --decisions] MODEL\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> data;
  std::string model;
  int repeat = 20, warm = 5000;
  bool callgrind = false, decisions = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--data" || arg == "--repeat" || arg == "--warm") && i + 1 >= argc) return Usage();
    if (arg == "--data") {
      data.push_back(argv[++i]);
    } else if (arg == "--repeat") {
      repeat = std::atoi(argv[++i]);
    } else if (arg == "--warm") {
      warm = std::atoi(argv[++i]);
    } else if (arg == "--callgrind") {
      callgrind = true;
    } else if (arg == "--decisions") {
      decisions = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage();
    } else {
      model = arg;
    }
  }
  if (data.empty() || model.empty() || repeat < 1 || warm < 0) return Usage();

  auto read = hamlet::app::ReadLabeledJsonlFiles(data);
  if (!read) {
    std::fprintf(stderr, "%s\n", read.error().ToString().c_str());
    return 2;
  }
  const std::vector<LabeledComment>& rows = *read;
  if (rows.empty()) return Usage();
  hamlet::app::Options options;
  options.db_path = ":memory:";
  options.model_path = model;
  auto services = hamlet::app::Open(options);
  if (!services) {
    std::fprintf(stderr, "%s\n", services.error().ToString().c_str());
    return 2;
  }
  const hamlet::engine::Filter& filter = *(*services)->filter;

  // Every family off: the classifier-only path through the same code.
  hamlet::engine::SiteProfile off;
  for (const hamlet::signals::CheckRow& row : hamlet::signals::CheckTable()) {
    off.checks.weights[std::string(row.family)] = 0.0;
  }

  hamlet::engine::LocalMemory memory(hamlet::engine::MemoryOptions{}, "bench-salt");
  size_t n = 0, sink = 0;
  const auto warm_start = Clock::now();
  for (int i = 0; i < warm; ++i) {
    const hamlet::core::Comment c =
        Dressed(rows[static_cast<size_t>(i) % rows.size()].comment, static_cast<size_t>(i));
    const int64_t at = kStartMs + kWarmSpanMs * i / std::max(1, warm);
    const auto decision = filter.Score(c, Full(memory, c, at, n++));
    if (decisions) PrintDecision("warm", static_cast<size_t>(i), decision);
    sink += decision.has_value() ? 1 : 0;
  }
  const double warm_s = std::chrono::duration<double>(Clock::now() - warm_start).count();
  std::vector<hamlet::core::Comment> comments;
  for (size_t i = 0; i < rows.size(); ++i) comments.push_back(Dressed(rows[i].comment, i + 17));
  const hamlet::engine::MemoryStats stats = memory.Stats();
  std::printf(
      "%zu comments (model %s); memory warmed by %d comments in %.1f s: %zu reputation "
      "entries, %zu campaign sightings, %zu senders\n",
      comments.size(), filter.ModelVersion().c_str(), warm, warm_s, stats.reputation_entries,
      stats.campaign_sightings, stats.rate_senders);

  if (decisions) {
    hamlet::engine::ScoreOptions o;
    o.profile = &off;
    o.now_ms = kStartMs + kWarmSpanMs;
    for (size_t i = 0; i < comments.size(); ++i) {
      PrintDecision("only", i, filter.Score(comments[i], o));
      PrintDecision("every", i,
                    filter.Score(comments[i], Full(memory, comments[i], o.now_ms, n++)));
    }
    return 0;
  }
  if (callgrind) {
    sink += ClassifierOnlyPass(filter, comments, off);
    sink += EveryCheckPass(filter, comments, memory, n);
    std::printf("ran ClassifierOnlyPass and EveryCheckPass once over every comment\n");
    std::fprintf(stderr, "(checksum %zu)\n", sink);
    return 0;
  }

  std::vector<double> only_us, every_us;
  for (const auto& c : comments) {
    const std::vector<hamlet::core::Comment> one = {c};
    auto start = Clock::now();
    for (int r = 0; r < repeat; ++r) sink += ClassifierOnlyPass(filter, one, off);
    only_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count() /
                      repeat);
    start = Clock::now();
    for (int r = 0; r < repeat; ++r) sink += EveryCheckPass(filter, one, memory, n);
    every_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count() /
                       repeat);
  }
  const Figures only = Summarize(only_us), every = Summarize(every_us);
  std::printf("%d runs of each path per comment, interleaved; microseconds per comment\n\n",
              repeat);
  std::printf("| path | median | p99 |\n|---|---|---|\n");
  std::printf("| classifier only | %.1f | %.1f |\n", only.median_us, only.p99_us);
  std::printf("| every check, warm memory | %.1f | %.1f |\n", every.median_us, every.p99_us);
  std::printf("| ratio | %.2f | %.2f |\n", every.median_us / only.median_us,
              every.p99_us / only.p99_us);
  std::fprintf(stderr, "(checksum %zu)\n", sink);
  return 0;
}
