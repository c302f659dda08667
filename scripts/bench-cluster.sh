#!/usr/bin/env bash
# Cluster benchmark: comment-check throughput and latency, in one run, for
#   1. one hamletd on SQLite (--db),
#   2. one hamletd on PostgreSQL (--store, a throw-away cluster made here with initdb, fsync on),
#   3. three hamletd nodes on that PostgreSQL behind nginx (contrib/nginx/hamlet-proxy.conf),
# each with wrk (keep-alive, the 817 comments under data/ in rotation, as bench-http.sh) after a
# short warm-up; prints checks/s, p50, p99, the decisions stored against the answers counted,
# and the bytes each stored decision takes (pg_total_relation_size / rows; SQLite: file / rows),
# fresh and once retention has blanked its personal fields; and the CPU seconds the nodes,
# PostgreSQL and nginx used during each measured run (/proc), for checks per CPU-second.
#
#   bash scripts/bench-cluster.sh
# Settings (environment): BENCH_THREADS (wrk threads, 2), BENCH_CONNECTIONS (32),
# BENCH_DURATION (10s), BENCH_WARMUP (3s), HAMLET_PG_BINDIR (PostgreSQL's programs; default the
# newest /usr/lib/postgresql/*/bin), HAMLET_NGINX (default: nginx on PATH or /usr/sbin/nginx).
# Every process (wrk, nginx, the nodes, PostgreSQL) shares this machine's cores: on a small
# machine the three-node figure measures the cost of the extra hops, not the gain of scaling out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/bench-common.sh

threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-3s}
nodes=3

bench_require wrk curl perl sqlite3
nginx=${HAMLET_NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[[ -x "$nginx" ]] || { echo "bench-cluster.sh: nginx is missing; run: bash scripts/install-deps.sh --test" >&2; exit 1; }
pgbin=${HAMLET_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[[ -x "$pgbin/initdb" ]] ||
  { echo "bench-cluster.sh: PostgreSQL's initdb is missing; run: bash scripts/install-deps.sh --test" >&2; exit 1; }
bench_build

work=$(mktemp -d)
chmod 755 "$work"  # the postgres user (as root) reaches its folder under it
node_pids=() nginx_pid="" pg_started=0
as_owner=()
((EUID == 0)) && as_owner=(runuser -u postgres --)
cleanup() {
  local pid
  for pid in "${node_pids[@]}" $nginx_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}" $nginx_pid; do wait "$pid" 2>/dev/null || true; done
  ((pg_started)) && "${as_owner[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1
  bench_cleanup
}
trap cleanup EXIT

# A throw-away PostgreSQL on a Unix socket in $work/pg, with its default durability (fsync on,
# synchronous_commit on), as a production primary would run.
mkdir "$work/pg"
((EUID == 0)) && chown postgres: "$work/pg"
"${as_owner[@]}" "$pgbin/initdb" -D "$work/pg/data" -A trust -U postgres -E UTF8 --no-locale \
  >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$work/pg'" start >/dev/null
pg_started=1
psql() { "$pgbin/psql" -X -q -A -t -h "$work/pg" -U postgres "$@"; }
pg_url() { echo "postgresql:///$1?host=$work/pg&user=postgres"; }

bench_bodies_for() {  # DB NAME: a key for http://NAME.example/ and its bodies in $work/NAME.txt
  local key
  key=$(bench_new_key "$1" "http://$2.example/")
  bench_bodies "$key" "http://$2.example/" "$work/$2.txt"
}

# start_node DB: one more node on DB (no rate limits, as bench_start_hamletd starts it); appends
# its port to `ports`.
start_node() {
  local p
  p=$(bench_free_port)
  bench_start_hamletd "$1" "$p" "$work/node.$p.log" --log-level warn
  node_pids+=("$bench_server_pid")
  bench_server_pid=""  # stopped by stop_nodes, not by bench_cleanup
  ports+=("$p")
}

stop_nodes() {
  local pid
  for pid in "${node_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  node_pids=()
}

# start_nginx PORT NODE_PORT...: nginx in the foreground (one process, its paths in $work/nginx).
start_nginx() {
  local listen=$1 p
  shift
  mkdir -p "$work/nginx"
  {
    echo "daemon off; master_process off; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http { access_log off;"
    for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $work/nginx/$t;"; done
    echo "  upstream hamlet_nodes {"
    for p in "$@"; do echo "    server 127.0.0.1:$p;"; done
    echo "    keepalive 64; keepalive_timeout 1s;"
    echo "  }"
    echo "  server { listen 127.0.0.1:$listen;"
    echo "    location / { include $PWD/contrib/nginx/hamlet-proxy.conf; } }"
    echo "}"
  } >"$work/nginx/nginx.conf"
  "$nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
  nginx_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$listen/healthz" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "bench-cluster.sh: nginx did not come up:" >&2
  cat "$work/nginx/error.log" >&2
  return 1
}

# CPU time, in clock ticks, that processes have used: cpu_ticks PID... (threads included), and
# pg_cpu_ticks: the PostgreSQL server's (postmaster, its reaped children, its live backends).
cpu_ticks() { local p; for p in "$@"; do awk '{ print $14 + $15 }' "/proc/$p/stat"; done | awk '{ t += $1 } END { print t + 0 }'; }
pg_cpu_ticks() {
  local master
  master=$(head -n 1 "$work/pg/data/postmaster.pid")
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$master/stat"
    for p in $(ps -o pid= --ppid "$master"); do awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || true; done
  } | awk '{ t += $1 } END { print t + 0 }'
}
# cpu_snapshot: "NODES PG NGINX" ticks now.
cpu_snapshot() {
  echo "$(cpu_ticks "${node_pids[@]}") $(pg_cpu_ticks) $( [[ -n "$nginx_pid" ]] && cpu_ticks "$nginx_pid" || echo 0)"
}

