#!/usr/bin/env bash
# A real WordPress site filtered by the real hamletd (CTest: wordpress.e2e).
#
#   tests/wordpress/run-wordpress.sh <path-to-hamletd> <path-to-hamlet>
#
# Debian 12's WordPress 6.1 with its bundled, unmodified Akismet plugin (5.0.2), pointed at
# hamletd by contrib/wordpress/hamlet.php. The site runs on a private MariaDB (socket only)
# and `php -S` with workers, all under one temporary directory. As a logged-out visitor the
# test posts through wp-comments-post.php and checks, in WordPress's database and in hamlet's:
#   1. the key is entered through the plugin's own settings page (verify-key,
#      get-subscription, GET /1.1/test, get-stats);
#   2. an ordinary comment is approved;
#   3. spam written as a spammer would is filed as spam;
#   4. with "discard" on, a blatant spam (a bot that fills the honeypot) is never stored;
#   5. a moderator's "spam" and "not spam" through the REST API reach hamlet as
#      submit-spam/submit-ham, linked to the original decisions, with the moderator's name;
#   6. with hamletd stopped, a comment is held; after a restart the plugin's cron recheck
#      approves it, and hamlet stores the recheck;
#   7. "Check for Spam" on a comment WordPress held rechecks it, linked to its first decision,
#      and get-stats counts that comment once.
# Every process it starts is stopped by its PID; /etc/wordpress/config-127.0.0.1.php (Debian
# picks the site config by Host) is written and removed again.
#
# Exit codes: 0 pass, 1 fail, 77 skip: only when the packages (wordpress,
# wordpress-theme-twentytwentythree, php-cli, mariadb-server, curl) are missing and cannot be
# installed with apt-get.
set -euo pipefail

hamletd=${1:?usage: run-wordpress.sh <hamletd> <hamlet>}
hamlet=${2:?path to hamlet}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
plugin=$here/../../contrib/wordpress/hamlet.php
wp=/usr/share/wordpress
conf=/etc/wordpress/config-127.0.0.1.php
marker='// written by hamlet tests/wordpress/run-wordpress.sh'
started=$SECONDS

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; declare -F dump_logs >/dev/null && dump_logs; exit 1; }
say() { printf '[%3ds] %s\n' $((SECONDS - started)) "$*"; }

# --- packages -----------------------------------------------------------------------------------
packages=(wordpress wordpress-theme-twentytwentythree php-cli mariadb-server curl)
missing=()
for p in "${packages[@]}"; do
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  ((EUID == 0)) && command -v apt-get >/dev/null || skip "missing ${missing[*]}; run as root to install"
  echo "installing ${missing[*]} (apt-get)" >&2
  # --no-install-recommends drops the default theme, hence named; apache2 comes along as a
  # dependency of wordpress but is not used.
  install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; }
  install || { DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && install; } ||
    skip "apt-get could not install ${missing[*]}"
fi
((EUID == 0)) || fail "must run as root (writes $conf)"
[[ -x $hamletd && -x $hamlet ]] || fail "no hamletd/hamlet at $hamletd / $hamlet"
# One run at a time per machine (several build trees may run ctest at once): the site config
# path is fixed by Debian's wp-config.php.
exec 9>/tmp/hamlet-wordpress-e2e.lock
flock -w 600 9 || fail "another WordPress test held /tmp/hamlet-wordpress-e2e.lock for 10 minutes"
if [[ -e $conf ]] && ! grep -qF "$marker" "$conf"; then
  fail "$conf exists and is not ours: a site on 127.0.0.1 is configured here; not touching it"
fi

