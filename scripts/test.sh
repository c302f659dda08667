#!/usr/bin/env bash
# Installs what is missing (including the test-only packages), builds, and runs the whole
# test suite: layer check, unit tests, end-to-end tests against the real hamletd, and the
# third-party Akismet clients. Exits with ctest's status. Works from any directory.
#
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh --test
bash scripts/build.sh
# scripts/check-layers.sh runs inside ctest too (layers.check_includes).
status=0
ctest --test-dir build --output-on-failure -j2 --no-tests=error || status=$?
exit "$status"
