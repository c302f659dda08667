#!/usr/bin/env bash
# Store write throughput with group commit: build/tests/hamlet_bench_store appends decisions
# (the comments under data/) from 1, 4, 16 and 64 threads to a fresh SQLite database in a
# temporary folder on this disk (WAL, synchronous=FULL), and prints rows/s, commits/s, rows
# per commit and KB written per row. Then one 16-thread run under strace counts the real fsync/fdatasync calls.
# With --compare REV, the same benchmark built from git revision REV's store runs first, in
# the same run, for a before/after ratio.
#
#   bash scripts/bench-store.sh [--compare REV] [--seconds D]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/bench-common.sh

compare="" seconds=5
while (($#)); do
  case "$1" in
    --compare) compare=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-store.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

[[ -f build/CMakeCache.txt ]] || cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target hamlet_bench_store >/dev/null
work=$(mktemp -d "${TMPDIR:-/var/tmp}/bench-store.XXXXXX")
cleanup() {
  [[ -n "${old_tree:-}" ]] && git worktree remove --force "$old_tree" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
data=()
for f in data/*.jsonl data/heldout/*.jsonl; do data+=(--data "$PWD/$f"); done
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, database folder $work" \
  "($(df -T "$work" | awk 'NR == 2 { print $2 }')), load average $(load_average)"

if [[ -n "$compare" ]]; then
  # REV's store with today's benchmark source (the store interface is the same).
  old_tree="$work/tree-$compare"
  git worktree add --detach "$old_tree" "$compare" >/dev/null 2>&1
  cp tests/bench/store_bench.cc "$old_tree/tests/bench/store_bench.cc"
  grep -q hamlet_bench_store "$old_tree/tests/CMakeLists.txt" ||
    sed -n '/^# The durable write path alone/,/^target_link_libraries(hamlet_bench_store/p' \
      tests/CMakeLists.txt >>"$old_tree/tests/CMakeLists.txt"
  cmake -S "$old_tree" -B "$work/build-old" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
  cmake --build "$work/build-old" -j2 --target hamlet_bench_store >/dev/null
  echo
  echo "== store at $compare"
  "$work/build-old/tests/hamlet_bench_store" "${data[@]}" --dir "$work" --seconds "$seconds" 1 4 16 64
fi
echo
echo "== store at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src/store || echo ' + uncommitted changes')"
build/tests/hamlet_bench_store "${data[@]}" --dir "$work" --seconds "$seconds" 1 4 16 64
if command -v strace >/dev/null 2>&1; then
  echo
  echo "== fsync calls, 16 threads, ${seconds}s, under strace (slower: count per commit only)"
  strace -f -c -e trace=fsync,fdatasync -o "$work/strace.txt" \
    build/tests/hamlet_bench_store "${data[@]}" --dir "$work" --seconds "$seconds" 16
  awk '$NF == "fsync" || $NF == "fdatasync" { print "  " $NF ": " $4 " calls" }' "$work/strace.txt"
fi
echo "load average at end $(load_average)"
