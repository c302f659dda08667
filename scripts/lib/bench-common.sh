# Shared by the HTTP benchmarks and the load and crash tests (sourced, not run): a free
# loopback port, hamletd on a temporary database with a key, form-encoded comment-check bodies
# from data/, wrk report parsing, and the process figures (RSS, PSS) of a PID.
# Callers set `work` (a temporary folder) and call bench_cleanup from their EXIT trap.
# The binaries are build/'s unless HAMLETD, HAMLET or LOAD_CLIENT name others (CTest does).

bench_server_pid=""
HAMLETD=${HAMLETD:-build/hamletd}
HAMLET=${HAMLET:-build/hamlet}
LOAD_CLIENT=${LOAD_CLIENT:-build/tests/hamlet_load_client}

# bench_require TOOL... : exits 1 naming the first missing tool.
bench_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 ||
      { echo "$(basename "$0"): '$tool' is missing; run: bash scripts/install-deps.sh --test" >&2; exit 1; }
  done
}

# bench_build: builds hamletd, hamlet and the load client (Release) when one of them is missing.
bench_build() {
  [[ -x "$HAMLETD" && -x "$HAMLET" && -x "$LOAD_CLIENT" ]] && return 0
  [[ -f build/CMakeCache.txt ]] || cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j2 --target hamletd hamlet hamlet_load_client >/dev/null
}

# bench_free_port: prints a loopback port nothing answers on.
bench_free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "$(basename "$0"): no free loopback port found" >&2
  return 1
}

