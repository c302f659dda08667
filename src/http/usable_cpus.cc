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

int UsableCpus(const std::string& cgroup_root, const std::string& proc_cgroup) {
  int cpus = AffinityCpus();
  // The cgroup paths of this process: v2's ("0::/path") and v1's cpu controller's
  // ("N:cpu,cpuacct:/path"); "/" when /proc/self/cgroup cannot be read.
  std::string v2_path = "/", v1_path = "/";
  if (auto text = ReadFile(proc_cgroup)) {
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      const size_t first = line.find(':');
      const size_t second = first == std::string::npos ? first : line.find(':', first + 1);
      if (second == std::string::npos) continue;
      const std::string controllers = line.substr(first + 1, second - first - 1);
      const std::string path = line.substr(second + 1);
      if (line.compare(0, first, "0") == 0 && controllers.empty()) v2_path = path;
      std::istringstream names(controllers);
      for (std::string name; std::getline(names, name, ',');) {
        if (name == "cpu") v1_path = path;
      }
    }
  }
  // Each cgroup from this process's up to the root: a parent's quota bounds its children.
  auto each_level = [](std::string path, const auto& visit) {
    for (;;) {
      visit(path == "/" ? std::string() : path);
      if (path.empty() || path == "/") break;
      const size_t slash = path.find_last_of('/');
      path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
    }
  };
  std::optional<int> quota;
  auto take = [&](std::optional<int> q) {
    if (q) quota = quota ? std::min(*quota, *q) : *q;
  };
  each_level(v2_path, [&](const std::string& dir) {
    if (auto line = ReadFile(cgroup_root + dir + "/cpu.max")) take(CpusFromCpuMax(*line));
  });
  for (const char* mount : {"/cpu", "/cpu,cpuacct"}) {
    each_level(v1_path, [&](const std::string& dir) {
      const std::string base = cgroup_root + mount + dir;
      auto q = ReadFile(base + "/cpu.cfs_quota_us");
      auto p = ReadFile(base + "/cpu.cfs_period_us");
      if (q && p) take(CpusFromCfsQuota(*q, *p));
    });
  }
  if (quota) cpus = std::min(cpus, *quota);
  return std::max(1, cpus);
}

}  // namespace hamlet::http
