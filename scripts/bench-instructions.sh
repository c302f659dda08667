#!/usr/bin/env bash
# Instructions per request of hamletd, by part, under valgrind's callgrind: a figure that does
# not depend on the machine's load (wall-clock rates on a shared 2-core machine vary by 2x).
# Three runs of hamletd on a fresh database, each for BENCH_SECONDS (30):
#   idle:    nothing but its own background threads (start-up and the periodic workers);
#   check:   comment-checks at a fixed BENCH_RATE (100/s) on 8 connections (the comments under
#            data/, one per request in rotation);
#   healthz: GET /healthz as fast as wrk can (8 connections).
# Prints instructions per request ((run - idle) / requests), the ratio of the two, and the
# check's instructions split by part (inclusive, per check). Only hamletd's own user-space
# instructions count: not the kernel's (sockets, fsync) nor the client's.
#
#   bash scripts/bench-instructions.sh
# At 100 checks/s the group commit and the text indexer work in smaller batches than at the
# peak, so their share is an upper bound for a loaded server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/bench-common.sh

seconds=${BENCH_SECONDS:-30}
rate=${BENCH_RATE:-100}
bench_require valgrind callgrind_annotate wrk curl sqlite3
bench_build

work=$(mktemp -d)
trap bench_cleanup EXIT

# run_under_callgrind MODE: one hamletd under callgrind, loaded as MODE says; prints the
# number of requests answered.
run_under_callgrind() {
  local mode=$1 answered=0
  bench_prepare "$mode"
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.$mode.out" --dump-instr=no \
    "$HAMLETD" --db "$db" --listen "127.0.0.1:$port" --rate-limit-ip 0 --rate-limit-key 0 \
    --log-level warn >"$work/$mode.log" 2>&1 &
  bench_server_pid=$!
  # Under valgrind the model and the memory take a while to load.
  for _ in $(seq 1 900); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    kill -0 "$bench_server_pid" 2>/dev/null || { cat "$work/$mode.log" >&2; exit 1; }
    sleep 0.2
  done
  case $mode in
    idle) sleep "$seconds" ;;
    check)
      "$LOAD_CLIENT" --port "$port" --bodies "$work/bodies.txt" --connections 8 \
        --duration "$seconds" --rate "$rate" >"$work/check.txt"
      answered=$(kv_field "$work/check.txt" answered_2xx)
      ;;
    healthz)
      wrk -t 1 -c 8 -d "${seconds}s" "http://127.0.0.1:$port/healthz" >"$work/healthz.txt"
      answered=$(wrk_field "$work/healthz.txt" requests)
      ;;
  esac
  bench_stop_hamletd
  echo "$answered"
}

total() { awk '/^summary:/ { print $2 }' "$work/cg.$1.out"; }

echo "== idle, ${seconds}s" >&2
run_under_callgrind idle >/dev/null
echo "== comment-check at $rate/s, ${seconds}s" >&2
checks=$(run_under_callgrind check)
echo "== healthz, ${seconds}s" >&2
healthz=$(run_under_callgrind healthz)
((checks > 0 && healthz > 0)) || { echo "bench-instructions.sh: no requests answered" >&2; exit 1; }

idle=$(total idle)
per_check=$((($(total check) - idle) / checks))
per_healthz=$((($(total healthz) - idle) / healthz))
echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD))"
echo "comment-check: $checks answered, $per_check instructions each"
echo "healthz: $healthz answered, $per_healthz instructions each"
awk -v c="$per_check" -v h="$per_healthz" 'BEGIN { printf "ratio check / healthz: %.1f\n", c / h }'
echo
echo "| part (inclusive) | instructions per check |"
echo "|---|---|"
# Each function's inclusive count once (callgrind_annotate prints one line per function).
callgrind_annotate --inclusive=yes "$work/cg.check.out" 2>/dev/null | awk -v n="$checks" '
  function row(label, pattern) { parts[++k] = label; patterns[k] = pattern }
  BEGIN {
    row("HTTP request handling (httplib::Server::process_request)", "httplib::Server::process_request\\(");
    row("  comment-check handler", "hamlet::http::HandleCommentCheck\\(");
    row("    decode the form and check the key", "DecodeAndAuthenticate\\(");
    row("    Filter::Check (judge, record, queue for the store)", "hamlet::engine::Filter::Check\\(");
    row("      Filter::Judge (model and checks)", "hamlet::engine::Filter::Judge\\(");
    row("        FastTextClassifier::Predict", "FastTextClassifier::Predict\\(");
    row("      text::Analyze", "hamlet::text::Analyze\\(");
    row("      AppendDecision (encode the row, wait for the commit)", "SqliteStore::AppendDecision\\(");
    row("  write the response", "httplib::Server::write_response_core\\(");
    row("store writer thread (group commit)", "GroupCommitQueue::WriterLoop\\(");
    row("  INSERT of the decision rows", "SqliteStore::InsertOne\\(");
    row("text indexer thread", "TextIndexWorker::Pass\\(");
  }
  {
    gsub(",", "", $1)
    for (i = 1; i <= k; ++i) if (!(i in seen) && $0 ~ patterns[i]) { seen[i] = $1; break }
  }
  END { for (i = 1; i <= k; ++i) printf "| %s | %d |\n", parts[i], (i in seen ? seen[i] / n : 0) }
'
