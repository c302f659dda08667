// The parts of the engine's memory, each on its own: decay arithmetic, footprints (IP /24 and
// /48, e-mail, author URL, salted hashes, the stored trace), and the three indexes
// (reputation with expiry and cap, campaign banding and window, rate windows).
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/comment.h"
#include "engine/campaign_index.h"
#include "engine/decay.h"
#include "engine/footprint.h"
#include "engine/rate_index.h"
#include "engine/reputation_index.h"
#include "text/normalize.h"

using namespace hamlet;
using engine::CampaignIndex;
using engine::Figure;
using engine::RateIndex;
using engine::ReputationIndex;
using signals::TraitKind;

namespace {

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kT0 = 1'700'000'000'000;

engine::Footprint FootprintOf(const core::FieldList& fields, const std::string& salt = "s1",
                              const std::string& site = "https://blog.example/") {
  const core::Comment c = core::CommentFromFields(fields);
  return engine::MakeFootprint(c, text::Analyze(c.comment_content), site, salt);
}

int Count(const engine::Footprint& f, TraitKind kind) {
  int n = 0;
  for (const auto& t : f.traits) n += t.kind == kind ? 1 : 0;
  return n;
}

uint64_t HashOf(const engine::Footprint& f, TraitKind kind) {
  for (const auto& t : f.traits) {
    if (t.kind == kind) return t.hash;
  }
  return 0;
}

CampaignIndex::Sighting At(int64_t at, uint64_t sender, uint64_t id = 0, uint64_t site = 1) {
  return {at, id, sender, site, 0, 0};
}

}  // namespace

TEST_SUITE("engine/memory/decay") {
  TEST_CASE("counts halve every half-life") {
    CHECK(engine::DecayFactor(0, kDay) == 1.0);
    CHECK(engine::DecayFactor(-5, kDay) == 1.0);
    CHECK(engine::DecayFactor(kDay, kDay) == doctest::Approx(0.5));
    CHECK(engine::DecayFactor(3 * kDay, kDay) == doctest::Approx(0.125));
    engine::DecayedCounts<2> c;
    c.Add(0, 1.0, kT0, kDay);
    CHECK(c.At(0, kT0, kDay) == doctest::Approx(1.0));
    CHECK(c.At(0, kT0 + 2 * kDay, kDay) == doctest::Approx(0.25));
    CHECK(c.At(1, kT0 + 2 * kDay, kDay) == 0.0);
  }

  TEST_CASE("events in any order give the same counts") {
    engine::DecayedCounts<1> in_order, reversed;
    const int64_t times[] = {kT0, kT0 + kDay, kT0 + 5 * kDay};
    for (int64_t t : times) in_order.Add(0, 1.0, t, kDay);
    for (int i = 2; i >= 0; --i) reversed.Add(0, 1.0, times[i], kDay);
    const int64_t later = kT0 + 9 * kDay;
    const double want = std::exp2(-9.0) + std::exp2(-8.0) + std::exp2(-4.0);
    CHECK(in_order.At(0, later, kDay) == doctest::Approx(want));
    CHECK(reversed.At(0, later, kDay) == doctest::Approx(want));
  }

  TEST_CASE("taking back what was added restores the count and never goes negative") {
    engine::DecayedCounts<1> c;
    c.Add(0, 1.0, kT0, kDay);
    c.Add(0, 1.0, kT0 + kDay, kDay);
    c.Add(0, -1.0, kT0, kDay);  // the first event withdrawn after the second arrived
    CHECK(c.At(0, kT0 + kDay, kDay) == doctest::Approx(1.0));
    c.Add(0, -5.0, kT0 + kDay, kDay);
    CHECK(c.At(0, kT0 + kDay, kDay) == 0.0);
  }
}

