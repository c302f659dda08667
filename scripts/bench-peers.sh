#!/usr/bin/env bash
# hamlet against rspamd on the same comments, in the same run: wrk against hamletd's
# /1.1/comment-check (every decision durably stored) and against rspamd's /checkv2 (Debian's
# rspamd 3.4, local rules only as in design/rspamd-local.md: every module that looks things up
# on the network switched off, as many normal workers as cores). Each comment is sent to rspamd
# as a small e-mail: headers, then the comment text as the body, with the IP, From and Rcpt
# headers of /checkv2. Prints checks/s, p50/p99, memory (PSS of all processes) and the ratio.
# rspamd answers "Connection: close" to every request, so each of its checks costs a new TCP
# connection; hamletd keeps connections alive (the report says so).
#
#   bash scripts/bench-peers.sh [--install]
# --install: apt-get install rspamd when it is missing (it is not in install-deps.sh: only
# this benchmark uses it). Without rspamd the script says so and exits 3.
# Settings (environment): BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_DURATION (10s).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib/bench-common.sh

install=0
for arg in "$@"; do
  case "$arg" in
    --install) install=1 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-peers.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
duration=${BENCH_DURATION:-10s}

if ! command -v rspamd >/dev/null 2>&1 && ((install)); then
  echo "== installing rspamd (apt-get install rspamd)"
  apt-get install -y --no-install-recommends rspamd >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends rspamd >/dev/null 2>&1; } || true
fi
if ! command -v rspamd >/dev/null 2>&1; then
  echo "bench-peers.sh: rspamd is NOT installed, so there is nothing to compare against." >&2
  echo "  Install it with: apt-get install rspamd   (or run: bash scripts/bench-peers.sh --install)" >&2
  echo "  If apt-get cannot reach Debian's archive, rspamd cannot be installed on this machine." >&2
  exit 3
fi
bench_require wrk curl perl sqlite3
bench_build

work=$(mktemp -d)
rspamd_pid=""
cleanup() {
  if [[ -n "$rspamd_pid" ]] && kill -0 "$rspamd_pid" 2>/dev/null; then
    kill "$rspamd_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$rspamd_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  bench_cleanup
}
trap cleanup EXIT
chmod 755 "$work"

# --- rspamd, local rules only, on free ports, with private config and data folders.
conf="$work/rspamd-local"
mkdir -p "$conf/local.d" "$conf/override.d" "$work/rspamd-db" "$work/rspamd-run" "$work/rspamd-log"
chown _rspamd:_rspamd "$work/rspamd-db" "$work/rspamd-run" "$work/rspamd-log"
for module in rbl emails spf dkim dmarc arc asn fuzzy_check once_received mx_check reputation \
  ratelimit greylist replies history_redis neural url_redirector bimi dcc external_services \
  antivirus rspamd_update clickhouse elastic metadata_exporter metric_exporter p0f aws_s3 \
  dkim_signing; do
  echo "enabled = false;" >"$conf/local.d/$module.conf"
done
echo "helo_enabled = false; hostname_enabled = false; from_enabled = false;" >"$conf/local.d/hfilter.conf"
echo "phishtank_enabled = false;" >"$conf/local.d/phishing.conf"
rport=$(bench_free_port)
cport=$(bench_free_port)
pport=$(bench_free_port)
workers=$(nproc)
printf 'bind_socket = "127.0.0.1:%s";\ncount = %s;\n' "$rport" "$workers" >"$conf/override.d/worker-normal.inc"
printf 'bind_socket = "127.0.0.1:%s";\n' "$cport" >"$conf/override.d/worker-controller.inc"
printf 'bind_socket = "127.0.0.1:%s";\n' "$pport" >"$conf/override.d/worker-proxy.inc"
echo "== starting rspamd $(rspamd --version 2>/dev/null | awk '{ print $NF; exit }') on 127.0.0.1:$rport" \
  "($workers normal workers, local rules only)"
rspamd -f -u _rspamd -g _rspamd -c /etc/rspamd/rspamd.conf --var=LOCAL_CONFDIR="$conf" \
  --var=DBDIR="$work/rspamd-db" --var=RUNDIR="$work/rspamd-run" --var=LOGDIR="$work/rspamd-log" \
  >"$work/rspamd.out" 2>&1 &
rspamd_pid=$!
ready=0
for _ in $(seq 1 300); do
  kill -0 "$rspamd_pid" 2>/dev/null || break
  if curl -fsS -o /dev/null -X POST --data-binary $'Subject: x\r\n\r\nhello' "http://127.0.0.1:$rport/checkv2" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.2
done
if ((!ready)); then
  echo "bench-peers.sh: rspamd did not start; its output:" >&2
  tail -n 30 "$work/rspamd.out" >&2
  exit 1
fi
# The Hyperscan regexps compile in the background after start (the workers use them once
# loaded); wait for the log to say so, up to 120 s.
hs_wait=0
for _ in $(seq 1 240); do
  grep -qE "hyperscan database of [0-9]+ regexps has been loaded" \
    "$work/rspamd-log/rspamd.log" "$work/rspamd.out" 2>/dev/null && break
  sleep 0.5
  hs_wait=$((hs_wait + 1))
done
hs_line=$(grep -hiE "hyperscan.*loaded" "$work/rspamd-log/rspamd.log" "$work/rspamd.out" 2>/dev/null | tail -n 1 | cut -c1-160)
echo "rspamd hyperscan, after $((hs_wait / 2)) s: ${hs_line:-no hyperscan line in its log}"

