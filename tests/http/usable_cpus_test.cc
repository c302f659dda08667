// UsableCpus: the CPUs a process may run on, by affinity mask and cgroup quota.
#include "http/usable_cpus.h"

#include <doctest/doctest.h>
#include <sched.h>

#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/files.h"
#include "support/temp_dir.h"

namespace hamlet::http {
namespace {

using testing::WriteFile;

int AffinityCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  REQUIRE(sched_getaffinity(0, sizeof(set), &set) == 0);
  return CPU_COUNT(&set);
}

TEST_SUITE("http/usable_cpus") {
  TEST_CASE("CpusFromCpuMax reads cgroup v2 quotas and rounds up") {
    struct Row {
      const char* line;
      std::optional<int> cpus;
    };
    const Row rows[] = {
        {"200000 100000\n", 2},
        {"100000 100000", 1},
        {"150000 100000", 2},
        {"50000 100000", 1},
        {"1000 100000", 1},
        {"800000 100000\n", 8},
        {"max 100000\n", std::nullopt},
        {"max", std::nullopt},
        {"", std::nullopt},
        {"abc 100000", std::nullopt},
        {"100000 0", std::nullopt},
        {"-1 100000", std::nullopt},
        {"100000 100000 7", std::nullopt},
    };
    for (const Row& row : rows) {
      CAPTURE(row.line);
      CHECK(CpusFromCpuMax(row.line) == row.cpus);
    }
  }

  TEST_CASE("CpusFromCfsQuota reads cgroup v1 quotas: -1 is unlimited") {
    CHECK(CpusFromCfsQuota("300000\n", "100000\n") == 3);
    CHECK(CpusFromCfsQuota("250000", "100000") == 3);
    CHECK(CpusFromCfsQuota("-1\n", "100000\n") == std::nullopt);
    CHECK(CpusFromCfsQuota("", "100000") == std::nullopt);
  }

  TEST_CASE("UsableCpus takes the least of the affinity mask and the quotas of its cgroups") {
    const int affinity = AffinityCount();
    REQUIRE(affinity >= 1);
    struct Row {
      std::string name;
      // /proc/self/cgroup as the test writes it; null: unreadable (the root cgroup only).
      const char* proc_cgroup;
      std::vector<std::pair<std::string, std::string>> files;  // under the cgroup root
      int cpus;
    };
    const std::vector<Row> rows = {
        {"no cgroup files: the affinity mask", nullptr, {}, affinity},
        {"cgroup v2 quota of one CPU", nullptr, {{"cpu.max", "100000 100000\n"}}, 1},
        {"cgroup v2 without a quota", nullptr, {{"cpu.max", "max 100000\n"}}, affinity},
        {"a quota above the affinity mask does not raise it",
         nullptr,
         {{"cpu.max", std::to_string((affinity + 4) * 100000) + " 100000\n"}},
         affinity},
        {"cgroup v1 quota",
         nullptr,
         {{"cpu/cpu.cfs_quota_us", "100000\n"}, {"cpu/cpu.cfs_period_us", "100000\n"}},
         1},
        {"an unreadable quota is ignored", nullptr, {{"cpu.max", "garbage\n"}}, affinity},
        {"cgroup v2: a systemd unit with CPUQuota=100%",
         "0::/system.slice/hamletd.service\n",
         {{"system.slice/hamletd.service/cpu.max", "100000 100000\n"},
          {"system.slice/cpu.max", "max 100000\n"}},
         1},
        {"cgroup v2: a parent's quota bounds its children",
         "0::/a/b\n",
         {{"a/b/cpu.max", "max 100000\n"}, {"a/cpu.max", "100000 100000\n"}},
         1},
        {"cgroup v2: another unit's quota does not count",
         "0::/system.slice/hamletd.service\n",
         {{"system.slice/other.service/cpu.max", "100000 100000\n"}},
         affinity},
        {"cgroup v1: the cpu controller's path, under either mount name",
         "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n",
         {{"cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "100000\n"},
          {"cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n"}},
         1},
    };
    for (const Row& row : rows) {
      CAPTURE(row.name);
      testing::TempDir root;
      const std::string proc = root.File("proc-cgroup");
      if (row.proc_cgroup != nullptr) WriteFile(proc, row.proc_cgroup);
      for (const auto& [path, text] : row.files) WriteFile(root.File(path), text);
      CHECK(UsableCpus(root.path(), proc) == row.cpus);
    }
  }

  TEST_CASE("UsableCpus follows the affinity mask of the calling thread") {
    // On a thread of its own, pinned to the first CPU it may use: the count drops to one.
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    REQUIRE(sched_getaffinity(0, sizeof(allowed), &allowed) == 0);
    int first = 0;
    while (!CPU_ISSET(first, &allowed)) ++first;
    int pinned_count = 0;
    bool pinned = false;
    std::thread worker([&] {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(first, &one);
      pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
      testing::TempDir root;  // no cgroup files: only the mask counts
      pinned_count = UsableCpus(root.path(), root.File("no-proc-cgroup"));
    });
    worker.join();
    REQUIRE(pinned);
    CHECK(pinned_count == 1);
  }
}

}  // namespace
}  // namespace hamlet::http
