// TokenBuckets and RequestGuard: rates, bursts, Retry-After, failed-check lockout, and the
// bound on how many names are tracked.
#include "http/token_buckets.h"

#include <doctest/doctest.h>

#include <string>

#include "http/client_address.h"
#include "http/request_guard.h"

namespace hamlet::http {
namespace {

using Clock = TokenBuckets::Clock;
using std::chrono::milliseconds;

// "n12" for ('n', 12). (Appending, as GCC 12 warns falsely on "n" + std::to_string(i).)
std::string Name(char prefix, int i) {
  std::string name(1, prefix);
  name += std::to_string(i);
  return name;
}

}  // namespace

TEST_SUITE("http/token_buckets") {
  TEST_CASE("a burst passes, the next is refused with the seconds until a token") {
    TokenBuckets buckets(RateLimit{2, 4});  // 2/s, bursts of 4
    const Clock::time_point t0 = Clock::now();
    for (int i = 0; i < 4; ++i) CHECK(buckets.Take("a", t0) == 0);
    CHECK(buckets.Take("a", t0) == 1);  // 0.5 s to the next token, rounded up to a second
    // Other names have buckets of their own.
    CHECK(buckets.Take("b", t0) == 0);
    // Half a second later one token is back, and only one.
    CHECK(buckets.Take("a", t0 + milliseconds(500)) == 0);
    CHECK(buckets.Take("a", t0 + milliseconds(500)) == 1);
  }

  TEST_CASE("the wait is rounded up to whole seconds for a slow rate") {
    TokenBuckets buckets(RateLimit{0.1, 1});  // one per 10 s
    const Clock::time_point t0 = Clock::now();
    CHECK(buckets.Take("a", t0) == 0);
    CHECK(buckets.Take("a", t0) == 10);
    CHECK(buckets.Take("a", t0 + milliseconds(2500)) == 8);  // 7.5 s left
    CHECK(buckets.WaitSeconds("a", t0 + milliseconds(2500)) == 8);
    CHECK(buckets.Take("a", t0 + milliseconds(10000)) == 0);
  }

  TEST_CASE("a disabled limit lets everything through and tracks nothing") {
    TokenBuckets buckets(RateLimit{0, 0});
    const Clock::time_point t0 = Clock::now();
    for (int i = 0; i < 1000; ++i) CHECK(buckets.Take("a", t0) == 0);
    CHECK(buckets.size() == 0);
  }

  TEST_CASE("the table stays bounded: idle names are forgotten, and it fails open when full") {
    TokenBuckets buckets(RateLimit{1, 1}, /*max_names=*/160);  // 10 per shard
    const Clock::time_point t0 = Clock::now();
    for (int i = 0; i < 5000; ++i) CHECK(buckets.Take(Name('n', i), t0) == 0);
    CHECK(buckets.size() <= 160);
    // A second later every bucket has refilled: new names push the idle ones out.
    for (int i = 0; i < 5000; ++i) {
      CHECK(buckets.Take(Name('m', i), t0 + milliseconds(1000)) == 0);
    }
    CHECK(buckets.size() <= 160);
  }

  TEST_CASE("Drain empties a bucket without refusing, WaitSeconds reports it") {
    TokenBuckets failures(RateLimit{1.0 / 60, 3});  // three, then one a minute
    const Clock::time_point t0 = Clock::now();
    CHECK(failures.WaitSeconds("ip", t0) == 0);
    for (int i = 0; i < 5; ++i) failures.Drain("ip", t0);
    CHECK(failures.WaitSeconds("ip", t0) == 60);
    CHECK(failures.WaitSeconds("ip", t0 + milliseconds(30000)) == 30);
    CHECK(failures.WaitSeconds("ip", t0 + milliseconds(60000)) == 0);
    CHECK(failures.WaitSeconds("other", t0) == 0);
  }
}

TEST_SUITE("http/request_guard") {
  TEST_CASE("failed key checks lock the address out, not other addresses") {
    GuardOptions options;
    options.auth_failures = {1.0 / 60, 3};
    RequestGuard guard(options);
    for (int i = 0; i < 3; ++i) {
      CHECK(guard.AdmitKeyCheck("198.51.100.7") == 0);
      guard.KeyCheckFailed("198.51.100.7");
    }
    CHECK(guard.AdmitKeyCheck("198.51.100.7") > 0);
    CHECK(guard.AdmitKeyCheck("198.51.100.8") == 0);
    const GuardStats stats = guard.Stats();
    CHECK(stats.auth_failures == 3);
    CHECK(stats.auth_refused == 1);
  }

  TEST_CASE("an IPv6 client's whole /64 shares one limit") {
    GuardOptions options;
    options.per_ip = {1, 2};
    RequestGuard guard(options);
    CHECK(guard.AdmitAddress("2001:db8:1:2::1") == 0);
    CHECK(guard.AdmitAddress("2001:db8:1:2:ffff::9") == 0);
    CHECK(guard.AdmitAddress("2001:db8:1:2::77") > 0);
    CHECK(guard.AdmitAddress("2001:db8:1:3::1") == 0);  // another /64
    CHECK(guard.Stats().limited_ip == 1);
  }

  TEST_CASE("keys are limited one by one") {
    GuardOptions options;
    options.per_key = {1, 1};
    RequestGuard guard(options);
    CHECK(guard.AdmitKey(1) == 0);
    CHECK(guard.AdmitKey(1) > 0);
    CHECK(guard.AdmitKey(2) == 0);
    CHECK(guard.Stats().limited_key == 1);
  }
}

TEST_SUITE("http/client_address") {
  TEST_CASE("IPv4 as is, IPv4-mapped as IPv4, IPv6 as its /64") {
    CHECK(ClientAddressKey("203.0.113.9") == "203.0.113.9");
    CHECK(ClientAddressKey("::ffff:203.0.113.9") == "203.0.113.9");
    CHECK(ClientAddressKey("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64");
    CHECK(ClientAddressKey("::1") == "::/64");
    CHECK(ClientAddressKey("not an address") == "not an address");
  }
}

}  // namespace hamlet::http
