#!/usr/bin/env bash
# HTTP benchmark: starts build/hamletd on a free loopback port with a temporary database and a
# fresh key, then runs wrk against GET /healthz and POST /1.1/comment-check (varied comments
# from data/example-comments.jsonl, rotated per request) on the same server, and prints req/s,
# p50/p99 for both, their ratio, and how many decisions were stored against wrk's count.
#
#   bash scripts/bench-http.sh
# Settings (environment): BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_DURATION (10s),
# BENCH_SERVER_ARGS (extra hamletd arguments), HAMLET_MODEL (model file; default: shipped).
# wrk and hamletd share this machine's cores, so the figures are lower bounds for the server.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
duration=${BENCH_DURATION:-10s}
read -r -a server_args <<<"${BENCH_SERVER_ARGS:-}"

for tool in wrk curl perl sqlite3; do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "bench-http.sh: '$tool' is missing; run: bash scripts/install-deps.sh --test" >&2; exit 1; }
done
if [[ ! -x build/hamletd || ! -x build/hamlet ]]; then
  bash scripts/build.sh
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free port: the first one in a random window that nothing answers on.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n "$port" ]] || { echo "bench-http.sh: no free loopback port found" >&2; exit 1; }
base="http://127.0.0.1:$port"

db="$work/bench.db"
site="http://bench.example/"
key=$(build/hamlet --db "$db" keys create --site "$site" | tail -n 1)
[[ "$key" =~ ^[0-9a-f]{12}$ ]] || { echo "bench-http.sh: 'hamlet keys create' printed '$key', not a key" >&2; exit 1; }

# One form-encoded comment-check body per example comment, with varied IPs and user agents.
bodies="$work/bodies.txt"
KEY=$key SITE=$site perl -MJSON::PP -ne '
  BEGIN { @ua = ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                 "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
                 "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
          sub enc { my $s = shift; utf8::encode($s) if utf8::is_utf8($s);
                    $s =~ s/([^A-Za-z0-9\-._~])/sprintf("%%%02X", ord $1)/ge; $s } }
  next unless /\S/;
  my $c = decode_json($_);
  my %f = (api_key => $ENV{KEY}, blog => $ENV{SITE}, user_ip => "198.51.100." . (1 + $. % 250),
           user_agent => $ua[$. % 3], comment_type => "comment",
           comment_author => $c->{comment_author} // "", comment_content => $c->{comment_content});
  $f{comment_author_email} = $c->{comment_author_email} if $c->{comment_author_email};
  $f{comment_author_url} = $c->{comment_author_url} if $c->{comment_author_url};
  print join("&", map { "$_=" . enc($f{$_}) } sort keys %f), "\n";
' data/example-comments.jsonl >"$bodies"
nbodies=$(wc -l <"$bodies")

cat >"$work/check.lua" <<LUA
-- Rotates through the prepared bodies; counts the answers so a wrong key (answered "invalid"
-- with status 200) cannot pass for throughput.
local bodies = {}
for line in io.lines("$bodies") do bodies[#bodies + 1] = line end
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local i = math.random(#bodies)
spam, ham, other = 0, 0, 0
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/1.1/comment-check", headers, bodies[i])
end
response = function(status, hdrs, body)
  if body == "true" then spam = spam + 1 elseif body == "false" then ham = ham + 1 else other = other + 1 end
end
local all = {}
setup = function(thread) all[#all + 1] = thread end
done = function(summary, latency, requests)
  local s, h, o = 0, 0, 0
  for _, t in ipairs(all) do s = s + t:get("spam"); h = h + t:get("ham"); o = o + t:get("other") end
  io.write(string.format("answers: true=%d false=%d other=%d\n", s, h, o))
end
LUA

echo "== starting hamletd on 127.0.0.1:$port (db $db)"
# No rate limits: the benchmark is one client address and one key at full speed.
build/hamletd --db "$db" --listen "127.0.0.1:$port" --rate-limit-ip 0 --rate-limit-key 0 \
  "${server_args[@]}" >"$work/hamletd.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "bench-http.sh: hamletd exited:" >&2; cat "$work/hamletd.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS -o /dev/null "$base/healthz" || { echo "bench-http.sh: hamletd never became healthy" >&2; exit 1; }
verdict=$(curl -fsS --data-binary "$(head -n 1 "$bodies")" "$base/1.1/comment-check")
[[ "$verdict" == true || "$verdict" == false ]] ||
  { echo "bench-http.sh: comment-check answered '$verdict'" >&2; exit 1; }
decisions_before=$(sqlite3 "$db" 'SELECT count(*) FROM decisions')

wrk_args=(-t "$threads" -c "$connections" -d "$duration" --latency)
echo "== wrk ${wrk_args[*]} $base/healthz"
wrk "${wrk_args[@]}" "$base/healthz" | tee "$work/healthz.txt"
echo "== wrk ${wrk_args[*]} -s check.lua $base/1.1/comment-check ($nbodies comments in rotation)"
wrk "${wrk_args[@]}" -s "$work/check.lua" "$base/1.1/comment-check" | tee "$work/check.txt"

kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""
decisions_after=$(sqlite3 "$db" 'SELECT count(*) FROM decisions')

# Parses wrk's report: "Requests/sec:", "N requests in", and the --latency percentiles.
wrk_field() { # file, what (rps|requests|p50|p99|non2xx|errors)
  awk -v what="$2" '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v
    }
    what == "rps" && /^Requests\/sec:/ { print $2 }
    what == "requests" && / requests in / { print $1 }
    what == "p50" && $1 == "50%" { printf "%.3f\n", ms($2) }
    what == "p99" && $1 == "99%" { printf "%.3f\n", ms($2) }
    what == "non2xx" && /Non-2xx or 3xx responses:/ { print $NF }
    what == "errors" && /Socket errors:/ { print }
  ' "$1"
}

h_rps=$(wrk_field "$work/healthz.txt" rps)
c_rps=$(wrk_field "$work/check.txt" rps)
c_requests=$(wrk_field "$work/check.txt" requests)
stored=$((decisions_after - decisions_before))
ratio=$(awk -v c="$c_rps" -v h="$h_rps" 'BEGIN { printf "%.3f", (h > 0 ? c / h : 0) }')

echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores shared by wrk and hamletd; wrk ${wrk_args[*]})"
printf '%-22s %12s %10s %10s\n' endpoint "req/s" "p50 ms" "p99 ms"
printf '%-22s %12s %10s %10s\n' "GET /healthz" "$h_rps" "$(wrk_field "$work/healthz.txt" p50)" "$(wrk_field "$work/healthz.txt" p99)"
printf '%-22s %12s %10s %10s\n' "POST comment-check" "$c_rps" "$(wrk_field "$work/check.txt" p50)" "$(wrk_field "$work/check.txt" p99)"
echo "ratio comment-check / healthz: $ratio"
for f in healthz check; do
  n=$(wrk_field "$work/$f.txt" non2xx)
  [[ -n "$n" ]] && echo "WARNING: $f: $n non-2xx responses"
  e=$(wrk_field "$work/$f.txt" errors)
  [[ -n "$e" ]] && echo "note: $f: $e"
done
grep '^answers:' "$work/check.txt" || true
echo "decisions stored during the comment-check run: $stored; responses wrk counted: $c_requests" \
  "(stored may exceed it by the requests still in flight when wrk stopped)"
if ((stored < c_requests)); then
  echo "ERROR: fewer decisions stored than answered" >&2
  exit 1
fi
