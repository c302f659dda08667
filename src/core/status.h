// Status and Result<T>: errors as values, so every failure path is visible in signatures.
// Shaped like leveldb's Status; Result<T> uses std::expected's member names so moving to
// C++23 later is a rename.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace hamlet::core {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // caller's input is wrong (HTTP 400, exit 2)
  kNotFound,         // no such thing (HTTP 404, exit 3)
  kUnauthenticated,  // missing/unknown/revoked key (HTTP 401, exit 2)
  kPermissionDenied,  // a valid key of the wrong role for this call (HTTP 403, exit 2)
  kUnavailable,      // model not loaded, database busy or full (HTTP 503, exit 4)
  kInternal,         // a bug or an unexpected third-party failure (HTTP 500, exit 1)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status Unauthenticated(std::string msg) {
    return Status(StatusCode::kUnauthenticated, std::move(msg));
  }
  static Status PermissionDenied(std::string msg) {
    return Status(StatusCode::kPermissionDenied, std::move(msg));
  }
  static Status Unavailable(std::string msg) {
    return Status(StatusCode::kUnavailable, std::move(msg));
  }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: <message>", for logs and CLI output.
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a T or a non-ok Status. REQUIRES: the Status given is not ok.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like std::expected
  Result(Status error) : v_(std::move(error)) {  // NOLINT
    assert(!std::get<Status>(v_).ok());
  }

  bool has_value() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Status& error() const { return std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace hamlet::core
