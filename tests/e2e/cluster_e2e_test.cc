// Three hamletd nodes on one PostgreSQL database behind Debian's nginx, under concurrent
// comment-checks: every answer is a stored decision, exactly once, when all is well, when a
// node is killed with SIGKILL mid-load, and when PostgreSQL restarts mid-load. Skipped when
// PostgreSQL or nginx is not installed.
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/check_load.h"
#include "support/e2e_http.h"
#include "support/hamletd_process.h"
#include "support/nginx_balancer.h"
#include "support/pg_cluster.h"
#include "support/pg_query.h"
#include "support/skip.h"

namespace hamlet::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kNodes = 3;
constexpr int kClients = 8;

// The nodes on one new database; the first one creates the site key.
std::vector<std::unique_ptr<HamletdProcess>> StartNodes(const std::string& url) {
  std::vector<std::unique_ptr<HamletdProcess>> nodes;
  for (int i = 0; i < kNodes; ++i) {
    HamletdProcess::Options options;
    options.db_path = url;
    options.create_key = i == 0;
    options.log_level = "warn";
    // Behind nginx every check comes from one address: per-node limits would throttle it.
    options.extra_args = {"--rate-limit-ip", "0", "--rate-limit-key", "0"};
    nodes.push_back(std::make_unique<HamletdProcess>(options));
  }
  return nodes;
}

std::vector<int> Ports(const std::vector<std::unique_ptr<HamletdProcess>>& nodes) {
  std::vector<int> ports;
  for (const auto& n : nodes) ports.push_back(n->port());
  return ports;
}

// Verdicts one node has answered (its /metrics); -1 when it does not answer.
double VerdictsOf(const HamletdProcess& d) {
  double sum = 0;
  for (const char* verdict : {"ham", "spam", "discard"}) {
    const double v = MetricValue(
        d, std::string("hamlet_verdicts_total{verdict=\"") + verdict + "\",channel=\"akismet\"}");
    if (v < 0) return -1;
    sum += v;
  }
  return sum;
}

// What the decisions table holds: comment_author (the check's marker) -> the ids stored for it.
std::map<std::string, std::vector<std::string>> StoredByMarker(const std::string& url) {
  std::map<std::string, std::vector<std::string>> by_marker;
  for (const auto& row : PgQuery(url, "SELECT comment_author, id FROM decisions")) {
    by_marker[row[0]].push_back(row[1]);
  }
  return by_marker;
}

// The exactly-once property: every verdict a client received is stored once, under the guid it
// was answered with, and no check (marker) was stored twice (nginx retried no check a node had
// received). Returns the number of stored decisions.
size_t CheckAnsweredStoredOnce(const std::string& url, const std::vector<CheckOutcome>& outcomes) {
  const auto stored = StoredByMarker(url);
  size_t rows = 0;
  for (const auto& [marker, ids] : stored) {
    rows += ids.size();
    CHECK_MESSAGE(ids.size() == 1, "check " << marker << " stored " << ids.size() << " times");
  }
  std::set<std::string> guids;
  for (const auto& o : outcomes) {
    if (o.status != 200) continue;
    CHECK_MESSAGE(guids.insert(o.guid).second, "guid " << o.guid << " answered twice");
    auto it = stored.find(o.marker);
    CHECK_MESSAGE(it != stored.end(), "answered check " << o.marker << " is not stored");
    if (it != stored.end()) CHECK(it->second.front() == o.guid);
  }
  return rows;
}

// Three nodes on a new database of `pg`, and nginx in front of them.
struct Cluster {
  explicit Cluster(PgCluster& pg)
      : url(pg.CreateDatabase()), nodes(StartNodes(url)), lb(Ports(nodes)) {
    REQUIRE_MESSAGE(lb.ok(), lb.why());
  }
  // Clients sending checks through nginx until stopped.
  std::unique_ptr<CheckLoad> StartLoad(int max_per_client = 0) const {
    return std::make_unique<CheckLoad>(lb.host(), lb.port(), nodes[0]->key(), kClients,
                                       max_per_client);
  }

  std::string url;
  std::vector<std::unique_ptr<HamletdProcess>> nodes;
  NginxBalancer lb;
};

// Waits (up to 30 s) until `load` has `n` answers 200 in all.
bool AnsweredAtLeast(const CheckLoad& load, size_t n) {
  return WaitUntil([&] { return load.Answered() >= n; }, std::chrono::seconds(30));
}

#define HAMLET_REQUIRE_CLUSTER_TOOLS()                           \
  PgCluster& cluster = PgCluster::Shared();                      \
  if (!cluster.ok()) HAMLET_SKIP(PgUnavailableMessage(cluster)); \
  if (FindNginx().empty()) HAMLET_SKIP(NginxUnavailableMessage())

}  // namespace