# run_wrk NAME PORT BODIES: the warm-up, then the measured run into $work/NAME.wrk, with the CPU
# the nodes, PostgreSQL and nginx used during it in $work/NAME.cpu ("NODES PG NGINX" seconds).
run_wrk() {
  local before after
  bench_check_lua "$3" "$work/$1.lua"
  wrk -t "$threads" -c "$connections" -d "$warmup" -s "$work/$1.lua" \
    "http://127.0.0.1:$2/1.1/comment-check" >"$work/$1.warmup"
  before=$(cpu_snapshot)
  wrk -t "$threads" -c "$connections" -d "$duration" --latency -s "$work/$1.lua" \
    "http://127.0.0.1:$2/1.1/comment-check" >"$work/$1.wrk"
  after=$(cpu_snapshot)
  awk -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(b, x); split(a, y); printf "%.2f %.2f %.2f\n", (y[1] - x[1]) / hz, (y[2] - x[2]) / hz, (y[3] - x[3]) / hz }' \
    >"$work/$1.cpu"
}

# Answers counted by wrk over both runs of NAME (warm-up and measured).
answered_of() { echo $(($(wrk_field "$work/$1.warmup" requests) + $(wrk_field "$work/$1.wrk" requests))); }

load_start=$(load_average)
echo "== $(nproc) cores; load average $load_start; wrk -t $threads -c $connections -d $duration (after $warmup of warm-up)"

