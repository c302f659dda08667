// PgCluster: initdb into a temporary folder, pg_ctl start with the socket there and TCP off,
// pg_ctl stop and remove the folder at exit. As root, postgres refuses to run, so the programs
// run as the `postgres` system user (Debian's package creates it) through runuser.
#include "support/pg_cluster.h"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace hamlet::testing {
namespace {

// The newest installed PostgreSQL's programs ($HAMLET_PG_BINDIR overrides), or "".
std::string FindBinDir() {
  if (const char* env = std::getenv("HAMLET_PG_BINDIR"); env != nullptr && *env != '\0') {
    const std::string bin = env;
    return ::access((bin + "/initdb").c_str(), X_OK) == 0 ? bin : "";
  }
  std::string best;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    const std::string bin = entry.path().string() + "/bin";
    if (::access((bin + "/initdb").c_str(), X_OK) == 0 &&
        ::access((bin + "/pg_ctl").c_str(), X_OK) == 0 && bin > best) {
      best = bin;
    }
  }
  return best;
}

// The last lines of a log file (the folder holding it is removed at exit), for a skip message.
std::string LogTail(const std::string& path) {
  std::ifstream in(path);
  std::string line, tail;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  for (size_t i = lines.size() > 3 ? lines.size() - 3 : 0; i < lines.size(); ++i) {
    tail += (tail.empty() ? "" : " | ") + lines[i];
  }
  return tail.empty() ? "no log" : tail;
}

}  // namespace

PgCluster& PgCluster::Shared() {
  // Deliberately a function-local static: destroyed (server stopped) at process exit.
  static PgCluster cluster;
  return cluster;
}

std::unique_ptr<PgCluster> PgCluster::Private() {
  return std::unique_ptr<PgCluster>(new PgCluster());  // the constructor is private
}

PgCluster::PgCluster() {
  bindir_ = FindBinDir();
  if (bindir_.empty()) {
    why_ =
        "PostgreSQL's initdb and pg_ctl were not found under /usr/lib/postgresql/*/bin"
        " (or $HAMLET_PG_BINDIR)";
    return;
  }
  std::string tmpl = "/tmp/hamlet-pg-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    why_ = "mkdtemp failed";
    return;
  }
  dir_ = tmpl;
  if (::geteuid() == 0) {
    as_postgres_user_ = true;
    if (std::system(("chown postgres: '" + dir_ + "' 2>/dev/null").c_str()) != 0) {
      why_ = "running as root and there is no `postgres` user to run the server as";
      return;
    }
  }
  // A watchdog for a test process that dies without running destructors (a crash, CTest's
  // timeout kill), started before anything runs: once this process is gone it stops the
  // server, if one runs, and removes the folder.
  std::string stop = "'" + bindir_ + "/pg_ctl' -D '" + dir_ + "/data' -m immediate -w stop";
  if (as_postgres_user_) stop = "runuser -u postgres -- " + stop;
  const std::string watchdog = "(while kill -0 " + std::to_string(::getpid()) +
                               " 2>/dev/null; do sleep 2; done; " + stop + "; rm -rf '" + dir_ +
                               "') >/dev/null 2>&1 </dev/null &";
  (void)std::system(watchdog.c_str());
  // --no-sync and fsync=off: a throw-away cluster needs no durability against power loss (the
  // store's own commit path is the same either way).
  if (!RunAsOwner("initdb", "-D '" + dir_ +
                                "/data' -A trust -U postgres -E UTF8 --no-locale"
                                " --no-sync >'" +
                                dir_ + "/initdb.log' 2>&1")) {
    why_ = "initdb failed: " + LogTail(dir_ + "/initdb.log");
    return;
  }
  if (!Start()) {
    why_ = "pg_ctl start failed: " + LogTail(dir_ + "/server.log");
    return;
  }
  ok_ = true;
}

PgCluster::~PgCluster() {
  if (dir_.empty()) return;
  if (ok_)
    (void)RunAsOwner("pg_ctl", "-D '" + dir_ + "/data' -m immediate -w stop >/dev/null 2>&1");
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool PgCluster::RunAsOwner(const std::string& program, const std::string& args) const {
  std::string cmd = "'" + bindir_ + "/" + program + "' " + args;
  if (as_postgres_user_) cmd = "runuser -u postgres -- " + cmd;
  return std::system(cmd.c_str()) == 0;
}

bool PgCluster::Start() {
  const std::string options = "-c listen_addresses='' -c unix_socket_directories='" + dir_ +
                              "' -c fsync=off -c max_connections=200";
  return RunAsOwner("pg_ctl", "-D '" + dir_ + "/data' -o \"" + options + "\" -w -t 60 -l '" + dir_ +
                                  "/server.log' start >/dev/null 2>&1");
}

bool PgCluster::Stop() {
  return RunAsOwner("pg_ctl", "-D '" + dir_ + "/data' -m fast -w stop >/dev/null 2>&1");
}

bool PgCluster::Restart() { return Stop() && Start(); }

std::string PgCluster::Url(const std::string& database) const {
  return "postgresql:///" + database + "?host=" + dir_ + "&user=postgres";
}

std::string PgCluster::CreateDatabase() {
  REQUIRE_MESSAGE(ok_, why_);
  static std::mutex mu;
  std::lock_guard lock(mu);
  const std::string name =
      "hamlet_test_" + std::to_string(::getpid()) + "_" + std::to_string(++next_database_);
  const bool created =
      RunAsOwner("createdb", "-h '" + dir_ + "' -U postgres " + name + " >/dev/null 2>&1");
  REQUIRE_MESSAGE(created, "createdb " << name << " failed");
  return Url(name);
}

std::string PgUnavailableMessage(const PgCluster& cluster) {
  return "no PostgreSQL cluster for this test: " + cluster.why() +
         " (install postgresql-15: bash scripts/install-deps.sh --test)";
}

}  // namespace hamlet::testing
