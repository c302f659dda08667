// PgQuery over a short-lived libpq connection.
#include "support/pg_query.h"

#include <doctest/doctest.h>
#include <libpq-fe.h>

#include <memory>

namespace hamlet::testing {

std::vector<std::vector<std::string>> PgQuery(const std::string& url, const std::string& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
  REQUIRE_MESSAGE(PQstatus(conn.get()) == CONNECTION_OK,
                  "PgQuery: cannot connect: " << PQerrorMessage(conn.get()));
  std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(res.get());
  REQUIRE_MESSAGE((status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK),
                  "PgQuery: " << sql << ": " << PQerrorMessage(conn.get()));
  std::vector<std::vector<std::string>> rows(PQntuples(res.get()));
  for (int r = 0; r < PQntuples(res.get()); ++r) {
    for (int c = 0; c < PQnfields(res.get()); ++c) {
      rows[r].emplace_back(PQgetvalue(res.get(), r, c));
    }
  }
  return rows;
}

}  // namespace hamlet::testing
