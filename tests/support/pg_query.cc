// PgQuery over a short-lived libpq connection; PgOpenTransaction over a connection it keeps.
#include "support/pg_query.h"

#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <memory>

namespace hamlet::testing {

std::vector<std::vector<std::string>> PgQuery(const std::string& url, const std::string& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
  REQUIRE_MESSAGE(PQstatus(conn.get()) == CONNECTION_OK,
                  "PgQuery: cannot connect: " << std::string(PQerrorMessage(conn.get())));
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(res.get());
  REQUIRE_MESSAGE((status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK),
                  "PgQuery: " << sql << ": " << std::string(PQerrorMessage(conn.get())));
  std::vector<std::vector<std::string>> rows(PQntuples(res.get()));
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    for (int c = 0; c < PQnfields(res.get()); ++c) {
      rows[r].emplace_back(PQgetvalue(res.get(), r, c));
    }
  }
  return rows;
}

PgOpenTransaction::PgOpenTransaction(const std::string& url, const std::string& sql)
    : conn_(PQconnectdb(url.c_str())) {
  REQUIRE_MESSAGE(PQstatus(conn_) == CONNECTION_OK,
                  "PgOpenTransaction: cannot connect: " << std::string(PQerrorMessage(conn_)));
  for (const std::string& statement : {std::string("BEGIN"), sql}) {
    std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn_, statement.c_str()), &PQclear);
    const ExecStatusType status = PQresultStatus(res.get());
    REQUIRE_MESSAGE(
        (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK),
        "PgOpenTransaction: " << statement << ": " << std::string(PQerrorMessage(conn_)));
  }
}

PgOpenTransaction::~PgOpenTransaction() { Release(); }

void PgOpenTransaction::Release() {
  if (conn_ == nullptr) return;
  PQfinish(conn_);  // the server rolls the transaction back and lets go of its locks
  conn_ = nullptr;
}

}  // namespace hamlet::testing
