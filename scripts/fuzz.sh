#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, with clang++ and ASan/UBSan, in build-fuzz/) and runs
# each for a while: form bodies, JSON bodies, the normalizer, the field features. The test
# suite runs each for 5 s (CTest fuzz.*); this is the longer run. Crash inputs land in
# build-fuzz/artifacts/; reproduce one with build-fuzz/fuzz_TARGET FILE.
#
#   bash scripts/fuzz.sh [--seconds N] [TARGET...]    (default: 300 s each, all four targets)
# Needs clang and libFuzzer: bash scripts/install-deps.sh --test
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=300
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    form | json | normalize | features) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
((${#targets[@]})) || targets=(form json normalize features)

clang=$(command -v clang++-14 || command -v clang++ || true)
[[ -n "$clang" ]] || { echo "fuzz.sh: clang++ is missing; run: bash scripts/install-deps.sh --test" >&2; exit 1; }
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S fuzz -B build-fuzz -DCMAKE_CXX_COMPILER="$clang" "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j2

status=0
for t in "${targets[@]}"; do
  echo "== fuzz_$t for ${seconds}s"
  if ! fuzz/run-target.sh build-fuzz "$t" "$seconds" 2>"build-fuzz/$t.log"; then
    status=1
    tail -n 40 "build-fuzz/$t.log"
    echo "fuzz.sh: fuzz_$t found a problem; inputs in build-fuzz/artifacts/" >&2
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|cov: ' \
    "build-fuzz/$t.log" | tail -n 4
done
exit "$status"
