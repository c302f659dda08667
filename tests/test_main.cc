// The doctest main shared by the unit and end-to-end test binaries.
//
// CTest runs each TEST_CASE as `--test-case=NAME`. A name that the filter cannot match (CMake
// splits discovered names at ';' and mangles '[') would run nothing
// and exit 0, so a test that never ran would count as passed. This main fails such a run.
// A run whose every test case skipped itself (HAMLET_SKIP, support/skip.h) exits 77, CTest's
// SKIP_RETURN_CODE.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>

#include "support/skip.h"

namespace {

struct RunStats {
  bool ended = false;
  unsigned cases_run = 0;  // test cases that passed the filters
};
RunStats g_run;

// Only records how many test cases a run selected; doctest's own reporter prints the rest.
struct RunCounter : doctest::IReporter {
  explicit RunCounter(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    g_run.ended = true;
    g_run.cases_run = stats.numTestCasesPassingFilters;
  }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("run_counter", 1, RunCounter);

}  // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit()) return result;  // --help, --list-test-cases and the like
  if (result == 0 && g_run.ended && g_run.cases_run == 0) {
    std::fprintf(stderr,
                 "test_main: no test case matched the filters; a test name with ';' or '[' "
                 "cannot be selected by CTest: rename it\n");
    return 1;
  }
  if (result == 0 && g_run.ended && g_run.cases_run > 0 &&
      hamlet::testing::SkippedCount() == g_run.cases_run) {
    return 77;
  }
  return result;
}
