#!/usr/bin/env bash
# Runs a real third-party Akismet client against the real hamletd (CTest: clients.<client>).
#
#   tests/clients/run-client.sh <client> <path-to-hamletd> <path-to-hamlet>
#
# <client>: perl-net-akismet (Debian's Net::Akismet), node-akismet-api (npm akismet-api@6.0.0,
# key in the Host label), node-akismet-api-body (the same, api_key in the body),
# node-cedx-akismet (npm @cedx/akismet@16.2.1). docs/akismet-clients.md: who sends what.
#
# Starts hamletd on a free loopback port with a fresh database and site key, runs the client
# (verify-key, comment-check: test hook, realistic spam, ham; submit-spam; submit-ham), then
# checks with `hamlet show --json` that both reports were stored and linked to their checks.
# hamletd is stopped by its PID. The model is hamletd's default (models/hamlet-default.ftz;
# $HAMLET_MODEL overrides).
#
# Exit codes: 0 pass, 1 fail, 77 skip: only when the client itself cannot be installed
# (Net::Akismet missing and not installable with apt-get; node/npm missing or the npm
# registry unreachable).
#
# The npm packages are installed once, idempotently, into $HAMLET_CLIENT_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/hamlet-clients) from tests/clients/package.json (pinned).
set -euo pipefail

client=${1:?usage: run-client.sh <perl-net-akismet|node-akismet-api|node-akismet-api-body|node-cedx-akismet> <hamletd> <hamlet>}
hamletd=${2:?path to hamletd}
hamlet=${3:?path to hamlet}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- the client -------------------------------------------------------------------------------
case "$client" in
  perl-net-akismet)
    if ! perl -MNet::Akismet -e 1 2>/dev/null; then
      echo "Net::Akismet is missing; trying apt-get install libnet-akismet-perl" >&2
      if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
          libnet-akismet-perl >&2 || true
      fi
      perl -MNet::Akismet -e 1 2>/dev/null ||
        skip "perl module Net::Akismet (Debian: libnet-akismet-perl) is not installed and could not be installed"
    fi
    run_client() { perl "$here/net-akismet.pl"; }
    ;;
  node-akismet-api | node-akismet-api-body | node-cedx-akismet)
    command -v node >/dev/null || skip "node is not installed"
    command -v npm >/dev/null || skip "npm is not installed"
    cache=${HAMLET_CLIENT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hamlet-clients}
    # "name@version" of every pinned package that is not installed at its pinned version.
    not_installed() {
      node -e '
        const [want, dir] = process.argv.slice(1);
        for (const [name, version] of Object.entries(require(want).dependencies)) {
          let have = "none";
          try { have = require(`${dir}/node_modules/${name}/package.json`).version } catch (e) {}
          if (have !== version) console.log(`${name}@${version}`);
        }' "$here/package.json" "$cache"
    }
    if [[ -n $(not_installed) ]]; then
      mkdir -p "$cache"
      cp "$here/package.json" "$cache/package.json"
      echo "installing $(not_installed | tr '\n' ' ')into $cache" >&2
      npm install --no-audit --no-fund --prefix "$cache" >&2 ||
        skip "npm install into $cache failed (registry unreachable?)"
      [[ -z $(not_installed) ]] || skip "$(not_installed | tr '\n' ' ')did not install into $cache"
    fi
    case "$client" in
      node-akismet-api) run_client() { NODE_PATH="$cache/node_modules" node "$here/akismet-api.js"; } ;;
      node-akismet-api-body)
        run_client() { KEY_PLACEMENT=body NODE_PATH="$cache/node_modules" node "$here/akismet-api.js"; } ;;
      node-cedx-akismet) run_client() { HAMLET_CLIENT_CACHE=$cache node "$here/cedx-akismet.mjs"; } ;;
    esac
    ;;
  *) fail "unknown client '$client' (perl-net-akismet, node-akismet-api, node-akismet-api-body, node-cedx-akismet)" ;;
esac

[[ -x "$hamletd" ]] || fail "no hamletd at $hamletd"
[[ -x "$hamlet" ]] || fail "no hamlet at $hamlet"

# --- hamletd ----------------------------------------------------------------------------------
work=$(mktemp -d /tmp/hamlet-client-XXXXXX)
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/hamlet.db"
key=$("$hamlet" --db "$db" keys create --site http://example.test/ | tail -n 1)
[[ "$key" =~ ^[0-9a-f]{12}$ ]] || fail "hamlet keys create printed '$key', not a key"

port=$(perl -MIO::Socket::INET -e \
  'my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0) or die; print $s->sockport')

"$hamletd" --db "$db" --listen "127.0.0.1:$port" --log-level debug >"$work/hamletd.log" 2>&1 &
pid=$!

healthy() {
  local line
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  IFS= read -r -t 2 line <&3 || true
  exec 3<&- 3>&-
  [[ "$line" == "HTTP/1.1 200"* ]]
}
deadline=$((SECONDS + 15))
until healthy; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/hamletd.log" >&2; fail "hamletd exited during start-up"; }
  (( SECONDS < deadline )) || { cat "$work/hamletd.log" >&2; fail "hamletd not healthy within 15 s"; }
  sleep 0.1  # poll interval
done

# --- the client run ---------------------------------------------------------------------------
echo "== $client against hamletd on 127.0.0.1:$port"
status=0
HAMLET_PORT=$port HAMLET_KEY=$key run_client >"$work/client.out" || status=$?
cat "$work/client.out"
if (( status != 0 )); then
  echo "--- hamletd log ---" >&2
  cat "$work/hamletd.log" >&2
  fail "$client reported failures (exit $status)"
fi

# --- the stored rows --------------------------------------------------------------------------
spam_guid=$(awk '$1 == "GUID" && $2 == "spam" { print $3 }' "$work/client.out")
ham_guid=$(awk '$1 == "GUID" && $2 == "ham" { print $3 }' "$work/client.out")
[[ "$spam_guid" =~ ^[0-9a-f]{32}$ ]] || fail "no guid for the spam check"
[[ "$ham_guid" =~ ^[0-9a-f]{32}$ ]] || fail "no guid for the ham check"

# Prints "<verdict> <label of each feedback, linked to this decision>" for a decision.
feedback_of() {
  "$hamlet" --db "$db" show "$1" --json | perl -MJSON::PP -e '
    local $/; my $d = decode_json(<STDIN>); my $id = $ARGV[0];
    print join(" ", $d->{verdict},
      map { "$_->{label}/$_->{source}" } grep { $_->{decision_id} eq $id } @{ $d->{history} }), "\n";' "$1"
}
spam_row=$(feedback_of "$spam_guid")
ham_row=$(feedback_of "$ham_guid")
echo "stored: spam check $spam_guid -> $spam_row"
echo "stored: ham check  $ham_guid -> $ham_row"
[[ "$spam_row" =~ ^(spam|discard)\ spam/akismet$ ]] ||
  fail "the spam check should be spam/discard with one linked submit-spam, got '$spam_row'"
[[ "$ham_row" == "ham ham/akismet" ]] ||
  fail "the ham check should be ham with one linked submit-ham, got '$ham_row'"
echo "PASS: $client"
