#!/usr/bin/env bash
# Runs the signature-verification snippets of docs/webhooks.md (PHP, Python, shell) against
# signatures made with openssl: a good one must pass, a tampered body, a wrong secret and a
# stale timestamp must fail. Exit 77 (skipped) when php is not installed, after the others ran.
#
#   bash tests/docs/run-webhook-snippets.sh [docs/webhooks.md]
set -euo pipefail

doc=${1:-docs/webhooks.md}
[[ -f "$doc" ]] || { echo "run-webhook-snippets.sh: no $doc" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Each fenced block after "<!-- snippet: NAME -->" goes to $tmp/NAME.
awk -v dir="$tmp" '
  /^<!-- snippet: [^ ]+ -->$/ { name = $3; next }
  name != "" && /^```/ { if (inside) { inside = 0; name = "" } else { inside = 1 }; next }
  inside { print > (dir "/" name) }
' "$doc"
for f in verify.php verify.py verify.sh; do
  [[ -s "$tmp/$f" ]] || { echo "FAIL: snippet $f not found in $doc" >&2; exit 1; }
done

export SECRET='whsec_snippet_test_0123456789'
good_body='{"event":"ping","event_id":"00112233445566778899aabbccddeeff","site":"https://blog.example/"}'
sign() {  # sign T BODY [SECRET]
  printf '%s.%s' "$1" "$2" | openssl dgst -sha256 -hmac "${3:-$SECRET}" -r | cut -d' ' -f1
}
now=$(date +%s)

failures=0
php_missing=0
# expect WANT(ok|bad) CASE BODY SIG
expect() {
  local want=$1 case=$2 body=$3 sig=$4 got
  got=$(BODY=$body SIG=$sig python3 -c '
import os, sys
sys.path.insert(0, sys.argv[1])
from verify import hamlet_signature_ok
print("ok" if hamlet_signature_ok(os.environ["SECRET"], os.environ["SIG"], os.environ["BODY"].encode()) else "bad")
' "$tmp")
  [[ "$got" == "$want" ]] || { echo "FAIL python/$case: got $got, want $want"; failures=$((failures + 1)); }

  got=$(BODY=$body SIG=$sig bash "$tmp/verify.sh")
  if [[ "$want" == ok ]]; then [[ "$got" == "signature ok"* ]]; else [[ "$got" == "BAD signature"* ]]; fi ||
    { echo "FAIL shell/$case: got '$got', want $want"; failures=$((failures + 1)); }

  if command -v php >/dev/null; then
    got=$(SNIPPET="$tmp/verify.php" BODY=$body SIG=$sig php -r '
require getenv("SNIPPET");
echo hamlet_signature_ok(getenv("SECRET"), getenv("SIG"), getenv("BODY")) ? "ok" : "bad";
' 2>&1 || true)
    [[ "$got" == "$want" ]] || { echo "FAIL php/$case: got '$got', want $want"; failures=$((failures + 1)); }
  else
    php_missing=1
  fi
}

sig="t=$now,v1=$(sign "$now" "$good_body")"
expect ok good "$good_body" "$sig"
expect bad tampered-body "${good_body/ping/pong}" "$sig"
expect bad wrong-secret "$good_body" "t=$now,v1=$(sign "$now" "$good_body" whsec_another_secret_000)"
old=$((now - 3600))
expect bad stale "$good_body" "t=$old,v1=$(sign "$old" "$good_body")"

if ((failures > 0)); then
  echo "run-webhook-snippets.sh: $failures snippet check(s) failed"
  exit 1
fi
if ((php_missing)); then
  echo "run-webhook-snippets.sh: python and shell snippets ok; php is not installed, PHP snippet not run"
  exit 77
fi
echo "run-webhook-snippets.sh: PHP, Python and shell snippets accept good signatures and refuse bad ones"
