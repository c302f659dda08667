// PgCluster: a throw-away PostgreSQL cluster for tests, made with initdb and run with pg_ctl on
// a Unix socket in a temporary folder (no TCP port), one per test process, removed at exit.
// Tests that need it skip (HAMLET_SKIP) when Debian's postgresql-15 is not installed.
#pragma once

#include <memory>
#include <string>

namespace hamlet::testing {

class PgCluster {
 public:
  // The process's cluster, created and started on first use (about a second), stopped and
  // deleted when the process exits. Never null; check ok() before use.
  static PgCluster& Shared();
  // A cluster of the caller's own (another initdb, about a second), for tests that stop or
  // break the server while other cases in the process use the shared one. Stopped and deleted
  // when destroyed. Never null; check ok() before use.
  static std::unique_ptr<PgCluster> Private();

  // False when the cluster could not be started; why() then says what is missing or failed
  // (for the skip message).
  bool ok() const { return ok_; }
  const std::string& why() const { return why_; }
  // The folder holding the socket (the `host` of a connection string).
  const std::string& socket_dir() const { return dir_; }

  // A new, empty database in this cluster, named uniquely in this process; returns its
  // connection string (postgresql:///NAME?host=DIR&user=postgres). Fails the test on error.
  std::string CreateDatabase();
  // A connection string for an existing database of this cluster.
  std::string Url(const std::string& database) const;

  // Stops the server (fast shutdown: connections are cut) and starts it again on the same
  // socket, for reconnect tests. True when it is up again.
  bool Restart();
  // Stops it, leaving it down (for tests of an unreachable server); Start() brings it back.
  bool Stop();
  bool Start();

  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

 private:
  PgCluster();
  // Runs a PostgreSQL program from bindir_ as the cluster's owner; true when it exits 0.
  bool RunAsOwner(const std::string& program, const std::string& args) const;

  bool ok_ = false;
  std::string why_;
  std::string bindir_;             // e.g. /usr/lib/postgresql/15/bin
  std::string dir_;                // the temporary folder: data/ and the socket
  bool as_postgres_user_ = false;  // running as root: programs run as `postgres` via runuser
  int next_database_ = 0;
};

// The message to skip with when no cluster can be had: names the package to install.
std::string PgUnavailableMessage(const PgCluster& cluster);

}  // namespace hamlet::testing