TEST_SUITE("e2e/cluster") {
  TEST_CASE("three nodes behind nginx answer every check under load and store each once") {
    HAMLET_REQUIRE_CLUSTER_TOOLS();
    Cluster c(cluster);
    auto load = c.StartLoad(/*max_per_client=*/60);
    load->Join();
    const auto outcomes = load->Outcomes();
    REQUIRE(outcomes.size() == kClients * 60);
    for (const auto& o : outcomes) {
      CHECK_MESSAGE(IsVerdict(o), o.marker << ": status " << o.status << " body '" << o.body
                                           << "' guid '" << o.guid << "'");
    }
    CHECK(CheckAnsweredStoredOnce(c.url, outcomes) == outcomes.size());
    // nginx spread the checks: every node answered a share.
    for (const auto& n : c.nodes) CHECK(VerdictsOf(*n) >= 20);
  }

  TEST_CASE("a node killed with SIGKILL mid-load loses no answered decision and the others go on") {
    HAMLET_REQUIRE_CLUSTER_TOOLS();
    Cluster c(cluster);
    auto load = c.StartLoad();
    REQUIRE(AnsweredAtLeast(*load, 150));
    ::kill(c.nodes[1]->pid(), SIGKILL);
    const auto killed_at = Clock::now();
    REQUIRE(AnsweredAtLeast(*load, load->Answered() + 300));
    load->Stop();
    const auto outcomes = load->Outcomes();

    size_t failed = 0, after_kill = 0;
    for (const auto& o : outcomes) {
      if (o.status == 200) {
        CHECK_MESSAGE(IsVerdict(o),
                      o.marker << ": body '" << o.body << "' guid '" << o.guid << "'");
        after_kill += o.answered_at > killed_at;
      } else {
        // Only the checks the killed node had received fail: nginx answers them 502 (it does
        // not resend a POST a node has received) and the client would retry.
        CHECK_MESSAGE(o.status == 502,
                      o.marker << ": status " << o.status << " body '" << o.body << "'");
        ++failed;
      }
    }
    MESSAGE(outcomes.size() << " checks, " << failed
                            << " answered 502 (in flight on the killed node)");
    CHECK(failed <= kClients);  // at most one check in flight per client
    CHECK(after_kill >= 300);
    const size_t rows = CheckAnsweredStoredOnce(c.url, outcomes);
    // A check the node committed just before it died is stored but was never answered.
    CHECK(rows >= outcomes.size() - failed);
    CHECK(rows <= outcomes.size());
    // The survivors both kept answering.
    CHECK(VerdictsOf(*c.nodes[0]) > 0);
    CHECK(VerdictsOf(*c.nodes[2]) > 0);
  }

  TEST_CASE(
      "PostgreSQL restarted mid-load: nodes recover by themselves and no verdict goes unstored") {
    HAMLET_REQUIRE_CLUSTER_TOOLS();
    Cluster c(cluster);
    auto load = c.StartLoad();
    REQUIRE(AnsweredAtLeast(*load, 150));
    REQUIRE(cluster.Restart());
    // Every node becomes ready again on its own (no node is restarted).
    for (const auto& n : c.nodes) {
      CHECK(WaitUntil(
          [&] {
            auto ready = GetFrom(*n, "/readyz");
            return ready && ready->status == 200;
          },
          std::chrono::seconds(20)));
    }
    std::vector<double> before;
    for (const auto& n : c.nodes) before.push_back(VerdictsOf(*n));
    REQUIRE(AnsweredAtLeast(*load, load->Answered() + 300));
    load->Stop();
    const auto outcomes = load->Outcomes();

    size_t refused = 0;
    for (const auto& o : outcomes) {
      if (o.status == 200) {
        CHECK_MESSAGE(IsVerdict(o),
                      o.marker << ": body '" << o.body << "' guid '" << o.guid << "'");
      } else {
        // During the outage: a clear error, never a verdict.
        CHECK_MESSAGE((o.status == 503 && o.body == "unavailable"),
                      o.marker << ": status " << o.status << " body '" << o.body << "'");
        ++refused;
      }
    }
    MESSAGE(outcomes.size() << " checks, " << refused << " answered 503 during the restart");
    const size_t rows = CheckAnsweredStoredOnce(c.url, outcomes);
    CHECK(rows >= outcomes.size() - refused);
    // A 503 means the batch's commit failed, so normally nothing of it is stored; a commit
    // whose acknowledgement was lost to the restart may be stored all the same.
    CHECK(rows <= outcomes.size());
    // After the restart every node answered checks again.
    for (size_t i = 0; i < c.nodes.size(); ++i) CHECK(VerdictsOf(*c.nodes[i]) > before[i]);
  }
}

}  // namespace hamlet::testing
