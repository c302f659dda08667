#!/usr/bin/env bash
# Builds hamlet with ThreadSanitizer (Debug, in build-tsan/) and runs the unit test suites that
# race threads against each other (model holder, connection manager, group commit, store),
# then the end-to-end tests: the real hamletd under concurrent load (clients on more
# connections than workers, checks during model reloads, feedback, metrics scrapes, slow
# clients, a graceful stop with checks in flight) and the third-party clients. A data race
# reported by hamletd fails the test that started it (tests/support/hamletd_process.cc reads
# each hamletd's log for sanitizer reports); ctest --output-on-failure prints the report.
#
#   bash scripts/tsan.sh [extra ctest arguments, e.g. -R concurrency]
# (run scripts/install-deps.sh --test first on a new machine)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DHAMLET_SANITIZE=thread -DHAMLET_FUZZ=OFF \
  "${launcher[@]}"
cmake --build build-tsan -j2

# halt_on_error=0: report every race and keep serving; exitcode 66 at exit marks the run.
export TSAN_OPTIONS="halt_on_error=0:exitcode=66:second_deadlock_stack=1:history_size=4"
status=0
# The unit test suites that run threads against each other (exit 66 on a race fails them).
build-tsan/tests/hamlet_unit_tests \
  --test-suite='engine/model_holder,http/connection_manager,store/group_commit,store/sqlite_store,core/histogram,core/shared_snapshot' ||
  status=$?
# The WordPress test drives hamletd lightly through PHP; it is left to scripts/test.sh.
ctest --test-dir build-tsan -L e2e -E '^wordpress' --output-on-failure -j1 --no-tests=error \
  "$@" || status=$?
exit "$status"
