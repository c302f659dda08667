// Memory across nodes, end to end: three real hamletd nodes on one PostgreSQL database, a spam
// campaign whose copies go one to each node. Every node learns the decisions the others stored
// within its memory refresh interval (--memory-refresh-ms), so the third copy is caught by the
// campaign check whichever node it lands on. Skipped without PostgreSQL.
#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/e2e_http.h"
#include "support/hamletd_process.h"
#include "support/pg_cluster.h"
#include "support/skip.h"

namespace hamlet::testing {
namespace {

using nlohmann::json;

// As in memory_e2e_test.cc: the shipped model finds it suspicious but not spam; the campaign's
// +3 of three senders makes it spam.
const std::string kCampaignText =
    "I absolutely love your blog and find almost all of your posts to be exactly what I'm "
    "looking for. Would you offer guest writers to write content for you? I wouldn't mind "
    "writing a post.";
constexpr int kRefreshMs = 100;

// POST /v1/check of the campaign text from `ip`. A test check (`is_test`) is judged with
// memory but not remembered: polling with it adds no evidence of its own.
json CheckCopy(const HamletdProcess& d, const std::string& ip, bool is_test) {
  json body = {{"api_key", d.key()},
               {"blog", "http://example.test/"},
               {"user_ip", ip},
               {"user_agent", "Mozilla/5.0"},
               {"comment_type", "comment"},
               {"comment_author", "Sam"},
               {"comment_content", kCampaignText}};
  if (is_test) body["is_test"] = true;
  auto r = PostTo(d, "/v1/check", body.dump(), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(r->body);
}

// The campaign check's contribution in an answer's reasons; 0 when it is not among them.
double Campaign(const json& answer) {
  for (const json& reason : answer.at("reasons")) {
    if (reason.at("check") == "campaign") return reason.at("contribution").get<double>();
  }
  return 0.0;
}

}  // namespace

TEST_SUITE("e2e/memory_nodes") {
  TEST_CASE("a campaign over three nodes is caught by its third copy on whichever node") {
    PgCluster& cluster = PgCluster::Shared();
    if (!cluster.ok()) HAMLET_SKIP(PgUnavailableMessage(cluster));
    // Each round a fresh database and three nodes; the third copy lands on node `last`.
    for (int last = 0; last < 3; ++last) {
      CAPTURE(last);
      HamletdProcess::Options options;
      options.db_path = cluster.CreateDatabase();
      options.extra_args = {"--memory-refresh-ms", std::to_string(kRefreshMs)};
      std::vector<std::unique_ptr<HamletdProcess>> nodes;
      for (int i = 0; i < 3; ++i) nodes.push_back(std::make_unique<HamletdProcess>(options));
      const HamletdProcess& gets_first = *nodes[(last + 1) % 3];
      const HamletdProcess& gets_second = *nodes[(last + 2) % 3];
      const HamletdProcess& gets_third = *nodes[last];

      const json first = CheckCopy(gets_first, "203.0.113.10", false);
      CHECK(first.at("verdict") == "ham");
      CHECK(Campaign(first) == 0.0);
      // The second node learns the first copy (stored by another node) within its interval.
      CHECK(WaitUntil([&] { return Campaign(CheckCopy(gets_second, "198.51.100.20", true)) > 0; },
                      std::chrono::seconds(10)));
      const json second = CheckCopy(gets_second, "198.51.100.20", false);
      // Two senders: what one node alone would say of a second copy, not more.
      CHECK(Campaign(second) == doctest::Approx(1.5));

      // The third node learns both, each once: three senders with this one, +3.
      const auto waiting = std::chrono::steady_clock::now();
      CHECK(WaitUntil(
          [&] { return Campaign(CheckCopy(gets_third, "192.0.2.30", true)) >= 3.0 - 1e-9; },
          std::chrono::seconds(10)));
      const double waited_ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - waiting)
              .count();
      MESSAGE("third node caught up after " << waited_ms << " ms (interval " << kRefreshMs
                                            << " ms)");
      const json third = CheckCopy(gets_third, "192.0.2.30", false);
      CHECK(Campaign(third) == doctest::Approx(3.0));
      CHECK(third.at("verdict") != "ham");
      bool explained = false;
      for (const json& reason : third.at("reasons")) {
        if (reason.at("check") == "campaign") {
          explained =
              reason.at("detail").get<std::string>().find("2 earlier copies") != std::string::npos;
        }
      }
      CHECK(explained);
    }
  }
}

}  // namespace hamlet::testing
