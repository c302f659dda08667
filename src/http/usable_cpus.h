// How many CPUs this process can actually use: the affinity mask and a cgroup CPU quota, not
// just the CPUs the machine has.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hamlet::http {

// A container limited to two CPUs on a 64-core host still sees 64 online CPUs; sizing per-core
// resources (malloc arenas) by that count would undo the sizing. The least of: the CPUs in
// the affinity mask, and the CPU quota of this process's cgroup or of any cgroup above it
// (v2 `cpu.max`, v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`), rounded up; at least 1. The
// cgroup comes from `proc_cgroup` (/proc/self/cgroup: a systemd unit with CPUQuota= sits in
// system.slice/NAME.service); `cgroup_root` is where the cgroup file system is mounted. Tests
// point both at files of their own.
int UsableCpus(const std::string& cgroup_root = "/sys/fs/cgroup",
               const std::string& proc_cgroup = "/proc/self/cgroup");

// The CPUs a cgroup v2 `cpu.max` line allows ("200000 100000" -> 2, "150000 100000" -> 2,
// "max 100000" -> none); std::nullopt when unlimited or not understood.
std::optional<int> CpusFromCpuMax(std::string_view line);

// The same for cgroup v1's cpu.cfs_quota_us and cpu.cfs_period_us (quota -1: unlimited).
std::optional<int> CpusFromCfsQuota(std::string_view quota_us, std::string_view period_us);

}  // namespace hamlet::http
