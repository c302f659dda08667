// Write locks, immutable files and tmpfs mounts for the database-trouble tests.
#include "support/fault_injection.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sqlite3.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hamlet::testing {
namespace {

// Sets or clears FS_IMMUTABLE_FL on `path`; "" on success, else why not.
std::string SetImmutable(const std::string& path, bool on) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
  if (fd < 0) return path + ": " + std::strerror(errno);
  int flags = 0;
  std::string why;
  if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
    why = path + ": reading its attributes: " + std::strerror(errno);
  } else {
    flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    if (::ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0) {
      why = path + ": setting the immutable attribute: " + std::strerror(errno);
    }
  }
  ::close(fd);
  return why;
}

}  // namespace

HeldWriteLock::HeldWriteLock(const std::string& path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK ||
      sqlite3_exec(db_, "PRAGMA busy_timeout = 5000; BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) !=
          SQLITE_OK) {
    sqlite3_close(db_);
    db_ = nullptr;
  }
}

HeldWriteLock::~HeldWriteLock() { Release(); }

void HeldWriteLock::Release() {
  if (db_ == nullptr) return;
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db_);
  db_ = nullptr;
}

ImmutableFiles::ImmutableFiles(std::vector<std::string> paths) : paths_(std::move(paths)) {
  for (const std::string& p : paths_) {
    why_not_ = SetImmutable(p, true);
    if (!why_not_.empty()) {
      Clear();
      return;
    }
    set_.push_back(p);
  }
  ok_ = true;
}

ImmutableFiles::~ImmutableFiles() { Clear(); }

void ImmutableFiles::Clear() {
  for (const std::string& p : set_) (void)SetImmutable(p, false);
  set_.clear();
}

TmpfsMount::TmpfsMount(const std::string& dir, size_t bytes) : dir_(dir) {
  const std::string data = "size=" + std::to_string(bytes) + ",mode=0700";
  if (::mount("tmpfs", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, data.c_str()) != 0) {
    why_not_ = "mount -t tmpfs on " + dir + ": " + std::strerror(errno);
    return;
  }
  mounted_ = true;
}

TmpfsMount::~TmpfsMount() {
  if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
}

size_t FillFileSystem(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return 0;
  static const char kZeros[64 * 1024] = {};
  size_t total = 0;
  size_t chunk = sizeof kZeros;
  // Large writes first, then smaller ones, so the last free blocks are used up too.
  while (chunk > 0) {
    const ssize_t n = ::write(fd, kZeros, chunk);
    if (n > 0) {
      total += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      chunk /= 2;
    }
  }
  ::fsync(fd);
  ::close(fd);
  return total;
}

}  // namespace hamlet::testing
