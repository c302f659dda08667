#!/usr/bin/env bash
# Configures and builds hamlet in Release mode; the binaries end up at build/hamletd and
# build/hamlet. Works from any directory.
#
#   bash scripts/build.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2
