#include "http/usable_cpus.h"

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>

namespace hamlet::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::optional<long long> ParseInteger(std::string_view s) {
  s = Trim(s);
  long long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// quota / period CPUs, rounded up: 1.5 CPUs of time still runs two threads at once.
std::optional<int> CpusFromQuota(long long quota, long long period) {
  if (quota <= 0 || period <= 0) return std::nullopt;
  return static_cast<int>(std::max<long long>(1, (quota + period - 1) / period));
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int AffinityCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

std::optional<int> CpusFromCpuMax(std::string_view line) {
  line = Trim(line);
  const size_t space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;  // "max" alone, or garbage
  const std::string_view quota = line.substr(0, space);
  if (quota == "max") return std::nullopt;
  auto q = ParseInteger(quota);
  auto p = ParseInteger(line.substr(space + 1));
  if (!q || !p) return std::nullopt;
  return CpusFromQuota(*q, *p);
}

std::optional<int> CpusFromCfsQuota(std::string_view quota_us, std::string_view period_us) {
  auto q = ParseInteger(quota_us);
  auto p = ParseInteger(period_us);
  if (!q || !p) return std::nullopt;
  return CpusFromQuota(*q, *p);
}

int UsableCpus(const std::string& cgroup_root) {
  int cpus = AffinityCpus();
  std::optional<int> quota;
  if (auto v2 = ReadFile(cgroup_root + "/cpu.max")) {
    quota = CpusFromCpuMax(*v2);
  } else {
    auto q = ReadFile(cgroup_root + "/cpu/cpu.cfs_quota_us");
    auto p = ReadFile(cgroup_root + "/cpu/cpu.cfs_period_us");
    if (q && p) quota = CpusFromCfsQuota(*q, *p);
  }
  if (quota) cpus = std::min(cpus, *quota);
  return std::max(1, cpus);
}

}  // namespace hamlet::http
