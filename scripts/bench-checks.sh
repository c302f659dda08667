#!/usr/bin/env bash
# The whole check path with every check on and a warm memory, against the classifier-only
# path, per comment (median and p99 in microseconds, and their ratio), in one run. With
# --callgrind, the same under valgrind's callgrind: instruction counts of each path, which
# the load of other processes does not disturb.
#
#   bash scripts/bench-checks.sh [--callgrind] [--repeat N] [--warm N] [MODEL]
#
# Comments: our own under data/ (data/*.jsonl and data/heldout/), so it runs without
# ../shared. Builds build/tests/hamlet_bench_checks (Release) first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

args="$*"
callgrind=0 repeat=20 warm=5000 model=models/hamlet-default.ftz
while (($#)); do
  case "$1" in
    --callgrind) callgrind=1; shift ;;
    --repeat) repeat=$2; shift 2 ;;
    --warm) warm=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "bench-checks.sh: unknown option '$1'" >&2; exit 2 ;;
    *) model=$1; shift ;;
  esac
done

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target hamlet_bench_checks >/dev/null
data=()
for f in data/*.jsonl data/heldout/*.jsonl; do data+=(--data "$f"); done
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); command: bash scripts/bench-checks.sh $args"
if ((callgrind == 0)); then
  build/tests/hamlet_bench_checks "${data[@]}" --repeat "$repeat" --warm "$warm" "$model"
  exit 0
fi

command -v valgrind >/dev/null || { echo "bench-checks.sh: --callgrind needs valgrind" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
valgrind --tool=callgrind --callgrind-out-file="$tmp/out" \
  build/tests/hamlet_bench_checks "${data[@]}" --warm "$warm" --callgrind "$model" 2>"$tmp/log" >"$tmp/stdout" ||
  { cat "$tmp/log" >&2; exit 1; }
head -1 "$tmp/stdout"
# Inclusive instruction counts of the two pass functions (the whole path under each).
callgrind_annotate --inclusive=yes "$tmp/out" 2>/dev/null |
  awk '/ClassifierOnlyPass/ && !only { gsub(",", "", $1); only = $1 }
       /EveryCheckPass/ && !every { gsub(",", "", $1); every = $1 }
       END {
         if (!only || !every) { print "bench-checks.sh: pass functions not found in the profile" > "/dev/stderr"; exit 1 }
         printf "\n| path | instructions (all comments) |\n|---|---|\n"
         printf "| classifier only | %d |\n| every check, warm memory | %d |\n| ratio | %.2f |\n", only, every, every / only
       }'
