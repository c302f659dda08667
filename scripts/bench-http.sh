#!/usr/bin/env bash
# HTTP benchmark: starts build/hamletd on a free loopback port with a temporary database and a
# fresh key, then, on the same server in the same run:
#   1. peak: wrk against GET /healthz and POST /1.1/comment-check (the 817 comments under
#      data/, one per request in rotation), keep-alive; req/s, p50/p99 and their ratio;
#      BENCH_RUNS pairs, alternating, and the median ratio;
#   2. fixed rate: comment-check at half the median peak rate for BENCH_DURATION with
#      build/tests/hamlet_load_client (open loop, latency from each request's due time,
#      like wrk2); p50/p99/max;
#   3. durability: decisions stored against the answers the clients counted;
#   4. memory: hamletd's RSS and PSS after the load.
#
#   bash scripts/bench-http.sh
# Settings (environment): BENCH_THREADS (wrk threads, 2), BENCH_CONNECTIONS (32),
# BENCH_DURATION (10s), BENCH_RUNS (3), BENCH_SERVER_ARGS (extra hamletd arguments),
# HAMLET_MODEL (model file; default: shipped). wrk and hamletd share this machine's cores, so
# the figures are lower bounds for the server; the load average is printed with them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/bench-common.sh

threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
duration=${BENCH_DURATION:-10s}
runs=${BENCH_RUNS:-3}
read -r -a server_args <<<"${BENCH_SERVER_ARGS:-}"
[[ -n "${HAMLET_MODEL:-}" ]] && server_args+=(--model "$HAMLET_MODEL")

bench_require wrk curl perl sqlite3
bench_build

work=$(mktemp -d)
trap bench_cleanup EXIT
bench_prepare bench
base="http://127.0.0.1:$port"
nbodies=$(wc -l <"$work/bodies.txt")
bench_check_lua "$work/bodies.txt" "$work/check.lua"

load_start=$(load_average)
echo "== starting hamletd on 127.0.0.1:$port (db $db; load average $load_start)"
bench_start_hamletd "$db" "$port" "$work/hamletd.log" "${server_args[@]}"
verdict=$(curl -fsS --data-binary "$(head -n 1 "$work/bodies.txt")" "$base/1.1/comment-check")
[[ "$verdict" == true || "$verdict" == false ]] ||
  { echo "bench-http.sh: comment-check answered '$verdict'" >&2; exit 1; }
decisions_before=$(sqlite3 "$db" 'SELECT count(*) FROM decisions')

wrk_args=(-t "$threads" -c "$connections" -d "$duration" --latency)
answered=0
ratios=()
for run in $(seq 1 "$runs"); do
  echo "== run $run/$runs: wrk ${wrk_args[*]} $base/healthz"
  wrk "${wrk_args[@]}" "$base/healthz" >"$work/healthz.$run.txt"
  echo "== run $run/$runs: wrk ${wrk_args[*]} -s check.lua $base/1.1/comment-check ($nbodies comments in rotation)"
  wrk "${wrk_args[@]}" -s "$work/check.lua" "$base/1.1/comment-check" >"$work/check.$run.txt"
  answered=$((answered + $(wrk_field "$work/check.$run.txt" requests)))
  ratios+=("$(awk -v c="$(wrk_field "$work/check.$run.txt" rps)" -v h="$(wrk_field "$work/healthz.$run.txt" rps)" \
    'BEGIN { printf "%.3f", (h > 0 ? c / h : 0) }')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
check_rps=()
for run in $(seq 1 "$runs"); do check_rps+=("$(wrk_field "$work/check.$run.txt" rps)"); done
peak=$(median "${check_rps[@]}")
rate=$(awk -v p="$peak" 'BEGIN { printf "%d", p / 2 }')
seconds=${duration%s}
echo "== fixed rate: $rate comment-checks/s (half the median peak) for ${seconds}s on $connections connections"
"$LOAD_CLIENT" --port "$port" --bodies "$work/bodies.txt" --connections "$connections" \
  --duration "$seconds" --rate "$rate" >"$work/fixed.txt"
answered=$((answered + $(kv_field "$work/fixed.txt" answered_2xx)))
read -r rss_kb pss_kb < <(proc_memory_kb "$bench_server_pid")
bench_stop_hamletd
decisions_after=$(sqlite3 "$db" 'SELECT count(*) FROM decisions')
stored=$((decisions_after - decisions_before))
load_end=$(load_average)

echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD), $(nproc) cores shared by the clients and hamletd; load average $load_start at start, $load_end at end)"
echo "peak: wrk ${wrk_args[*]}"
printf '| run | healthz req/s | p50 ms | p99 ms | comment-check req/s | p50 ms | p99 ms | ratio |\n|---|---|---|---|---|---|---|---|\n'
for run in $(seq 1 "$runs"); do
  h="$work/healthz.$run.txt" c="$work/check.$run.txt"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$run" "$(wrk_field "$h" rps)" "$(wrk_field "$h" p50)" \
    "$(wrk_field "$h" p99)" "$(wrk_field "$c" rps)" "$(wrk_field "$c" p50)" "$(wrk_field "$c" p99)" "${ratios[run - 1]}"
done
echo "median ratio comment-check / healthz: $(median "${ratios[@]}") (goal >= 0.60)"
printf 'fixed rate %s/s (open loop, %s connections): achieved %s/s, p50 %s ms, p99 %s ms, max %s ms (goal p99 < 5 ms)\n' \
  "$rate" "$connections" "$(kv_field "$work/fixed.txt" rps)" "$(kv_field "$work/fixed.txt" p50_ms)" \
  "$(kv_field "$work/fixed.txt" p99_ms)" "$(kv_field "$work/fixed.txt" max_ms)"
echo "hamletd memory after the load: RSS $((rss_kb / 1024)) MB, PSS $((pss_kb / 1024)) MB (goal RSS < 100 MB)"
status=0
for run in $(seq 1 "$runs"); do
  for f in healthz check; do
    n=$(wrk_field "$work/$f.$run.txt" non2xx)
    [[ -n "$n" ]] && { echo "ERROR: run $run $f: $n non-2xx responses"; status=1; }
    e=$(wrk_field "$work/$f.$run.txt" errors)
    [[ -n "$e" ]] && echo "note: run $run $f: $e"
  done
  grep '^answers:' "$work/check.$run.txt" | sed "s/^/run $run /"
  # Which statuses the non-2xx answers had (check.lua counts them).
  by_status=$( (grep '^statuses:' "$work/check.$run.txt" || true) | cut -d' ' -f2 | tr '\n' ' ')
  [[ -z "$by_status" ]] || echo "run $run check: answers by status other than 200: $by_status"
done
by_status=$( (grep '^status_' "$work/fixed.txt" || true) | tr '\n' ' ')
[[ -z "$by_status" ]] || echo "fixed-rate run: answers by status other than 2xx: $by_status"
for k in non_2xx errors body_other; do
  v=$(kv_field "$work/fixed.txt" "$k")
  [[ "$v" == 0 ]] || { echo "ERROR: fixed-rate run: $k=$v"; status=1; }
done
echo "decisions stored: $stored; answers the clients counted: $answered" \
  "(stored may exceed it by the requests in flight when wrk stopped)"
if ((stored < answered)); then
  echo "ERROR: fewer decisions stored than answered" >&2
  status=1
fi
exit "$status"
