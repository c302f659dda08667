#include <doctest/doctest.h>

#include "app/logging.h"

using hamlet::app::MaskEmail;
using hamlet::app::MaskIp;

TEST_SUITE("app/logging") {
  TEST_CASE("masks the host part of IP addresses") {
    CHECK(MaskIp("203.0.113.77") == "203.0.113.x");
    CHECK(MaskIp("2001:db8:1:2::5") == "2001:db8:1:x");
    CHECK(MaskIp("") == "-");
    CHECK(MaskIp("not an ip") == "?");
    CHECK(MaskIp("::1") == "?");
  }

  TEST_CASE("masks the local part of e-mail addresses") {
    CHECK(MaskEmail("alice@example.com") == "a***@example.com");
    CHECK(MaskEmail("@example.com") == "?");
    CHECK(MaskEmail("alice@") == "?");
    CHECK(MaskEmail("no-at-sign") == "?");
  }

  TEST_CASE("log lines mask personal data unless told otherwise") {
    using hamlet::app::LogEmail;
    using hamlet::app::LogIp;
    using hamlet::app::SetLogPersonalData;
    CHECK(LogIp("203.0.113.77") == "203.0.113.x");
    CHECK(LogEmail("alice@example.com") == "a***@example.com");
    CHECK(LogEmail("") == "-");
    SetLogPersonalData(true);
    CHECK(LogIp("203.0.113.77") == "203.0.113.77");
    CHECK(LogEmail("alice@example.com") == "alice@example.com");
    CHECK(LogIp("") == "-");
    SetLogPersonalData(false);
    CHECK(LogIp("203.0.113.77") == "203.0.113.x");
  }
}
