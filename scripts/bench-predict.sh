#!/usr/bin/env bash
# Micro-benchmark of the scoring path without the store (text::Normalize, text::ModelInput,
# Filter::Score) per comment, median and p99 in microseconds, for the shipped model and, with
# --compare REV, the shipped model of git revision REV in the same run (for their ratio).
#
#   bash scripts/bench-predict.sh [--compare REV] [--repeat N] [MODEL ...]
#
# Comments: our own under data/ (data/*.jsonl and data/heldout/), so it runs without
# ../shared. Builds build/tests/hamlet_bench_predict (Release) first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

args="$*"
compare="" repeat=20 models=()
while (($#)); do
  case "$1" in
    --compare) compare=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench-predict.sh: unknown option '$1'" >&2; exit 2 ;;
    *) models+=("$1"); shift ;;
  esac
done
((${#models[@]})) || models=(models/hamlet-default.ftz)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ -n "$compare" ]]; then
  # The model and its sidecar as they were at REV, under a name that says so.
  git show "$compare:models/hamlet-default.ftz" >"$tmp/at-$compare.ftz"
  git show "$compare:models/hamlet-default.json" >"$tmp/at-$compare.json" 2>/dev/null || rm -f "$tmp/at-$compare.json"
  models+=("$tmp/at-$compare.ftz")
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target hamlet_bench_predict >/dev/null
data=()
for f in data/*.jsonl data/heldout/*.jsonl; do data+=(--data "$f"); done
echo "commit $(git rev-parse --short HEAD), $(nproc) cores; command: bash scripts/bench-predict.sh $args"
build/tests/hamlet_bench_predict "${data[@]}" --repeat "$repeat" "${models[@]}"
