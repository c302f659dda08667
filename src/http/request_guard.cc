// Rate limits and failed-guess tracking on top of TokenBuckets.
#include "http/request_guard.h"

#include <string>

#include "http/client_address.h"

namespace hamlet::http {
namespace {

TokenBuckets::Clock::time_point Now() { return TokenBuckets::Clock::now(); }

}  // namespace

RequestGuard::RequestGuard(GuardOptions options)
    : options_(options),
      per_ip_(options.per_ip),
      per_key_(options.per_key),
      failures_(options.auth_failures) {}

int RequestGuard::AdmitAddress(std::string_view ip) {
  const int wait = per_ip_.Take(ClientAddressKey(ip), Now());
  if (wait > 0) limited_ip_.fetch_add(1, std::memory_order_relaxed);
  return wait;
}

int RequestGuard::AdmitKey(int64_t key_id) {
  const int wait = per_key_.Take(std::to_string(key_id), Now());
  if (wait > 0) limited_key_.fetch_add(1, std::memory_order_relaxed);
  return wait;
}

int RequestGuard::AdmitKeyCheck(std::string_view ip) {
  const int wait = failures_.WaitSeconds(ClientAddressKey(ip), Now());
  if (wait > 0) auth_refused_.fetch_add(1, std::memory_order_relaxed);
  return wait;
}

void RequestGuard::KeyCheckFailed(std::string_view ip) {
  auth_failures_.fetch_add(1, std::memory_order_relaxed);
  failures_.Drain(ClientAddressKey(ip), Now());
}

GuardStats RequestGuard::Stats() const {
  return {limited_ip_.load(std::memory_order_relaxed), limited_key_.load(std::memory_order_relaxed),
          auth_failures_.load(std::memory_order_relaxed),
          auth_refused_.load(std::memory_order_relaxed)};
}

}  // namespace hamlet::http
