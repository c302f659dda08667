#!/usr/bin/env bash
# Builds hamlet with AddressSanitizer + UndefinedBehaviorSanitizer (Debug, in build-asan/) and
# runs the whole test suite against it; the first sanitizer report fails the run (in hamletd
# too: each end-to-end test reads its hamletd's log for reports). The fuzz targets carry
# their own sanitizers: scripts/fuzz.sh.
#
#   bash scripts/sanitize.sh            (run scripts/install-deps.sh --test first on a new machine)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHAMLET_SANITIZE=address,undefined \
  -DHAMLET_FUZZ=OFF
cmake --build build-asan -j2

export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:print_stacktrace=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
status=0
ctest --test-dir build-asan --output-on-failure -j2 --no-tests=error || status=$?
exit "$status"