TEST_SUITE("engine/memory/footprint") {
  TEST_CASE("IPv4 addresses key their /24 and IPv6 addresses their /48") {
    struct Row {
      const char* in;
      const char* ip;
      const char* network;
    };
    const Row rows[] = {
        {"203.0.113.7", "203.0.113.7", "203.0.113.0/24"},
        {" 198.51.100.255 ", "198.51.100.255", "198.51.100.0/24"},
        {"2001:db8:1:2::7", "2001:db8:1:2::7", "2001:db8:1::/48"},
        {"2001:DB8:0001:ffff::1", "2001:db8:1:ffff::1", "2001:db8:1::/48"},
        {"[2001:db8::1]", "2001:db8::1", "2001:db8::/48"},
        {"fe80::1%eth0", "fe80::1", "fe80::/48"},
        {"::ffff:192.0.2.9", "192.0.2.9", "192.0.2.0/24"},
    };
    for (const Row& row : rows) {
      CAPTURE(row.in);
      auto v = engine::IpTraitValues(row.in);
      REQUIRE(v.has_value());
      CHECK(v->ip == row.ip);
      CHECK(v->network == row.network);
    }
    for (const char* bad : {"", "not an ip", "256.1.1.1", "1.2.3", "1.2.3.4.5", "::g"}) {
      CAPTURE(bad);
      CHECK_FALSE(engine::IpTraitValues(bad).has_value());
    }
  }

  TEST_CASE("e-mail addresses and author URLs are canonical") {
    CHECK(engine::EmailTraitValue(" Ann.Lee+shop@Example.ORG ") == "ann.lee@example.org");
    CHECK(engine::EmailTraitValue("+x@example.org") == "+x@example.org");
    CHECK(engine::EmailTraitValue("no-at-sign") == "");
    CHECK(engine::EmailTraitValue("@example.org") == "");
    CHECK(engine::AuthorUrlTraitValue("https://WWW.Example.com/About/?utm=x#top") ==
          "example.com/about");
    CHECK(engine::AuthorUrlTraitValue("http://example.com/") == "example.com");
    CHECK(engine::AuthorUrlTraitValue("example.com") == "example.com");
    CHECK(engine::AuthorUrlTraitValue("not a url") == "");
  }

  TEST_CASE("a footprint has each trait once and linked hosts without the site's own") {
    const auto f = FootprintOf(
        {{"comment_content",
          "see https://a.pills.example/x and http://b.pills.example/y, https://blog.example/p "
          "and www.other.example"},
         {"user_ip", "203.0.113.7"},
         {"comment_author_email", "a@example.org"},
         {"comment_author_url", "https://shop.example.net/"}});
    CHECK(Count(f, TraitKind::kIp) == 1);
    CHECK(Count(f, TraitKind::kNet) == 1);
    CHECK(Count(f, TraitKind::kEmail) == 1);
    CHECK(Count(f, TraitKind::kAuthorUrl) == 1);
    CHECK(Count(f, TraitKind::kAuthorDomain) == 1);
    REQUIRE(Count(f, TraitKind::kLinkedDomain) == 3);
    std::vector<std::string> shown;
    for (const auto& t : f.traits) {
      if (t.kind == TraitKind::kLinkedDomain || t.kind == TraitKind::kAuthorDomain) {
        shown.push_back(t.shown);
      } else {
        CHECK(t.shown.empty());  // personal values never leave as text
      }
    }
    // Hosts, not registrable domains; www. dropped; the site's own domain left out.
    CHECK(shown == std::vector<std::string>{"shop.example.net", "a.pills.example",
                                            "b.pills.example", "other.example"});
    CHECK(f.sender != 0);
    CHECK(f.post == 0);
  }

  TEST_CASE("at most eight linked domains take part") {
    std::string text;
    for (int i = 0; i < 50; ++i) text += "http://d" + std::to_string(i) + ".example/ ";
    CHECK(Count(FootprintOf({{"comment_content", text}}), TraitKind::kLinkedDomain) ==
          engine::kMaxLinkedDomains);
  }

  TEST_CASE("hashes are salted and the sender falls back from IP to e-mail to name") {
    const core::FieldList fields = {{"comment_content", "hi"}, {"user_ip", "203.0.113.7"}};
    CHECK(HashOf(FootprintOf(fields, "s1"), TraitKind::kIp) ==
          HashOf(FootprintOf(fields, "s1"), TraitKind::kIp));
    CHECK(HashOf(FootprintOf(fields, "s1"), TraitKind::kIp) !=
          HashOf(FootprintOf(fields, "s2"), TraitKind::kIp));
    // Same /24, different address: same network, different IP.
    const auto other = FootprintOf({{"user_ip", "203.0.113.99"}});
    CHECK(HashOf(other, TraitKind::kNet) == HashOf(FootprintOf(fields), TraitKind::kNet));
    CHECK(HashOf(other, TraitKind::kIp) != HashOf(FootprintOf(fields), TraitKind::kIp));

    const auto by_ip = FootprintOf({{"user_ip", "203.0.113.7"}, {"comment_author", "Ann"}});
    const auto by_name = FootprintOf({{"comment_author", " ANN "}});
    const auto by_name2 = FootprintOf({{"comment_author", "ann"}});
    CHECK(by_ip.sender != by_name.sender);
    CHECK(by_name.sender == by_name2.sender);
    CHECK(FootprintOf({{"comment_content", "x"}}).sender == 0);
  }

  TEST_CASE("the stored trace round-trips and damaged text is refused") {
    const auto f = FootprintOf(
        {{"comment_content",
          "A long enough comment about the council vote and the bus lanes on Route nine, "
          "see https://council.example/minutes"},
         {"user_ip", "2001:db8::5"},
         {"comment_author_email", "x@example.org"},
         {"permalink", "https://blog.example/p/1"}});
    REQUIRE(f.words > 0);
    const store::MemoryTrace trace = engine::EncodeTrace(f, engine::Lesson::kSpam);
    CHECK(trace.lesson == "spam");
    REQUIRE(trace.fingerprint.has_value());
    CHECK(trace.traits.find("ip:") == 0);
    auto back = engine::DecodeTrace(trace);
    REQUIRE(back);
    REQUIRE(back->traits.size() == f.traits.size());
    for (size_t i = 0; i < f.traits.size(); ++i) {
      CHECK(back->traits[i].kind == f.traits[i].kind);
      CHECK(back->traits[i].hash == f.traits[i].hash);
    }
    CHECK(back->sender == f.sender);
    CHECK(back->post == f.post);
    CHECK(back->fingerprint == f.fingerprint);
    CHECK(back->words == f.words);
    CHECK(engine::ParseLesson(trace.lesson) == engine::Lesson::kSpam);

    for (const char* bad :
         {"ip", "ip:123", "zz:0123456789abcdef", "ip:0123456789abcdeg", "wd:x", "wd:-3"}) {
      CAPTURE(bad);
      CHECK_FALSE(engine::DecodeTrace({"", std::nullopt, bad}));
    }
    CHECK_FALSE(engine::DecodeTrace({"", std::nullopt, "wd:12"}));  // words, no fingerprint
    auto empty = engine::DecodeTrace({"", std::nullopt, ""});
    REQUIRE(empty);
    CHECK(empty->traits.empty());
  }
}

