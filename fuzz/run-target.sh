#!/usr/bin/env bash
# Runs one built fuzz target for a while: its seeds (fuzz/corpus/TARGET, only read) and a
# working corpus under the build directory (where libFuzzer adds what it finds), crash inputs
# written to BUILD_DIR/artifacts/. Exit 0 when nothing was found, non-zero with the crash
# report otherwise. Used by CTest (fuzz.*) and scripts/fuzz.sh.
#
#   fuzz/run-target.sh BUILD_DIR TARGET SECONDS
set -euo pipefail
build=${1:?build directory of the fuzz project}
target=${2:?form, json, normalize or features}
seconds=${3:?seconds to run}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

binary="$build/fuzz_$target"
[[ -x "$binary" ]] || { echo "run-target.sh: $binary is not built" >&2; exit 1; }
mkdir -p "$build/corpus/$target" "$build/artifacts"
# -rss_limit_mb: the parsers take bodies of at most a few MB; more memory is a bug.
exec "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
  "$build/corpus/$target" "$here/corpus/$target"