# bench_db_flag DB: the option that names DB: --store for a postgresql:// URL, else --db.
bench_db_flag() { [[ "$1" == postgresql://* ]] && echo --store || echo --db; }

# bench_new_key DB SITE: creates the database and a site key; prints the key.
bench_new_key() {
  local key
  key=$("$HAMLET" "$(bench_db_flag "$1")" "$1" keys create --site "$2" | tail -n 1)
  [[ "$key" =~ ^[0-9a-f]{12}$ ]] ||
    { echo "$(basename "$0"): 'hamlet keys create' printed '$key', not a key" >&2; return 1; }
  echo "$key"
}

# bench_bodies KEY SITE OUT: one form-encoded comment-check body per comment under data/
# (data/*.jsonl and data/heldout/: 817 comments, spam and ham, short and long, with and without
# links, from many kinds of sites), with varied IPs and user agents.
bench_bodies() {
  KEY=$1 SITE=$2 perl -MJSON::PP -ne '
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
  ' data/*.jsonl data/heldout/*.jsonl >"$3"
}

# bench_prepare NAME: for a run in $work, sets `port` (free), `db` ($work/NAME.db with a site
# key for http://NAME.example/), `key`, and writes the comment-check bodies to $work/bodies.txt.
bench_prepare() {
  port=$(bench_free_port)
  db="$work/$1.db"
  key=$(bench_new_key "$db" "http://$1.example/")
  bench_bodies "$key" "http://$1.example/" "$work/bodies.txt"
}

# missing_guids DB FILE: how many guids listed in FILE (one per line) are not decisions in DB.
missing_guids() {
  sqlite3 "$1" ".mode csv" "CREATE TEMP TABLE got (id TEXT)" ".import $2 got" \
    "SELECT count(*) FROM got WHERE id NOT IN (SELECT id FROM decisions)"
}

# bench_start_hamletd DB PORT LOG [ARGS...]: starts hamletd on DB (a SQLite file or a
# postgresql:// URL), sets bench_server_pid and waits until /healthz answers.
bench_start_hamletd() {
  local db=$1 port=$2 log=$3
  shift 3
  # No rate limits: a benchmark is one client address and one key at full speed. Nor the
  # per-address connection cap (128): a client that reconnects after each keep-alive max
  # briefly holds more than its connection count (a 128-connection load run got 429s).
  # Each default only when ARGS do not set it (hamletd refuses an option given twice).
  local defaults=() flag value flag_value
  for flag_value in "--rate-limit-ip 0" "--rate-limit-key 0" "--max-connections-per-ip 65536"; do
    read -r flag value <<<"$flag_value"
    [[ " $* " == *" $flag "* ]] || defaults+=("$flag" "$value")
  done
  "$HAMLETD" "$(bench_db_flag "$db")" "$db" --listen "127.0.0.1:$port" "${defaults[@]}" "$@" \
    >>"$log" 2>&1 &
  bench_server_pid=$!
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && return 0
    kill -0 "$bench_server_pid" 2>/dev/null ||
      { echo "$(basename "$0"): hamletd exited:" >&2; tail -n 20 "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "$(basename "$0"): hamletd never became healthy" >&2
  return 1
}

# bench_stop_hamletd: SIGTERM to the server started above, and waits for it.
bench_stop_hamletd() {
  if [[ -n "$bench_server_pid" ]] && kill -0 "$bench_server_pid" 2>/dev/null; then
    kill "$bench_server_pid" 2>/dev/null || true
    wait "$bench_server_pid" 2>/dev/null || true
  fi
  bench_server_pid=""
}

bench_cleanup() {
  bench_stop_hamletd
  [[ -n "${work:-}" ]] && rm -rf "$work"
}

# bench_check_lua BODIES OUT: a wrk script that POSTs the bodies in rotation to
# /1.1/comment-check and counts the answers, so that a wrong key (answered "invalid" with
# status 200) cannot pass for throughput, and the answers other than 200 by status (wrk
# itself only counts them), printed as "statuses:" lines.
bench_check_lua() {
  cat >"$2" <<LUA
local bodies = {}
for line in io.lines("$1") do bodies[#bodies + 1] = line end
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local i = math.random(#bodies)
spam, ham, other = 0, 0, 0
seen = ""  -- the statuses other than 200 this thread got, each once: "429 503"
request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/1.1/comment-check", headers, bodies[i])
end
response = function(status, hdrs, body)
  if status ~= 200 then
    local k = "status_" .. status
    if _G[k] == nil then _G[k] = 0; seen = seen .. " " .. status end
    _G[k] = _G[k] + 1
  end
  if body == "true" then spam = spam + 1 elseif body == "false" then ham = ham + 1 else other = other + 1 end
end
local all = {}
setup = function(thread) all[#all + 1] = thread end
done = function(summary, latency, requests)
  local s, h, o = 0, 0, 0
  for _, t in ipairs(all) do s = s + t:get("spam"); h = h + t:get("ham"); o = o + t:get("other") end
  io.write(string.format("answers: true=%d false=%d other=%d\n", s, h, o))
  local by_status, codes = {}, {}
  for _, t in ipairs(all) do
    for code in t:get("seen"):gmatch("%d+") do
      if by_status[code] == nil then by_status[code] = 0; codes[#codes + 1] = code end
      by_status[code] = by_status[code] + t:get("status_" .. code)
    end
  end
  table.sort(codes)
  for _, code in ipairs(codes) do io.write(string.format("statuses: %s=%d\n", code, by_status[code])) end
end
LUA
}

# wrk_field FILE WHAT: from a wrk --latency report, WHAT = rps | requests | p50 | p99 (ms)
# | non2xx | errors.
wrk_field() {
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

# rss_kb PID: the resident set size of one process, in KB (cheap: /proc/PID/status).
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# kv_field FILE KEY: the value of KEY=VALUE in a hamlet_load_client report.
kv_field() { awk -F= -v k="$2" '$1 == k { print $2 }' "$1"; }

# proc_memory_kb PID: "RSS_KB PSS_KB" of one process, from /proc/PID/smaps_rollup.
proc_memory_kb() {
  awk '/^Rss:/ { r = $2 } /^Pss:/ { p = $2 } END { print r + 0, p + 0 }' "/proc/$1/smaps_rollup"
}

# load_average: the 1-minute load average, for the report next to each figure.
load_average() { cut -d' ' -f1 /proc/loadavg; }