TEST_SUITE("engine/memory/reputation_index") {
  TEST_CASE("tallies decay and are kept per site and for all sites") {
    ReputationIndex index(kDay, 4 * kDay, 10'000);
    const uint64_t site_a = ReputationIndex::Key(42, 1), site_b = ReputationIndex::Key(42, 2);
    const uint64_t all = ReputationIndex::Key(42, 0);
    CHECK(site_a != site_b);
    CHECK(site_a != all);
    index.Add(site_a, Figure::kSpam, 1.0, kT0);
    index.Add(all, Figure::kSpam, 1.0, kT0);
    index.Add(all, Figure::kReported, 1.0, kT0);
    CHECK(index.Read(site_a, kT0 + kDay).tally.spam == doctest::Approx(0.5));
    CHECK(index.Read(site_b, kT0 + kDay).tally.empty());
    CHECK(index.Read(all, kT0 + 2 * kDay).tally.reported == doctest::Approx(0.25));
    index.Add(site_a, Figure::kSpam, -1.0, kT0);  // a label replaces the verdict
    CHECK(index.Read(site_a, kT0 + kDay).tally.spam == doctest::Approx(0.0));
    index.Add(ReputationIndex::Key(7, 1), Figure::kHam, -1.0, kT0);  // nothing to take back
    CHECK(index.Read(ReputationIndex::Key(7, 1), kT0).tally.empty());
  }

  TEST_CASE("entries untouched for the horizon expire and read as empty") {
    ReputationIndex index(kDay, 4 * kDay, 10'000);
    index.Add(1, Figure::kSpam, 1.0, kT0);
    index.CountSeen(1, kT0);
    CHECK(index.Read(1, kT0 + 4 * kDay).seen == 1);
    CHECK(index.Read(1, kT0 + 4 * kDay + 1).tally.empty());
    CHECK(index.Read(1, kT0 + 4 * kDay + 1).seen == 0);
    // A later touch in the same shard sweeps it away.
    index.Add(1 + 2, Figure::kSpam, 1.0, kT0 + 5 * kDay);
    CHECK(index.size() == 1);
  }

  TEST_CASE("the cap holds with the least recently touched entries going first") {
    ReputationIndex index(kDay, 400 * kDay, 64 * 10);  // 10 per shard
    // 100 keys in shard 0 (top 6 bits zero), one per minute.
    for (uint64_t k = 1; k <= 100; ++k) {
      index.Add(k, Figure::kSpam, 1.0, kT0 + static_cast<int64_t>(k) * 60'000);
    }
    CHECK(index.size() <= 10);
    CHECK_FALSE(index.Read(100, kT0 + kDay).tally.empty());
    CHECK(index.Read(1, kT0 + kDay).tally.empty());
  }
}

TEST_SUITE("engine/memory/campaign_index") {
  TEST_CASE("the first sighting has no copies and later ones count earlier copies") {
    CampaignIndex index(72 * kHour, 10'000);
    auto first = index.FindThenAdd(0xABCDEF, At(kT0, 1), 0, true);
    CHECK(first.fingerprinted);
    CHECK(first.copies == 0);
    CHECK(first.senders == 1);
    index.FindThenAdd(0xABCDEF, At(kT0 + 1000, 2), 0, true);
    auto third = index.FindThenAdd(0xABCDEF, At(kT0 + 2000, 3, 0, 2), 0, true);
    CHECK(third.copies == 2);
    CHECK(third.senders == 3);
    CHECK(third.sites == 2);
    CHECK(third.window_ms == 72 * kHour);
  }

  TEST_CASE("near-copies within five bits are found in any band and farther ones are not") {
    CampaignIndex index(72 * kHour, 10'000);
    const uint64_t base = 0x0123456789ABCDEFULL;
    index.FindThenAdd(base, At(kT0, 1), 0, true);
    // Bands: bits 0-10, 11-21, 22-32, 33-43, 44-53, 54-63. Five bits flipped, one in each of
    // the first five bands: only the last band still matches exactly.
    const uint64_t five =
        base ^ (1ULL << 1) ^ (1ULL << 12) ^ (1ULL << 23) ^ (1ULL << 34) ^ (1ULL << 45);
    CHECK(index.FindThenAdd(five, At(kT0 + 1, 2), 0, false).copies == 1);
    // Five bits in one band: the other five bands match.
    CHECK(index.FindThenAdd(base ^ 0x1FULL, At(kT0 + 1, 2), 0, false).copies == 1);
    // Six bits, one per band: no band matches, and it is not near anyway.
    const uint64_t six = five ^ (1ULL << 60);
    CHECK(index.FindThenAdd(six, At(kT0 + 1, 2), 0, false).copies == 0);
    // Six bits in one band: the other bands match, but the distance is too large.
    CHECK(index.FindThenAdd(base ^ 0x3FULL, At(kT0 + 1, 2), 0, false).copies == 0);
    CHECK(index.FindThenAdd(~base, At(kT0 + 1, 2), 0, false).copies == 0);
  }

  TEST_CASE("copies older than the window no longer count and are dropped") {
    CampaignIndex index(72 * kHour, 10'000);
    index.FindThenAdd(77, At(kT0, 1), 0, true);
    CHECK(index.FindThenAdd(77, At(kT0 + 72 * kHour, 2), 0, false).copies == 1);
    CHECK(index.FindThenAdd(77, At(kT0 + 72 * kHour + 1, 2), 0, true).copies == 0);
    CHECK(index.sightings() == 1);
    CHECK(index.fingerprints() == 1);
  }

  TEST_CASE("a recheck's own first check is skipped and labels are kept per sighting") {
    CampaignIndex index(72 * kHour, 10'000);
    index.FindThenAdd(5, At(kT0, 1, 111), 0, true);
    index.FindThenAdd(5, At(kT0 + 1, 2, 222), 0, true);
    CHECK(index.FindThenAdd(5, At(kT0 + 2, 1), 111, false).copies == 1);
    index.Label(5, 222, -1);
    index.Label(5, 111, 1);
    auto labelled = index.FindThenAdd(5, At(kT0 + 3, 3), 0, false);
    CHECK(labelled.approved == 1);
    CHECK(labelled.reported == 1);
  }

  TEST_CASE("the cap drops the oldest sightings and their buckets") {
    CampaignIndex index(72 * kHour, 1000);
    for (uint64_t i = 0; i < 5000; ++i) {
      index.FindThenAdd(i * 0x9E3779B97F4A7C15ULL, At(kT0 + static_cast<int64_t>(i), i), 0, true);
    }
    CHECK(index.sightings() == 1000);
    CHECK(index.fingerprints() == 1000);
    CHECK(index.FindThenAdd(0, At(kT0 + 6000, 9), 0, false).copies == 0);  // i = 0 dropped
  }

  TEST_CASE("a flood of one text keeps a bounded cluster and counts stay bounded") {
    CampaignIndex index(72 * kHour, 100'000);
    for (int i = 0; i < 5000; ++i)
      index.FindThenAdd(99, At(kT0 + i, static_cast<uint64_t>(i)), 0, true);
    auto h = index.FindThenAdd(99, At(kT0 + 6000, 7), 0, false);
    CHECK(h.copies == static_cast<int>(CampaignIndex::kMaxPerCluster));
    CHECK(h.senders <= 64);
    CHECK(index.fingerprints() == 1);
    // Hostile: thousands of distinct fingerprints sharing one band value.
    for (uint64_t i = 1; i < 3000; ++i) {
      index.FindThenAdd((i << 11) | 0x3EF, At(kT0 + 7000, i), 0, true);
    }
    auto near = index.FindThenAdd(0x3EF, At(kT0 + 8000, 1), 0, false);
    CHECK(near.copies <= static_cast<int>(CampaignIndex::kMaxPerBucket));
  }
}

TEST_SUITE("engine/memory/rate_index") {
  TEST_CASE("counts earlier events in the last minute and hour, then adds this one") {
    RateIndex index(10'000);
    for (int i = 0; i < 5; ++i) index.CountThenAdd(9, kT0 + i * 10'000, 0, 0, true);
    auto now = index.CountThenAdd(9, kT0 + 50'000, 0, 0, false);
    CHECK(now.last_minute == 5);
    CHECK(now.last_hour == 5);
    auto later = index.CountThenAdd(9, kT0 + 30 * 60'000, 0, 0, true);
    CHECK(later.last_minute == 0);
    CHECK(later.last_hour == 5);
    auto next_hour = index.CountThenAdd(9, kT0 + 61 * 60'000, 0, 0, false);
    CHECK(next_hour.last_hour == 1);
    CHECK(index.CountThenAdd(10, kT0, 0, 0, false).last_hour == 0);
  }

  TEST_CASE("a recheck's own first check is skipped and counts stop at the per-key cap") {
    RateIndex index(10'000);
    index.CountThenAdd(1, kT0, 555, 0, true);
    CHECK(index.CountThenAdd(1, kT0 + 1, 0, 555, false).last_minute == 0);
    for (int i = 0; i < 200; ++i) index.CountThenAdd(2, kT0 + i, 0, 0, true);
    CHECK(index.CountThenAdd(2, kT0 + 300, 0, 0, false).last_minute ==
          static_cast<int>(RateIndex::kMaxPerKey));
  }

  TEST_CASE("idle senders expire and the number of senders is capped") {
    RateIndex index(32 * 8);  // 8 per shard
    // 100 senders in shard 0 (top bits zero) within a minute: the shard stays at its share.
    for (uint64_t k = 0; k < 100; ++k) {
      index.CountThenAdd(k, kT0 + static_cast<int64_t>(k), 0, 0, true);
    }
    CHECK(index.size() == 8);
    CHECK(index.CountThenAdd(99, kT0 + 200, 0, 0, false).last_minute == 1);  // the newest stay
    // Two hours later the idle ones go when the shard is next touched by a new sender.
    index.CountThenAdd(1000, kT0 + 2 * kHour, 0, 0, true);
    CHECK(index.size() == 1);
  }
}
