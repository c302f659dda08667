// Micro-benchmark of the durable write path: T threads append decisions to one SqliteStore
// (WAL, synchronous=FULL, group commit) for D seconds each, for each T given; prints rows/s,
// commits/s (each commit is one fsync of the WAL), rows per commit and the bytes the process
// wrote per row (/proc/self/io wchar: WAL frames and checkpoints). Rows carry the comments of
// the given JSONL files with every submitted field, two reasons and a match key, as a check
// through comment-check stores them; ids are random 32-hex like the service's, or with
// --ordered-ids increasing (a time-ordered id), to see what random index inserts cost.
// Run by scripts/bench-store.sh.
//
//   hamlet_bench_store --data FILE.jsonl [--data ...] --dir DIR [--seconds D] [--ordered-ids]
//       T [T ...]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/comment.h"
#include "store/sqlite_store.h"

namespace {

using Clock = std::chrono::steady_clock;
using hamlet::store::DecisionRecord;

// The comment as comment-check decodes it: Akismet fields plus the request's extras.
hamlet::core::Comment CommentOf(const nlohmann::json& row, size_t n) {
  hamlet::core::FieldList fields = {
      {"blog", "http://bench.example/"},
      {"user_ip", "198.51.100." + std::to_string(1 + n % 250)},
      {"user_agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"},
      {"comment_type", "comment"},
  };
  for (const char* name :
       {"comment_author", "comment_author_email", "comment_author_url", "comment_content"}) {
    if (row.contains(name) && row[name].is_string()) fields.emplace_back(name, row[name]);
  }
  return hamlet::core::CommentFromFields(std::move(fields));
}

std::vector<hamlet::core::Comment> ReadComments(const std::vector<std::string>& files) {
  std::vector<hamlet::core::Comment> out;
  for (const std::string& file : files) {
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      out.push_back(CommentOf(nlohmann::json::parse(line), out.size()));
    }
  }
  return out;
}

// Bytes this process has passed to write(2) and friends so far.
uint64_t WrittenBytes() {
  std::ifstream io("/proc/self/io");
  std::string key;
  uint64_t value = 0;
  while (io >> key >> value) {
    if (key == "wchar:") return value;
  }
  return 0;
}

DecisionRecord RecordFor(const hamlet::core::Comment& comment, uint64_t serial, bool ordered) {
  DecisionRecord r;
  // A 64-bit mix of the serial: unique, and as scattered over the key space as random ids.
  uint64_t mixed = serial * 0x9E3779B97F4A7C15ull;
  mixed ^= mixed >> 29;
  char id[33];
  std::snprintf(id, sizeof id, "%016llx%016llx",
                static_cast<unsigned long long>(ordered ? serial : mixed),
                static_cast<unsigned long long>(serial));
  r.id = id;
  r.site_url = "http://bench.example/";
  r.created_ms = 1'700'000'000'000 + static_cast<int64_t>(serial);
  r.channel = "akismet";
  r.comment = comment;
  r.decision.verdict = serial % 3 == 0 ? hamlet::core::Verdict::kSpam : hamlet::core::Verdict::kHam;
  r.decision.score = 0.42;
  r.decision.log_odds = -0.32;
  r.decision.reasons = {{"model", -0.32, "fastText log-odds -0.32 (hamlet-default@709d62df)"},
                        {"links", 0.0, "1 link"}};
  r.model_version = "hamlet-default@709d62df";
  r.latency_ms = 0.05;
  // A hash of the comment's values in the service: scattered, whatever the ids.
  char match_key[65];
  std::snprintf(match_key, sizeof match_key, "%016llx%016llx%016llx%016llx",
                static_cast<unsigned long long>(mixed), static_cast<unsigned long long>(~mixed),
                static_cast<unsigned long long>(mixed >> 7),
                static_cast<unsigned long long>(serial));
  r.match_key = match_key;
  return r;
}

int Usage() {
  std::fprintf(stderr,
               "usage: hamlet_bench_store --data FILE.jsonl [--data ...] --dir DIR "
               "[--seconds D] [--ordered-ids] THREADS [THREADS ...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> data;
  std::vector<int> thread_counts;
  std::string dir;
  double seconds = 5;
  bool ordered = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--ordered-ids") {
      ordered = true;
      continue;
    }
    if ((arg == "--data" || arg == "--dir" || arg == "--seconds") && i + 1 >= argc) return Usage();
    if (arg == "--data") {
      data.push_back(argv[++i]);
    } else if (arg == "--dir") {
      dir = argv[++i];
    } else if (arg == "--seconds") {
      seconds = std::atof(argv[++i]);
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage();
    } else {
      thread_counts.push_back(std::atoi(arg.c_str()));
    }
  }
  if (data.empty() || dir.empty() || thread_counts.empty() || seconds <= 0) return Usage();
  const std::vector<hamlet::core::Comment> comments = ReadComments(data);
  if (comments.empty()) return Usage();

  std::printf("ids: %s\n\n", ordered ? "increasing" : "random");
  std::printf(
      "| writer threads | rows/s | commits/s | rows per commit | KB written per row | rows |\n");
  std::printf("|---|---|---|---|---|---|\n");
  for (int threads : thread_counts) {
    const std::string path = dir + "/store-" + std::to_string(threads) + ".db";
    std::filesystem::remove(path);
    auto store = hamlet::store::SqliteStore::Open(path);
    if (!store) {
      std::fprintf(stderr, "%s\n", store.error().ToString().c_str());
      return 1;
    }
    std::atomic<uint64_t> serial{0}, failures{0};
    std::atomic<bool> stop{false};
    const uint64_t commits_before = (*store)->CommitCountForTesting();
    const uint64_t written_before = WrittenBytes();
    const auto start = Clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        while (!stop.load(std::memory_order_relaxed)) {
          const uint64_t n = serial.fetch_add(1);
          const DecisionRecord r = RecordFor(comments[n % comments.size()], n, ordered);
          if (!(*store)->AppendDecision(r).ok()) failures.fetch_add(1);
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& w : workers) w.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    const double rows = static_cast<double>(serial.load() - failures.load());
    const double commits = static_cast<double>((*store)->CommitCountForTesting() - commits_before);
    const double written_kb = static_cast<double>(WrittenBytes() - written_before) / 1024.0;
    std::printf("| %d | %.0f | %.0f | %.1f | %.1f | %.0f |\n", threads, rows / elapsed,
                commits / elapsed, commits > 0 ? rows / commits : 0.0,
                rows > 0 ? written_kb / rows : 0.0, rows);
    if (failures.load() != 0) {
      std::fprintf(stderr, "%llu appends failed\n",
                   static_cast<unsigned long long>(failures.load()));
      return 1;
    }
  }
  return 0;
}