# --- the same comments for both: form bodies for hamletd, e-mails for rspamd.
bench_prepare bench
bench_check_lua "$work/bodies.txt" "$work/check.lua"
perl -MJSON::PP -ne '
  next unless /\S/;
  my $c = decode_json($_);
  my $text = $c->{comment_content}; utf8::encode($text) if utf8::is_utf8($text);
  my $author = $c->{comment_author} // "Anonymous"; utf8::encode($author) if utf8::is_utf8($author);
  $author =~ s/[\r\n"]//g;
  my $email = $c->{comment_author_email} || "visitor\@example.net";
  my $msg = "From: \"$author\" <$email>\r\nTo: <comments\@bench.example>\r\nSubject: New comment\r\n" .
            "Date: Mon, 01 Dec 2026 12:00:00 +0000\r\nMessage-ID: <c$.\@bench.example>\r\n" .
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n$text\r\n";
  $msg =~ s/\\/\\\\/g; $msg =~ s/\r/\\r/g; $msg =~ s/\n/\\n/g; $msg =~ s/"/\\"/g;
  printf "{ ip = \"198.51.100.%d\", from = \"%s\", body = \"%s\" },\n", 1 + $. % 250, $email, $msg;
' data/*.jsonl data/heldout/*.jsonl >"$work/messages.lua.inc"
cat >"$work/rspamd.lua" <<LUA
local messages = {
$(cat "$work/messages.lua.inc")
}
local i = math.random(#messages)
request = function()
  i = i % #messages + 1
  local m = messages[i]
  return wrk.format("POST", "/checkv2", { ["IP"] = m.ip, ["From"] = m.from,
    ["Rcpt"] = "comments@bench.example", ["Content-Type"] = "message/rfc822" }, m.body)
end
scored, other = 0, 0
response = function(status, hdrs, body)
  if status == 200 and body:find('"score"', 1, true) then scored = scored + 1 else other = other + 1 end
end
local all = {}
setup = function(thread) all[#all + 1] = thread end
done = function()
  local s, o = 0, 0
  for _, t in ipairs(all) do s = s + t:get("scored"); o = o + t:get("other") end
  io.write(string.format("answers: scored=%d other=%d\n", s, o))
end
LUA
echo "== starting hamletd on 127.0.0.1:$port"
bench_start_hamletd "$db" "$port" "$work/hamletd.log" --log-level warn

# Warm-up for both, then the measured runs, back to back.
wrk -t "$threads" -c "$connections" -d 3s -s "$work/rspamd.lua" "http://127.0.0.1:$rport/checkv2" >/dev/null
wrk -t "$threads" -c "$connections" -d 3s -s "$work/check.lua" "http://127.0.0.1:$port/1.1/comment-check" >/dev/null
load_start=$(load_average)
wrk_args=(-t "$threads" -c "$connections" -d "$duration" --latency)
echo "== wrk ${wrk_args[*]} hamletd /1.1/comment-check"
wrk "${wrk_args[@]}" -s "$work/check.lua" "http://127.0.0.1:$port/1.1/comment-check" >"$work/hamlet.txt"
echo "== wrk ${wrk_args[*]} rspamd /checkv2"
wrk "${wrk_args[@]}" -s "$work/rspamd.lua" "http://127.0.0.1:$rport/checkv2" >"$work/rspamd.txt"
load_end=$(load_average)

# Memory: hamletd's PSS; rspamd's summed over the main process and its workers.
read -r _ hamlet_pss < <(proc_memory_kb "$bench_server_pid")
rspamd_pss=0
for p in "$rspamd_pid" $(pgrep -P "$rspamd_pid" || true); do
  read -r _ p_pss < <(proc_memory_kb "$p")
  rspamd_pss=$((rspamd_pss + p_pss))
done
echo "one rspamd answer: $(curl -fsS -X POST -H 'IP: 198.51.100.7' --data-binary $'Subject: hi\r\n\r\nBuy cheap pills http://cheap-pills.example/' \
  "http://127.0.0.1:$rport/checkv2" | head -c 300)..."

h_rps=$(wrk_field "$work/hamlet.txt" rps)
r_rps=$(wrk_field "$work/rspamd.txt" rps)
echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD), $(nproc) cores shared by wrk, hamletd and rspamd;" \
  "load average $load_start at start, $load_end at end; wrk ${wrk_args[*]})"
printf '| server | checks/s | p50 ms | p99 ms | memory (PSS) | connections |\n|---|---|---|---|---|---|\n'
printf '| hamletd /1.1/comment-check (decisions stored durably) | %s | %s | %s | %d MB | keep-alive |\n' \
  "$h_rps" "$(wrk_field "$work/hamlet.txt" p50)" "$(wrk_field "$work/hamlet.txt" p99)" $((hamlet_pss / 1024))
printf '| rspamd /checkv2, local rules only, %s workers | %s | %s | %s | %d MB | closed after every check |\n' \
  "$workers" "$r_rps" "$(wrk_field "$work/rspamd.txt" p50)" "$(wrk_field "$work/rspamd.txt" p99)" $((rspamd_pss / 1024))
echo "ratio hamletd / rspamd checks/s: $(awk -v h="$h_rps" -v r="$r_rps" 'BEGIN { printf "%.1f", (r > 0 ? h / r : 0) }') (goal >= 10)"
grep '^answers:' "$work/hamlet.txt" | sed 's/^/hamletd /'
grep '^answers:' "$work/rspamd.txt" | sed 's/^/rspamd /'
for f in hamlet rspamd; do
  e=$(wrk_field "$work/$f.txt" errors)
  if [[ -n "$e" ]]; then echo "note: $f: $e"; fi
  n=$(wrk_field "$work/$f.txt" non2xx)
  if [[ -n "$n" ]]; then echo "WARNING: $f: $n non-2xx responses"; fi
done
exit 0
