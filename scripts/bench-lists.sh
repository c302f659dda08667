#!/usr/bin/env bash
# Micro-benchmark of the allow/block list and author checks with operator lists of realistic
# size (1,639 entries, --regexes N of them regexes) against Filter::Score's whole path, mean
# microseconds per comment over our comments under data/. Timings on a busy machine are noisy:
# with --callgrind it runs once under valgrind and prints instruction counts per comment instead
# (repeatable).
#
#   bash scripts/bench-lists.sh [--regexes N] [--repeat N] [--callgrind]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

args="$*"
regexes=20 repeat=20 callgrind=0
while (($#)); do
  case "$1" in
    --regexes) regexes=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-lists.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target hamlet_bench_lists >/dev/null
data=()
for f in data/*.jsonl data/heldout/*.jsonl; do data+=(--data "$f"); done
echo "commit $(git rev-parse --short HEAD), $(nproc) cores; command: bash scripts/bench-lists.sh $args"
if ((callgrind)); then
  out=$(mktemp)
  trap 'rm -f "$out"' EXIT
  valgrind --tool=callgrind --callgrind-out-file="$out" build/tests/hamlet_bench_lists \
    "${data[@]}" --regexes "$regexes" --repeat 1 models/hamlet-default.ftz >/dev/null 2>&1
  comments=$(cat data/*.jsonl data/heldout/*.jsonl | grep -c .)
  echo "instructions per comment (callgrind, inclusive), $comments comments:"
  callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null |
    grep -E 'signals::CheckLists\(|signals::CheckAuthor\(|engine::Filter::Score\(' |
    awk -v n="$comments" '{gsub(",", "", $1); name=$0; sub(/.*\?\?\?:hamlet::/, "", name); sub(/\(.*/, "", name); printf "  %-24s %10.0f\n", name, $1 / n}'
else
  build/tests/hamlet_bench_lists "${data[@]}" --regexes "$regexes" --repeat "$repeat" \
    models/hamlet-default.ftz
fi
