// `hamlet migrate` end to end, with the real binaries: an installation hamletd filled on SQLite
// moves to PostgreSQL, where a new hamletd accepts the old key and the CLI finds the moved
// decisions by text; then it moves back to a new SQLite file. The refusals (a destination
// that is not empty, the same database twice, an unknown URL scheme, an unreachable server, a
// missing file) come with clear errors and their exit codes. Skipped without PostgreSQL.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "support/e2e_http.h"
#include "support/hamletd_process.h"
#include "support/pg_cluster.h"
#include "support/skip.h"
#include "support/webhook_receiver.h"

namespace hamlet::testing {
namespace {

httplib::Result Check(const HamletdProcess& d, const std::string& key, const std::string& text) {
  return PostTo(d, "/1.1/comment-check",
                "api_key=" + key + "&blog=http%3A%2F%2Fexample.test%2F&user_ip=192.0.2.1" +
                    "&comment_author=viagra-test-123&comment_content=" + text);
}

CommandResult Migrate(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {HamletBinary(), "migrate"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

}  // namespace

TEST_SUITE("e2e/migrate") {
  TEST_CASE("an installation moves to PostgreSQL where hamletd takes the old key and back") {
    PgCluster& cluster = PgCluster::Shared();
    if (!cluster.ok()) HAMLET_SKIP(PgUnavailableMessage(cluster));
    HamletdProcess sqlite;
    auto checked = Check(sqlite, sqlite.key(), "zanzibarish+offer+for+you");
    REQUIRE(checked);
    REQUIRE(checked->status == 200);
    const std::string guid = checked->get_header_value("X-akismet-guid");
    REQUIRE(guid.size() == 32);
    REQUIRE(sqlite.Stop() == 0);
    const std::string db = sqlite.db_path();
    // A verdict given while no hamletd runs: its webhook event waits in the outbox, owed to
    // the site, and must be sent once, by the hamletd on the destination.
    WebhookReceiver receiver({200});
    auto set =
        sqlite.Hamlet({"sites", "set", "http://example.test/", "webhook_url=" + receiver.Url(),
                       "webhook_secret=whsec_0123456789abcdef"});
    REQUIRE_MESSAGE(set.exit_code == 0, set.err);
    auto marked = sqlite.Hamlet({"mark-spam", guid, "--moderator", "alice"});
    REQUIRE_MESSAGE(marked.exit_code == 0, marked.err);
    auto pending = sqlite.Hamlet({"webhooks", "list", "--state", "pending", "--json"});
    REQUIRE(nlohmann::json::parse(pending.out).size() == 1);
    // A model in the registry moves with its bytes: the destination's nodes take it up.
    auto published = sqlite.Hamlet({"models", "publish", E2eModelPath(), "--publisher", "ops@old"});
    REQUIRE_MESSAGE(published.exit_code == 0, published.err);
    const nlohmann::json models_before =
        nlohmann::json::parse(sqlite.Hamlet({"models", "list", "--json"}).out);
    REQUIRE(models_before.size() == 1);

    const std::string url = cluster.CreateDatabase();
    CommandResult moved = Migrate({"--from", db, "--to", url});
    INFO(moved.err);
    REQUIRE(moved.exit_code == 0);
    CHECK(moved.out.find("TABLE") != std::string::npos);
    CHECK(moved.out.find("decisions") != std::string::npos);
    CHECK(moved.out.find("MISMATCH") == std::string::npos);

    {
      HamletdProcess::Options options;
      options.db_path = url;
      options.create_key = false;
      HamletdProcess postgres(options);
      auto verified = PostTo(postgres, "/1.1/verify-key",
                             "key=" + sqlite.key() + "&blog=http%3A%2F%2Fexample.test%2F");
      REQUIRE(verified);
      CHECK(verified->body == "valid");
      auto again = Check(postgres, sqlite.key(), "a+second+comment");
      REQUIRE(again);
      CHECK(again->status == 200);
      CHECK(again->get_header_value("X-akismet-guid").size() == 32);
      CHECK(Check(postgres, "0123456789ab", "x")->body == "invalid");
      CommandResult found = RunCommand({HamletBinary(), "--store", url, "queue", "--text",
                                        "zanzibarish", "--verdict", "any", "--json"});
      REQUIRE(found.exit_code == 0);
      CHECK(found.out.find(guid) != std::string::npos);
      CHECK(found.out.find("a second comment") == std::string::npos);
      CommandResult shown = RunCommand({HamletBinary(), "--store", url, "show", guid, "--json"});
      REQUIRE(shown.exit_code == 0);
      CHECK(shown.out.find("alice") != std::string::npos);  // the moved feedback
      CommandResult models = RunCommand({HamletBinary(), "--store", url, "models", "list", "--json"});
      REQUIRE(models.exit_code == 0);
      CHECK(nlohmann::json::parse(models.out) == models_before);
      REQUIRE_MESSAGE(
          receiver.WaitFor([](const auto& got) { return !got.empty(); }, std::chrono::seconds(20)),
          postgres.Log());
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // nothing sent twice
      const auto got = receiver.Got();
      CHECK(got.size() == 1);
      CHECK(got.front().event_type == "decision.moderated");
      CHECK(got.front().body.find(guid) != std::string::npos);
      REQUIRE(postgres.Stop() == 0);
      CommandResult delivered = RunCommand(
          {HamletBinary(), "--store", url, "webhooks", "list", "--state", "delivered", "--json"});
      REQUIRE(delivered.exit_code == 0);
      CHECK(nlohmann::json::parse(delivered.out).size() == 1);
    }

    // Refusals.
    CommandResult full = Migrate({"--from", db, "--to", url});
    CHECK(full.exit_code == 2);
    CHECK(full.err.find("the destination is not empty (") != std::string::npos);
    CommandResult same = Migrate({"--from", db, "--to", sqlite.dir().path() + "/./hamlet.db"});
    CHECK(same.exit_code == 2);
    CHECK(same.err.find("name the same database") != std::string::npos);
    CommandResult scheme = Migrate({"--from", db, "--to", "mysql://hamlet@db/hamlet"});
    CHECK(scheme.exit_code == 2);
    CHECK(scheme.err.find("'mysql://...' is neither a postgresql:// URL nor a file") !=
          std::string::npos);
    CommandResult unreachable = Migrate(
        {"--from", db, "--to", "postgresql://hamlet:secret@/hamlet?host=/nonexistent-socket-dir"});
    CHECK(unreachable.exit_code == 4);
    CHECK(unreachable.err.find("secret") == std::string::npos);
    CommandResult missing = Migrate({"--from", sqlite.dir().path() + "/nope.db", "--to", url});
    CHECK(missing.exit_code == 3);
    CHECK(missing.err.find("nope.db': no such file") != std::string::npos);
    CommandResult usage = Migrate({"--from", db});
    CHECK(usage.exit_code == 2);

    // And back, to a new SQLite file, with the report as JSON.
    const std::string back = sqlite.dir().path() + "/back.db";
    CommandResult home = Migrate({"--from", url, "--to", back, "--json", "--batch", "1"});
    INFO(home.err);
    REQUIRE(home.exit_code == 0);
    const nlohmann::json report = nlohmann::json::parse(home.out);
    CHECK(report["ok"] == true);
    REQUIRE(report["tables"].size() == 10);
    for (const auto& t : report["tables"]) {
      CAPTURE(t.dump());
      CHECK(t["ok"] == true);
      CHECK(t["source"] == t["destination"]);
    }
    CHECK(report["tables"][5]["table"] == "decisions");
    CHECK(report["tables"][5]["destination"] == 2);
    CHECK(report["tables"][8]["table"] == "published_models");
    CHECK(report["tables"][8]["destination"] == 1);
    CommandResult there = RunCommand({HamletBinary(), "--db", back, "show", guid, "--json"});
    CHECK(there.exit_code == 0);
    CHECK(there.out.find("alice") != std::string::npos);
  }

  TEST_CASE("hamlet migrate --help shows an example") {
    CommandResult help = Migrate({"--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("Example: hamlet migrate --from hamlet.db --to postgresql://") !=
          std::string::npos);
  }
}

}  // namespace hamlet::testing
