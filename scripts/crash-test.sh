#!/usr/bin/env bash
# Crash test: while a client sends comment-checks from many connections and logs the
# X-akismet-guid of every answer it receives, hamletd is killed with SIGKILL (--kills times,
# evenly spread) and restarted on the same database and port; the client reconnects and goes on.
# Afterwards:
#   - PRAGMA integrity_check answers ok;
#   - every guid the client received is a stored decision (an answer is sent only after its
#     decision is committed, so no answered check may be lost);
#   - the client did get answers after each restart.
# Prints the figures and PASS, or FAIL with the reasons (exit 1).
#
#   bash scripts/crash-test.sh [--duration S] [--connections N] [--kills K]
# Defaults: 12 s, 64 connections, 2 kills: a kill every S/(K+1) seconds, and as long again of
# load once the last restart answers /healthz. Binaries: see scripts/lib/bench-common.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/bench-common.sh

duration=12 connections=64 kills=2
while (($#)); do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "crash-test.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

bench_require curl perl sqlite3
bench_build
work=$(mktemp -d)
client_pid=""
cleanup() {
  [[ -n "$client_pid" ]] && kill "$client_pid" 2>/dev/null
  bench_cleanup
}
trap cleanup EXIT
bench_prepare crash

echo "== crash test: $connections connections, ${duration}s, $kills x SIGKILL; hamletd on 127.0.0.1:$port;" \
  "load average $(load_average)"
bench_start_hamletd "$db" "$port" "$work/hamletd.log" --log-level warn
# The client runs until told: each restart may take a while (a sanitizer build loads the
# model for seconds), and the last restarted service must get its share of the load too.
"$LOAD_CLIENT" --port "$port" --bodies "$work/bodies.txt" --connections "$connections" \
  --duration $((duration + 600)) --guid-log "$work/guids.txt" >"$work/client.txt" &
client_pid=$!

failures=()
gap=$(awk -v d="$duration" -v k="$kills" 'BEGIN { printf "%.2f", d / (k + 1) }')
for i in $(seq 1 "$kills"); do
  sleep "$gap"
  kill -KILL "$bench_server_pid"
  wait "$bench_server_pid" 2>/dev/null || true
  answered_at_kill=$(wc -l <"$work/guids.txt")
  echo "kill $i: SIGKILL to hamletd after $answered_at_kill answers; restarting it"
  bench_start_hamletd "$db" "$port" "$work/hamletd.log" --log-level warn ||
    failures+=("hamletd did not restart after kill $i")
done
sleep "$gap"  # load on the last restarted service, counted from when it answered /healthz
kill -TERM "$client_pid" 2>/dev/null || true
wait "$client_pid" || failures+=("the client failed")
client_pid=""
bench_stop_hamletd

answered=$(kv_field "$work/client.txt" answered_2xx)
guids=$(wc -l <"$work/guids.txt")
stored=$(sqlite3 "$db" 'SELECT count(*) FROM decisions')
integrity=$(sqlite3 "$db" 'PRAGMA integrity_check')
[[ "$integrity" == ok ]] || failures+=("integrity_check: $integrity")
missing=$(missing_guids "$db" "$work/guids.txt")
[[ "$missing" == 0 ]] || failures+=("$missing answered guids are not in the store")
[[ "$guids" == "$answered" ]] || failures+=("guids logged $guids != answers $answered")
((stored >= answered)) || failures+=("stored $stored < answered $answered")
[[ "$(kv_field "$work/client.txt" body_other)" == 0 ]] || failures+=("answers other than true/false")
# The client logs each guid as it arrives, so the log's length at the last kill tells whether
# the restarted service answered too.
((guids > ${answered_at_kill:-0})) || failures+=("no answers after the last restart")

echo "answers received: $answered (guids logged $guids); decisions stored: $stored" \
  "(the rest were committed but their answers were lost with the connection)"
echo "requests that failed with the server (connection reset or refused): $(kv_field "$work/client.txt" errors)" \
  "+ $(kv_field "$work/client.txt" connect_errors) refused connects; non-2xx: $(kv_field "$work/client.txt" non_2xx)"
echo "PRAGMA integrity_check: $integrity; answered guids missing from the store: $missing"
if ((${#failures[@]})); then
  printf 'FAIL: %s\n' "${failures[@]}"
  exit 1
fi
echo PASS