echo "== 1. one node on SQLite"
bench_bodies_for "$work/sqlite.db" sqlite
start_node "$work/sqlite.db"
run_wrk sqlite "${ports[0]}" "$work/sqlite.txt"
stop_nodes
sqlite_stored=$(sqlite3 "$work/sqlite.db" 'SELECT count(*) FROM decisions')
sqlite_bytes=$(sqlite3 "$work/sqlite.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null; stat -c %s "$work/sqlite.db")

echo "== 2. one node on PostgreSQL"
psql -c 'CREATE DATABASE one_node' postgres
bench_bodies_for "$(pg_url one_node)" pg1
ports=()
start_node "$(pg_url one_node)"
run_wrk pg1 "${ports[0]}" "$work/pg1.txt"
stop_nodes
pg1_stored=$(psql -c 'SELECT count(*) FROM decisions' one_node)

echo "== 3. $nodes nodes on PostgreSQL behind nginx"
psql -c 'CREATE DATABASE three_nodes' postgres
wal_start=$(psql -c 'SELECT pg_current_wal_lsn()' postgres)
bench_bodies_for "$(pg_url three_nodes)" pg3
ports=()
for _ in $(seq 1 "$nodes"); do start_node "$(pg_url three_nodes)"; done
lb_port=$(bench_free_port)
start_nginx "$lb_port" "${ports[@]}"
run_wrk pg3 "$lb_port" "$work/pg3.txt"
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=""
stop_nodes
pg3_stored=$(psql -c 'SELECT count(*) FROM decisions' three_nodes)
# WAL written for them (the whole cluster's, key creation and warm-up included): what a standby
# and the WAL archive receive per decision.
pg3_wal=$(psql -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_start')" postgres)
psql -c 'VACUUM ANALYZE decisions' three_nodes
read -r pg_rel pg_rows < <(psql -F ' ' -c \
  "SELECT pg_total_relation_size('decisions'), count(*) FROM decisions" three_nodes)
pg_db=$(psql -c "SELECT pg_database_size('three_nodes')" postgres)
# What an old row costs once retention has blanked its personal fields (hamletd does that after
# --retention, 90 days by default; rows and counts stay): purge everything, then VACUUM FULL so
# the table is rewritten at its new size (in service, plain autovacuum lets new rows reuse the
# space instead).
sleep 1
"$HAMLET" --store "$(pg_url three_nodes)" purge --older-than 1s >/dev/null
psql -c 'VACUUM FULL decisions' three_nodes
pg_purged=$(psql -c "SELECT pg_total_relation_size('decisions')" three_nodes)
load_end=$(load_average)

echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD); load average $load_start at start, $load_end at end)"
echo "$(nproc) cores shared by wrk, nginx, every hamletd node and PostgreSQL: the figures are what this"
echo "one machine does with all of them on it, not what the nodes would do on machines of their own."
printf '| setup | checks/s | p50 ms | p99 ms | answered | stored | non-2xx | CPU s: nodes / PostgreSQL / nginx | checks per CPU-second (all three) |\n|---|---|---|---|---|---|---|---|---|\n'
status=0
for row in "sqlite:1 node, SQLite:$sqlite_stored" "pg1:1 node, PostgreSQL:$pg1_stored" \
  "pg3:$nodes nodes, PostgreSQL, nginx:$pg3_stored"; do
  IFS=: read -r name label stored <<<"$row"
  f="$work/$name.wrk"
  answered=$(answered_of "$name")
  non2xx=$(wrk_field "$f" non2xx)
  read -r cpu_nodes cpu_pg cpu_nginx <"$work/$name.cpu"
  per_cpu_s=$(awk -v n="$(wrk_field "$f" requests)" -v c="$cpu_nodes $cpu_pg $cpu_nginx" 'BEGIN {
    split(c, x); t = x[1] + x[2] + x[3]; printf "%.0f", (t > 0 ? n / t : 0) }')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s / %s / %s | %s |\n' "$label" "$(wrk_field "$f" rps)" \
    "$(wrk_field "$f" p50)" "$(wrk_field "$f" p99)" "$answered" "$stored" "${non2xx:-0}" \
    "$cpu_nodes" "$cpu_pg" "$cpu_nginx" "$per_cpu_s"
  [[ -z "$non2xx" ]] || { echo "ERROR: $label: $non2xx non-2xx answers"; status=1; }
  ((stored >= answered)) || { echo "ERROR: $label: stored $stored < answered $answered"; status=1; }
  grep '^answers:' "$f" | sed "s/^/$label: measured run /"
  e=$(wrk_field "$f" errors)
  [[ -z "$e" ]] || echo "note: $label: $e"
done
echo "(stored may exceed answered by the checks in flight when wrk stopped; CPU seconds are those the"
echo " processes used during the measured run, from /proc: a figure per core that the machine's load"
echo " does not skew the way it skews checks/s)"
awk -v b="$pg_rel" -v n="$pg_rows" -v d="$pg_db" 'BEGIN {
  printf "PostgreSQL: decisions table with its indexes and TOAST %.1f MiB for %d rows: %.0f bytes per decision (database %.1f MiB)\n",
    b / 1048576, n, b / n, d / 1048576 }'
awk -v w="$pg3_wal" -v n="$pg3_stored" 'BEGIN {
  printf "PostgreSQL WAL written during the three-node run: %.1f MiB: %.0f bytes per decision\n", w / 1048576, w / n }'
awk -v b="$pg_purged" -v n="$pg_rows" 'BEGIN {
  printf "PostgreSQL after retention blanked them all (hamlet purge, VACUUM FULL): %.1f MiB: %.0f bytes per decision\n",
    b / 1048576, b / n }'
awk -v b="$sqlite_bytes" -v n="$sqlite_stored" 'BEGIN {
  printf "SQLite: file %.1f MiB for %d decisions: %.0f bytes per decision (all tables and indexes)\n",
    b / 1048576, n, b / n }'
exit "$status"
