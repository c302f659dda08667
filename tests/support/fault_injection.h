// Real database trouble for end-to-end tests: another process's write lock, a file the kernel
// refuses to write (immutable), a small file system that fills up. Each is undone by its
// destructor. Tests skip (HAMLET_SKIP) when the machine cannot provide one (not root, a
// file system without the feature).
#pragma once

#include <string>
#include <vector>

struct sqlite3;

namespace hamlet::testing {

// Holds the write lock of the SQLite database at `path` (BEGIN EXCLUSIVE on a connection of
// its own) until Release() or destruction.
class HeldWriteLock {
 public:
  explicit HeldWriteLock(const std::string& path);
  ~HeldWriteLock();
  HeldWriteLock(const HeldWriteLock&) = delete;
  HeldWriteLock& operator=(const HeldWriteLock&) = delete;
  bool held() const { return db_ != nullptr; }
  void Release();

 private:
  sqlite3* db_ = nullptr;
};

// Sets the immutable attribute (chattr +i) on each of `paths`, which makes every write to
// them fail with EPERM, even through descriptors opened before and even for root; clears it
// on Clear() or destruction. ok() is false when the attribute could not be set (the caller
// skips then).
class ImmutableFiles {
 public:
  explicit ImmutableFiles(std::vector<std::string> paths);
  ~ImmutableFiles();
  ImmutableFiles(const ImmutableFiles&) = delete;
  ImmutableFiles& operator=(const ImmutableFiles&) = delete;
  bool ok() const { return ok_; }
  const std::string& why_not() const { return why_not_; }
  void Clear();

 private:
  std::vector<std::string> paths_;
  std::vector<std::string> set_;  // the ones that got the attribute
  bool ok_ = false;
  std::string why_not_;
};

// A tmpfs of `bytes` mounted on `dir` (which must exist) until destruction (lazy unmount, so
// a process still holding files does not keep it). ok() is false when mounting failed.
class TmpfsMount {
 public:
  TmpfsMount(const std::string& dir, size_t bytes);
  ~TmpfsMount();
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  bool ok() const { return mounted_; }
  const std::string& why_not() const { return why_not_; }

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string why_not_;
};

// Writes zeros to `path` until the file system is full (ENOSPC). Returns the bytes written.
size_t FillFileSystem(const std::string& path);

}  // namespace hamlet::testing
