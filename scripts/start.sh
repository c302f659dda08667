#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, makes sure the database has a
# site key (creating the first one if it has no active key), prints the key with ready-to-paste
# curl examples, then runs hamletd in the foreground on the shipped default model.
#
#   bash scripts/start.sh [extra hamletd arguments, e.g. --model FILE]
# Environment: HAMLET_DB (default: hamlet.db in the repo root), HAMLET_LISTEN (127.0.0.1:8080),
# HAMLET_SITE (the first key's site, http://localhost/).
#
# Keys are stored hashed and shown once, so the first key is also kept in DB.first-key (mode
# 0600) for a re-run to print it again. Delete that file once the key is in your site's settings.
set -euo pipefail

caller_pwd=$PWD
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
db=${HAMLET_DB:-$root/hamlet.db}
[[ "$db" == /* ]] || db="$caller_pwd/$db"
listen=${HAMLET_LISTEN:-127.0.0.1:8080}
site=${HAMLET_SITE:-http://localhost/}
key_file="$db.first-key"

cd "$root"
bash scripts/install-deps.sh
bash scripts/build.sh

# Paths as the user should type them: relative when they stand in the repo root.
if [[ "$caller_pwd" == "$root" ]]; then
  cli="build/hamlet"
  shown_db=${db#"$root"/}
else
  cli="$root/build/hamlet"
  shown_db=$db
fi
shown_key_file="$shown_db.first-key"

# Active site keys in the database as "hint<TAB>site" lines (creates the database when missing).
active_keys() {
  build/hamlet --db "$db" keys list --json | perl -MJSON::PP -e '
    local $/; my $keys = decode_json(<STDIN>);
    print "$_->{hint}\t$_->{site}\n" for grep { !defined $_->{revoked} && ($_->{role} // "site") eq "site" } @$keys;'
}

active=$(active_keys)
key=""
key_site=$site
note=""
if [[ -s "$key_file" ]]; then
  saved=$(head -n 1 "$key_file")
  # Keys are listed by a short prefix (hint) only: the saved key counts as active when an
  # active key's hint is a prefix of it.
  saved_line=""
  while IFS=$'\t' read -r hint hint_site; do
    if [[ -n "$hint" && "$saved" == "$hint"* ]]; then
      saved_line="$hint"$'\t'"$hint_site"
      break
    fi
  done <<<"$active"
  if [[ "$saved" =~ ^[0-9a-f]{12}$ && -n "$saved_line" ]]; then
    key=$saved
    key_site=${saved_line#*$'\t'}
    note="(the first key, kept in $shown_key_file; delete that file once you have stored the key elsewhere)"
  fi
fi
if [[ -z "$key" && -z "$active" ]]; then
  key=$(build/hamlet --db "$db" keys create --site "$site" | tail -n 1)
  [[ "$key" =~ ^[0-9a-f]{12}$ ]] || { echo "start.sh: 'hamlet keys create' printed '$key', not a key" >&2; exit 1; }
  (umask 077 && printf '%s\n' "$key" >"$key_file")
  note="(new; a copy is kept in $shown_key_file, mode 0600, so the next start can show it again)"
fi

host=${listen%:*}
port=${listen##*:}
[[ "$host" == 0.0.0.0 || "$host" == "" ]] && host=127.0.0.1
[[ "$host" == "::" || "$host" == "[::]" ]] && host="[::1]"
url="http://$host:$port"

echo
echo "================================================================================"
if [[ -n "$key" ]]; then
  echo "hamlet site key for $key_site: $key"
  echo "  $note"
  shown=$key
else
  echo "This database already has active keys; a key is shown only when it is created:"
  build/hamlet --db "$db" keys list | sed 's/^/  /'
  echo "Use a key you saved, or create another with:"
  echo "  $cli --db $shown_db keys create --site $site"
  echo "In the examples below, replace YOUR_KEY with it."
  shown=YOUR_KEY
fi
cat <<EOF

Try it (in another terminal):

  # is the key valid? -> valid
  curl -s -w '\\n' $url/1.1/verify-key -d key=$shown -d blog=$key_site

  # an obvious spam comment -> true
  curl -s $url/1.1/comment-check -d api_key=$shown -d blog=$key_site \\
    -d user_ip=203.0.113.7 -d comment_type=comment -d comment_author='Best Deals' \\
    --data-urlencode 'comment_content=Buy cheap viagra online without prescription! Best price, fast worldwide shipping: http://cheap-pills.example/order' \\
    -w '   (id %header{x-akismet-guid})\\n'

  # an ordinary comment -> false
  curl -s $url/1.1/comment-check -d api_key=$shown -d blog=$key_site \\
    -d user_ip=198.51.100.23 -d comment_type=comment -d comment_author=Marta \\
    --data-urlencode 'comment_content=I tried the overnight proof from this post and the crust came out much darker. Do you feed the starter the night before?' \\
    -w '   (id %header{x-akismet-guid})\\n'

  # what was decided, and why (the queue lists spam and uncertain decisions)
  $cli --db $shown_db queue
  $cli --db $shown_db show <id printed above>

Starting hamletd on $listen (Ctrl-C stops it) ...
================================================================================
EOF

exec build/hamletd --db "$db" --listen "$listen" "$@"
