#!/usr/bin/env bash
# Idle keep-alive clients against the thread pool: httplib serves one connection per thread for
# as long as it stays open, so clients that keep a connection alive with a request now and then
# hold a thread each. For each "THREADS KEEPALIVE_MAX IDLE" case, hamletd starts with
# --threads THREADS --keep-alive-max KEEPALIVE_MAX, IDLE connections each send GET /healthz
# every second, and 8 other connections send comment-checks at a fixed 100/s for 8 s (open
# loop: latency from each request's due time); prints their p50/p99/max and how many were
# answered, and hamletd's RSS.
#
#   bash scripts/bench-keepalive.sh ["THREADS KEEPALIVE_MAX IDLE" ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/bench-common.sh

cases=("$@")
((${#cases[@]})) || cases=("16 5 32" "64 5 32" "64 5 128" "256 5 128" "256 100 128" "256 100 300")
bench_require curl perl sqlite3
bench_build
work=$(mktemp -d)
trap bench_cleanup EXIT

echo "commit $(git rev-parse --short HEAD), $(nproc) cores, load average $(load_average)"
printf '| threads | keep-alive max | idle clients | checks answered (of 800) | p50 ms | p99 ms | max ms | RSS MB |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for c in "${cases[@]}"; do
  read -r threads ka idle <<<"$c"
  rm -f "$work"/*.db*
  bench_prepare keepalive
  bench_start_hamletd "$db" "$port" "$work/hamletd.log" --log-level warn --threads "$threads" \
    --keep-alive-max "$ka"
  "$LOAD_CLIENT" --port "$port" --bodies "$work/bodies.txt" --connections 8 --rate 100 \
    --duration 8 --idle "$idle" --idle-interval-ms 1000 >"$work/client.txt"
  rss=$(rss_kb "$bench_server_pid")
  bench_stop_hamletd
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$threads" "$ka" "$idle" \
    "$(kv_field "$work/client.txt" answered_2xx)" "$(kv_field "$work/client.txt" p50_ms)" \
    "$(kv_field "$work/client.txt" p99_ms)" "$(kv_field "$work/client.txt" max_ms)" $((rss / 1024))
done
echo "load average at end $(load_average)"
