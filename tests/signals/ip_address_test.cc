// IP addresses and CIDR networks: both families, the edges of a network, canonical text.
#include "signals/ip_address.h"

#include <doctest/doctest.h>

#include "signals/list_kind.h"

using namespace hamlet;

TEST_SUITE("signals/ip_address") {
  TEST_CASE("parses IPv4 and IPv6 and treats an IPv4-mapped IPv6 address as IPv4") {
    auto v4 = signals::ParseIpAddress(" 192.0.2.1 ");
    REQUIRE(v4);
    CHECK(v4->v4);
    auto v6 = signals::ParseIpAddress("2001:db8::1");
    REQUIRE(v6);
    CHECK_FALSE(v6->v4);
    auto mapped = signals::ParseIpAddress("::ffff:192.0.2.1");
    REQUIRE(mapped);
    CHECK(mapped->v4);
    CHECK(*mapped == *v4);
    for (const char* bad : {"", "192.0.2", "192.0.2.256", "example.com", "fe80::1%eth0",
                            "192.0.2.1:80", "::g", "1.2.3.4.5"}) {
      const std::string shown_bad = bad;
      CAPTURE(shown_bad);
      CHECK_FALSE(signals::ParseIpAddress(bad));
    }
  }

  TEST_CASE("a network contains its first and last address and nothing either side") {
    struct Row {
      const char* network;
      const char* address;
      bool inside;
    };
    const Row rows[] = {
        {"203.0.113.0/24", "203.0.113.0", true},
        {"203.0.113.0/24", "203.0.113.255", true},
        {"203.0.113.0/24", "203.0.112.255", false},
        {"203.0.113.0/24", "203.0.114.0", false},
        {"10.0.0.0/8", "10.255.255.255", true},
        {"10.0.0.0/8", "11.0.0.0", false},
        {"198.51.100.7", "198.51.100.7", true},
        {"198.51.100.7", "198.51.100.8", false},
        {"198.51.100.6/31", "198.51.100.7", true},
        {"198.51.100.6/31", "198.51.100.8", false},
        {"2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", true},
        {"2001:db8::/32", "2001:db9::", false},
        {"2001:db8:abcd::/48", "2001:db8:abcd:12::1", true},
        {"2001:db8:abcd::/48", "2001:db8:abce::1", false},
        {"2001:db8::1", "2001:db8::1", true},
        {"2001:db8::1", "2001:db8::2", false},
        // An IPv4 entry matches the same address sent in IPv4-mapped IPv6 form, and only it.
        {"203.0.113.0/24", "::ffff:203.0.113.9", true},
        {"203.0.113.0/24", "2001:db8::cb00:7109", false},
        {"::ffff:203.0.113.0/120", "203.0.113.200", true},
    };
    for (const Row& row : rows) {
      const std::string shown_network = row.network;
      CAPTURE(shown_network);
      const std::string shown_address = row.address;
      CAPTURE(shown_address);
      auto net = signals::ParseIpNetwork(row.network);
      REQUIRE(net);
      auto ip = signals::ParseIpAddress(row.address);
      REQUIRE(ip);
      CHECK(net->Contains(*ip) == row.inside);
    }
  }

  TEST_CASE("host bits past the prefix and bad prefixes are refused with the reason") {
    std::string why;
    CHECK_FALSE(signals::ParseIpNetwork("203.0.113.7/24", &why));
    CHECK(why.find("203.0.113.0/24") != std::string::npos);  // says what was meant
    CHECK_FALSE(signals::ParseIpNetwork("203.0.113.0/33", &why));
    CHECK(why.find("out of range") != std::string::npos);
    CHECK_FALSE(signals::ParseIpNetwork("2001:db8::/129", &why));
    CHECK_FALSE(signals::ParseIpNetwork("203.0.113.0/", &why));
    CHECK_FALSE(signals::ParseIpNetwork("203.0.113.0/2x", &why));
    CHECK(why.find("prefix") != std::string::npos);
  }

  TEST_CASE("canonical ip values are RFC 5952 text without a single-address prefix") {
    struct Row {
      const char* in;
      const char* out;
    };
    const Row rows[] = {
        {"203.0.113.7", "203.0.113.7"},         {"203.0.113.7/32", "203.0.113.7"},
        {" 203.0.113.0/24 ", "203.0.113.0/24"}, {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
        {"2001:0db8::/32", "2001:db8::/32"},    {"::ffff:192.0.2.1", "192.0.2.1"}};
    for (const Row& row : rows) {
      const std::string shown_in = row.in;
      CAPTURE(shown_in);
      auto v = signals::CanonicalListValue(signals::ListKind::kIp, row.in);
      REQUIRE_MESSAGE(v, (v ? std::string() : v.error().message()));
      CHECK(*v == row.out);
    }
    // Networks wider than /8 (IPv4) or /16 (IPv6) would block whole continents.
    auto wide = signals::CanonicalListValue(signals::ListKind::kIp, "0.0.0.0/0");
    REQUIRE_FALSE(wide);
    CHECK(wide.error().message().find("too wide") != std::string::npos);
    CHECK_FALSE(signals::CanonicalListValue(signals::ListKind::kIp, "2000::/3"));
    CHECK(signals::CanonicalListValue(signals::ListKind::kIp, "10.0.0.0/8"));
  }
}
