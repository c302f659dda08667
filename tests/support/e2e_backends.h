// Running an end-to-end test case once per store backend: TEST_CASE_TEMPLATE("...", Backend,
// SqliteBackend, PostgresBackend) with HAMLET_E2E_OPTIONS(options, Backend), then
// HamletdProcess d(options). For PostgreSQL the options name a new database in the test
// process's throw-away cluster (hamletd and hamlet get --store); the case skips without one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "support/hamletd_process.h"
#include "support/skip.h"
#include "support/store_backends.h"

namespace hamlet::testing {

// Points `options` at a fresh database of `backend` ("sqlite": the default file; "postgresql":
// a new database). False, with `why`, when that backend is not available here.
bool PrepareE2eBackend(std::string_view backend, HamletdProcess::Options& options,
                       std::string& why);

// The integer in the first column of the first row of `sql` (SQL both backends read alike,
// e.g. "SELECT count(*) FROM feedback"), run on hamletd's database through a connection of
// the test's own. Fails the test on any error.
int64_t QueryStoredInt(const HamletdProcess& d, const std::string& sql);

}  // namespace hamlet::testing

#define HAMLET_E2E_OPTIONS(var, Backend)                                     \
  ::hamlet::testing::HamletdProcess::Options var;                            \
  if (std::string why_##var;                                                 \
      !::hamlet::testing::PrepareE2eBackend(Backend::kName, var, why_##var)) \
  HAMLET_SKIP(why_##var)