# --- processes ----------------------------------------------------------------------------------
work=$(mktemp -d /tmp/hamlet-wp-XXXXXX)
pids=()  # every process started, stopped by PID in cleanup
hamletd_pid=""
alive() { [[ -d /proc/$1 ]] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
stop_pid() {
  local pid=$1
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  [[ -e $conf ]] && grep -qF "$marker" "$conf" && rm -f "$conf"
  if [[ ${KEEP_WORK:-0} == 1 ]]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
dump_logs() {
  [[ -n ${work:-} && -d $work ]] || return 0
  echo "--- hamletd log (tail) ---" >&2; tail -n 40 "$work/hamletd.log" >&2 2>/dev/null || true
  echo "--- php server log (tail) ---" >&2; tail -n 20 "$work/php.log" >&2 2>/dev/null || true
}
free_port() {
  perl -MIO::Socket::INET -e \
    'my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0) or die; print $s->sockport'
}
wait_for() {  # wait_for SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do ((SECONDS < deadline)) || return 1; sleep 0.1; done
}

wp_port=$(free_port)
ham_port=$(free_port)
site=http://127.0.0.1:$wp_port
ham_url=http://127.0.0.1:$ham_port
db=$work/hamlet.db
sock=$work/mysqld.sock
admin=admin
admin_pass=admin-pass-e2e
ua='Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0'

start_hamletd() {
  "$hamletd" --db "$db" --listen "127.0.0.1:$ham_port" >>"$work/hamletd.log" 2>&1 &
  hamletd_pid=$!
  pids+=("$hamletd_pid")
  wait_for 15 curl -sf "$ham_url/healthz" || fail "hamletd not healthy within 15 s"
}

say "hamletd on $ham_url, WordPress on $site, work dir $work"
key=$("$hamlet" --db "$db" keys create --site "$site" | tail -n 1)
[[ $key =~ ^[0-9a-f]{12}$ ]] || fail "hamlet keys create printed '$key'"
start_hamletd

say "MariaDB: private instance, socket only"
mariadb-install-db --no-defaults --datadir="$work/db" --user=root --skip-test-db \
  --auth-root-authentication-method=socket >"$work/mariadb-install.log" 2>&1 ||
  fail "mariadb-install-db: $(tail -n 5 "$work/mariadb-install.log")"
mariadbd --no-defaults --datadir="$work/db" --socket="$sock" --pid-file="$work/mysqld.pid" \
  --skip-networking --user=root --log-error="$work/mariadb.err" >/dev/null 2>&1 &
pids+=($!)
sql() { mariadb --socket="$sock" -uroot -N -B wordpress -e "$1"; }
wait_for 30 mariadb --socket="$sock" -uroot -e 'SELECT 1' || fail "mariadbd did not start"
mariadb --socket="$sock" -uroot -e "CREATE DATABASE wordpress;
  CREATE USER 'wordpress'@'localhost' IDENTIFIED BY 'wp-e2e-pass';
  GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';"

say "site config $conf, the hamlet must-use plugin"
mkdir -p /etc/wordpress "$work/mu-plugins"
cp "$plugin" "$work/mu-plugins/hamlet.php"
# The test posts several comments from one address within seconds: lift WordPress's 15 s
# comment-flood limit (only in this throw-away site).
printf '<?php\nadd_filter( "comment_flood_filter", "__return_false", 100 );\n' \
  >"$work/mu-plugins/e2e-no-flood-limit.php"
cat >"$conf" <<PHP
<?php
$marker
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wordpress' );
define( 'DB_PASSWORD', 'wp-e2e-pass' );
define( 'DB_HOST', 'localhost:$sock' );
define( 'WPMU_PLUGIN_DIR', '$work/mu-plugins' );
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );  // nothing leaves this machine
define( 'DISABLE_WP_CRON', true );         // the test runs the recheck itself
define( 'HAMLET_URL', '$ham_url' );
PHP

say "php -S with 4 workers"
# Workers: WordPress calls itself (install's permalink test, Site Health); one process would
# wait for its own timeout each time.
PHP_CLI_SERVER_WORKERS=4 php -S "127.0.0.1:$wp_port" -t "$wp" >"$work/php.log" 2>&1 &
php_pid=$!
pids+=("$php_pid")
wait_for 15 curl -s -o /dev/null "$site/wp-login.php" || fail "php -S did not answer"
# The forked workers outlive their master on SIGTERM: stop them by PID too.
for st in /proc/[0-9]*/status; do
  [[ $(awk '/^PPid:/{print $2}' "$st" 2>/dev/null) == "$php_pid" ]] &&
    pids+=("$(awk '/^Pid:/{print $2}' "$st")")
done

say "install, log in, activate Akismet"
code=$(curl -sS -o "$work/install.html" -w '%{http_code}' "$site/wp-admin/install.php?step=2" \
  --data-urlencode "weblog_title=hamlet e2e" --data-urlencode "user_name=$admin" \
  --data-urlencode "admin_password=$admin_pass" --data-urlencode "admin_password2=$admin_pass" \
  -d pw_weak=on -d admin_email=admin@example.test -d blog_public=0 -d language=)
[[ $code == 200 ]] && grep -q 'Success!' "$work/install.html" || fail "install.php answered $code"
# WordPress holds a first-time author's comment even when Akismet says ham; approve on ham.
sql "UPDATE wp_options SET option_value='0' WHERE option_name='comment_previously_approved'"
jar=$work/admin.jar
curl -sS -c "$jar" -o /dev/null "$site/wp-login.php"
out=$(curl -sS -b "$jar" -c "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' "$site/wp-login.php" \
  --data-urlencode "log=$admin" --data-urlencode "pwd=$admin_pass" -d wp-submit=Log+In \
  --data-urlencode "redirect_to=$site/wp-admin/" -d testcookie=1)
[[ $out == "302 $site/wp-admin/" ]] || fail "login answered '$out'"
nonce=$(curl -sS -b "$jar" "$site/wp-admin/plugins.php" |
  grep -o 'action=activate&amp;plugin=akismet%2Fakismet.php[^"]*' | grep -o '_wpnonce=[0-9a-f]*' |
  head -n 1 | cut -d= -f2 || true)
[[ -n $nonce ]] || fail "no activate link for Akismet on plugins.php"
out=$(curl -sS -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
  "$site/wp-admin/plugins.php?action=activate&plugin=akismet%2Fakismet.php&_wpnonce=$nonce")
[[ $out == 302*activate=true* ]] || fail "activating Akismet answered '$out'"

pass=0
ok() { pass=$((pass + 1)); say "ok   $*"; }
expect() {  # expect WHAT GOT WANT
  [[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"
  ok "$1: $2"
}

# --- 1. the key, through the plugin's settings page ----------------------------------------------
page="$site/wp-admin/options-general.php?page=akismet-key-config"
nonce=$(curl -sS -b "$jar" "$page" | grep -o 'name="_wpnonce" value="[0-9a-f]*"' | head -n 1 |
  grep -o '[0-9a-f]\{10\}' || true)
[[ -n $nonce ]] || fail "no form nonce on the Akismet settings page"
curl -sS -b "$jar" -o "$work/key-saved.html" "$page" -d action=enter-key \
  --data-urlencode "key=$key" -d "_wpnonce=$nonce" -d submit=Connect
expect "key saved by the settings page" \
  "$(sql "SELECT option_value FROM wp_options WHERE option_name='wordpress_api_key'")" "$key"
curl -sS -b "$jar" -o "$work/settings.html" "$page"
grep -q 'name="akismet_strictness"' "$work/settings.html" || fail "settings page shows no settings form"
! grep -qi "can&#8217;t connect\|unable to connect\|problem connecting" "$work/settings.html" ||
  fail "the settings page reports a connection problem"
for call in 'POST /1.1/verify-key 200' 'POST /1.1/get-subscription 200' 'GET /1.1/test 200' \
  'POST /1.1/get-stats 200'; do
  read -r method path status <<<"$call"
  grep -q " method=$method path=$path status=$status " "$work/hamletd.log" ||
    fail "hamletd never answered $call"
done
ok "settings page: verify-key, get-subscription, test and get-stats answered"

# --- comments as a logged-out visitor ---------------------------------------------------------
visitor=$work/visitor.jar
post_url=$(curl -sS -L -A "$ua" -c "$visitor" -b "$visitor" -o "$work/post.html" -w '%{url_effective}' "$site/?p=1")
grep -q 'id="commentform"' "$work/post.html" || fail "no comment form on $post_url"
form_value() {  # the value of an input of the comment form (either quote style)
  FIELD=$1 perl -ne 'my $n = quotemeta $ENV{FIELD};
    if (/<input[^>]*name=["\x27]$n["\x27][^>]*value=["\x27]([^"\x27]*)/) { print $1; exit }' "$work/post.html"
}
post_id=$(form_value comment_post_ID)
[[ -n $post_id ]] || fail "no comment_post_ID in the form"
ak_nonce=$(form_value akismet_comment_nonce)
LAST_ID='' LAST_STATUS='' LAST_GUID='' LAST_HTTP=''
# The id of the newest decision in hamletd's log ("comment-check key=1 verdict=ham ... id=GUID").
last_check_guid() {
  { grep 'comment-check key=' "$work/hamletd.log" || true; } | tail -n 1 | grep -o ' id=[0-9a-f]*' | cut -d= -f2 || true
}
# comment AUTHOR EMAIL TEXT [HONEYPOT]: posts like the theme's form does (the page's script
# would set ak_js to the page-load time in milliseconds; a bot fills every textarea).
comment() {
  local before after
  before=$(grep -c 'comment-check key=' "$work/hamletd.log" || true)
  LAST_HTTP=$(curl -sS -A "$ua" -e "$post_url" -b "$visitor" -c "$visitor" -o /dev/null \
    -w '%{http_code} %{redirect_url}' "$site/wp-comments-post.php" \
    --data-urlencode "comment=$3" --data-urlencode "author=$1" --data-urlencode "email=$2" \
    -d url= -d "comment_post_ID=$post_id" -d comment_parent=0 \
    --data-urlencode "akismet_comment_nonce=$ak_nonce" --data-urlencode "ak_hp_textarea=${4:-}" \
    -d "ak_js=$(($(date +%s%N) / 1000000 - 8000))" --data-urlencode 'submit=Post Comment')
  LAST_ID=$(sql "SELECT MAX(comment_ID) FROM wp_comments WHERE comment_author='$1'")
  [[ $LAST_ID == NULL ]] && LAST_ID=''
  LAST_STATUS=''
  [[ -n $LAST_ID ]] && LAST_STATUS=$(sql "SELECT comment_approved FROM wp_comments WHERE comment_ID=$LAST_ID")
  after=$(grep -c 'comment-check key=' "$work/hamletd.log" || true)
  LAST_GUID=''
  if ((after > before)); then LAST_GUID=$(last_check_guid); fi
  return 0
}
show() { "$hamlet" --db "$db" show "$1" --json; }
json_get() {  # json_get EXPR: evaluates a Perl expression over $d (the JSON on stdin)
  perl -MJSON::PP -e 'local $/; my $d = decode_json(<STDIN>); my $v = eval $ARGV[0]; print defined $v ? $v : "null"' "$1"
}

# --- 2. an ordinary comment -------------------------------------------------------------------
comment "Jane Reader" "jane@example.test" \
  "Thanks for the write-up. The second paragraph answered my question about the cache settings."
ham_id=$LAST_ID ham_guid=$LAST_GUID
expect "ordinary comment approved" "$LAST_STATUS" 1
[[ -n $ham_guid ]] || fail "hamletd logged no comment-check for the ordinary comment"
expect "hamlet's verdict on it" "$(show "$ham_guid" | json_get '$d->{verdict}')" ham

# --- 3. spam as a spammer writes it ------------------------------------------------------------
comment "Prize Team" "win@prize.example" \
  "WINNER!! You have been selected to receive a 900 pounds prize reward! To claim call 09061701461. Claim code KL341. Valid 12 hours only."
spam_id=$LAST_ID spam_guid=$LAST_GUID
expect "prize spam filed as spam" "$LAST_STATUS" spam
expect "hamlet's verdict on it" "$(show "$spam_guid" | json_get '$d->{verdict} ne "ham" ? "spam" : "ham"')" spam

# --- 4. discard on: a blatant spam is never stored ---------------------------------------------
sql "UPDATE wp_options SET option_value='1' WHERE option_name='akismet_strictness'"
[[ $(sql "SELECT COUNT(*) FROM wp_options WHERE option_name='akismet_strictness'") == 1 ]] ||
  sql "INSERT INTO wp_options (option_name, option_value, autoload) VALUES ('akismet_strictness', '1', 'yes')"
comment "Cheap Meds Online" "sales@pills.example" \
  "Buy cheap viagra cialis online no prescription http://pills.example/buy http://pills.example/cheap http://pills.example/now best price pharmacy" \
  "Buy cheap viagra http://pills.example/"
expect "hamlet's verdict on the blatant spam" "$(show "$LAST_GUID" | json_get '$d->{verdict}')" discard
expect "blatant spam with discard on is not stored" "${LAST_ID:-not stored}" "not stored"
[[ $LAST_HTTP == "302 $post_url" ]] || fail "the spammer should be sent back to the post, got '$LAST_HTTP'"
sql "UPDATE wp_options SET option_value='0' WHERE option_name='akismet_strictness'"

# --- 5. moderators' verdicts through the REST API ---------------------------------------------
rest_nonce=$(curl -sS -b "$jar" "$site/wp-admin/admin-ajax.php?action=rest-nonce")
[[ $rest_nonce =~ ^[0-9a-f]{10}$ ]] || fail "no REST nonce (got '$rest_nonce')"
moderate() {  # moderate COMMENT_ID STATUS
  local code
  code=$(curl -sS -b "$jar" -X PUT -H "X-WP-Nonce: $rest_nonce" -H 'Content-Type: application/json' \
    -d "{\"status\":\"$2\"}" -o "$work/moderate.json" -w '%{http_code}' "$site/?rest_route=/wp/v2/comments/$1")
  [[ $code == 200 ]] || fail "REST status change of comment $1 to $2 answered $code"
}
# history_of GUID: "<label>/<source>/<moderator>" of every report linked to that decision
history_of() {
  show "$1" | json_get 'join " ", map { "$_->{label}/$_->{source}/$_->{moderator}" } grep { $_->{decision_id} eq $d->{id} } @{$d->{history}}'
}
moderate "$ham_id" spam
expect "moderator marks the ordinary comment spam" "$(sql "SELECT comment_approved FROM wp_comments WHERE comment_ID=$ham_id")" spam
expect "hamlet got submit-spam linked to the original check" "$(history_of "$ham_guid")" "spam/akismet/$admin"
moderate "$spam_id" approved
expect "moderator marks the prize spam not spam" "$(sql "SELECT comment_approved FROM wp_comments WHERE comment_ID=$spam_id")" 1
expect "hamlet got submit-ham linked to the original check" "$(history_of "$spam_guid")" "ham/akismet/$admin"

# --- 6. hamletd down: held, then resolved by the plugin's recheck ------------------------------
say "stopping hamletd (pid $hamletd_pid)"
stop_pid "$hamletd_pid"
comment "Sam Late" "sam@example.test" "Posted while the filter was down. Does the retry pick this up later?"
held_id=$LAST_ID
expect "comment held while hamletd is down" "$LAST_STATUS" 0
[[ -n $(sql "SELECT meta_value FROM wp_commentmeta WHERE comment_id=$held_id AND meta_key='akismet_error'") ]] ||
  fail "the plugin did not mark the comment for a retry (akismet_error)"
start_hamletd
say "hamletd restarted (pid $hamletd_pid); running the plugin's cron recheck"
php -r '
  $_SERVER["HTTP_HOST"] = $argv[1]; $_SERVER["SERVER_NAME"] = "127.0.0.1"; $_SERVER["REQUEST_URI"] = "/";
  define("DOING_CRON", true);
  require "/usr/share/wordpress/wp-load.php";
  do_action("akismet_schedule_cron_recheck");' "127.0.0.1:$wp_port" >"$work/cron.log" 2>&1 ||
  fail "cron recheck: $(cat "$work/cron.log")"
expect "held comment approved by the recheck" "$(sql "SELECT comment_approved FROM wp_comments WHERE comment_ID=$held_id")" 1
retry_guid=$(last_check_guid)
expect "hamlet stored the retry" "$(show "$retry_guid" | json_get '$d->{recheck_of} // "first check"') $(show "$retry_guid" | json_get 'join "", map { $_->[1] } grep { $_->[0] eq "recheck_reason" } @{$d->{fields}}')" "first check retry"

# --- 7. "Check for Spam" on a held comment: linked to its first check, counted once -----------
# WordPress's default rule holds a first-time author's comment (Akismet said ham). Not a REST
# "hold": that would overwrite the row's comment_agent, which the recheck is built from.
sql "UPDATE wp_options SET option_value='1' WHERE option_name='comment_previously_approved'"
comment "Ann Other" "ann@example.test" "A question for the author: which version of the plugin did you test with?"
recheck_first=$LAST_GUID
expect "a first-time author's comment held by WordPress" "$LAST_STATUS" 0
check_nonce=$(curl -sS -b "$jar" "$site/wp-admin/edit-comments.php?comment_status=moderated" |
  grep -o 'akismet_check_for_spam[^0-9a-f]*[0-9a-f]\{10\}\|data-nonce="[0-9a-f]\{10\}"' | head -n 1 | grep -o '[0-9a-f]\{10\}' || true)
[[ -n $check_nonce ]] || fail "no Check for Spam nonce on edit-comments.php"
curl -sS -b "$jar" -o "$work/recheck.json" "$site/wp-admin/admin-ajax.php" \
  -d action=akismet_recheck_queue -d "nonce=$check_nonce" -d offset=0 -d limit=100
grep -q '"counts"' "$work/recheck.json" || fail "Check for Spam answered: $(cat "$work/recheck.json")"
recheck_guid=$(last_check_guid)
[[ $recheck_guid != "$recheck_first" ]] || fail "Check for Spam sent no comment-check"
expect "the recheck names the first check" "$(show "$recheck_guid" | json_get '$d->{recheck_of}')" "$recheck_first"
stats=$(curl -sS "$ham_url/1.1/get-stats" -d "key=$key" --data-urlencode "blog=$site" -d from=all)
# first checks: Jane (ham), Prize (spam), blatant (discard), Sam's retry (ham), Ann (ham);
# Ann's recheck is a call only. Jane was missed spam, Prize a false positive.
expect "get-stats counts each comment once" \
  "$(echo "$stats" | json_get '"$d->{api_calls} calls, $d->{ham} ham, $d->{spam} spam, $d->{missed_spam} missed, $d->{false_positives} fp"')" \
  "6 calls, 3 ham, 2 spam, 1 missed, 1 fp"

say "PASS: $pass checks, WordPress $(sed -n "s/^\$wp_version = '\(.*\)';/\1/p" $wp/wp-includes/version.php), $((SECONDS - started)) s"
