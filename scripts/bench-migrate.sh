#!/usr/bin/env bash
# Benchmark of `hamlet migrate`: N labeled decisions (each with its feedback row) imported into a
# fresh SQLite file, moved to a throw-away PostgreSQL cluster (initdb/pg_ctl on a Unix socket,
# TCP off) and back to a new SQLite file; prints rows per second and the peak resident memory of
# each direction (bounded by one batch, so it should not grow with N). Timings on a busy machine
# are noisy: compare runs made together.
#
#   bash scripts/bench-migrate.sh [--decisions N] [--batch N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

args="$*"
decisions=20000 batch=1000
while (($#)); do
  case "$1" in
    --decisions) decisions=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-migrate.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bindir/initdb" ]] || { echo "bench-migrate.sh: needs postgresql (initdb)" >&2; exit 2; }
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target hamlet >/dev/null

work=$(mktemp -d /tmp/hamlet-bench-migrate-XXXXXX)
owner=()
if ((EUID == 0)); then chown postgres "$work"; owner=(runuser -u postgres --); fi
stop() {
  "${owner[@]}" "$bindir/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
"${owner[@]}" "$bindir/initdb" -D "$work/pg" -A trust -U postgres -E UTF8 --no-locale >/dev/null
"${owner[@]}" "$bindir/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$work'" start >/dev/null
"${owner[@]}" "$bindir/createdb" -h "$work" -U postgres hamlet
url="postgresql:///hamlet?host=$work&user=postgres"

python3 - "$decisions" >"$work/in.jsonl" <<'PY'
import json, sys
n = int(sys.argv[1])
for i in range(n):
    label = "spam" if i % 3 == 0 else "ham"
    print(json.dumps({"id": "%032x" % (i + 1), "label": label, "verdict": label, "score": 0.5,
                      "created_ms": 1_700_000_000_000 + i * 1000,
                      "comment_author": "Author %d" % i, "comment_author_email": "a%d@mail.example" % i,
                      "user_ip": "203.0.113.%d" % (i % 250),
                      "comment_content": "Comment number %d, about the recipe and its %d steps." % (i, i % 17)}))
PY
build/hamlet --db "$work/a.db" import "$work/in.jsonl" >/dev/null

echo "commit $(git rev-parse --short HEAD), $(nproc) cores; command: bash scripts/bench-migrate.sh $args"
run() {  # run NAME FROM TO
  local start end rows
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/rss" build/hamlet migrate --from "$2" --to "$3" --batch "$batch" \
    --json >"$work/report.json" 2>/dev/null
  end=$(date +%s.%N)
  rows=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["ok"]; print(sum(t["copied"] for t in r["tables"]))' "$work/report.json")
  awk -v name="$1" -v rows="$rows" -v s="$start" -v e="$end" -v rss="$(cat "$work/rss")" \
    'BEGIN { printf "  %-22s %8d rows  %6.1f s  %8.0f rows/s  peak RSS %6.1f MiB\n", name, rows, e - s, rows / (e - s), rss / 1024 }'
}
run "SQLite -> PostgreSQL" "$work/a.db" "$url"
run "PostgreSQL -> SQLite" "$url" "$work/b.db"
