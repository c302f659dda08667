// Requests, metrics samples and polling for the end-to-end tests.
#include "support/e2e_http.h"

#include <doctest/doctest.h>

#include <thread>

#include "store/open_store.h"
#include "store/postgres_store.h"
#include "support/sqlite_probe.h"

namespace hamlet::testing {
namespace {

httplib::Client ClientFor(const HamletdProcess& d) {
  httplib::Client c(d.host(), d.port());
  c.set_read_timeout(std::chrono::seconds(15));
  return c;
}

}  // namespace

httplib::Result PostTo(const HamletdProcess& d, const std::string& path, const std::string& body,
                       const std::string& content_type, const httplib::Headers& headers) {
  return ClientFor(d).Post(path.c_str(), headers, body, content_type.c_str());
}

httplib::Result GetFrom(const HamletdProcess& d, const std::string& path,
                        const httplib::Headers& headers) {
  return ClientFor(d).Get(path.c_str(), headers);
}

double MetricValue(const HamletdProcess& d, const std::string& sample) {
  auto r = GetFrom(d, "/metrics");
  if (!r || r->status != 200) return -1;
  const size_t at = ("\n" + r->body).find("\n" + sample + " ");
  if (at == std::string::npos) return -1;
  return std::stod(r->body.substr(at + sample.size() + 1));
}

int64_t StoredDecisions(const HamletdProcess& d) {
  if (store::IsPostgresUrl(d.db_path())) {
    // Counted through a store of the test's own on the same database.
    auto store = store::OpenStore(d.db_path());
    REQUIRE_MESSAGE(store.has_value(), (store ? "" : store.error().ToString()));
    auto count = (*store)->CountMatchingDecisions(store::DecisionFilter{});
    REQUIRE(count.has_value());
    return *count;
  }
  return QueryIntForTesting(d.db_path(), "SELECT count(*) FROM decisions");
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll, not a sync
  }
  return true;
}

}  // namespace hamlet::testing
