#!/usr/bin/env bash
# Drives `hamlet review` in a real terminal (tmux): a small queue judged with single keys,
# an undo, a resize, details, a hostile comment whose escape sequences must not reach the
# screen, and quit; then checks the verdicts in the database, that the terminal was given back
# (cooked mode, main screen), and that SIGTERM in the middle of a session also restores it.
#
#   bash tests/cli/review_tmux.sh BUILD/hamlet
# Exit 0 on success, 1 on failure, 77 (skipped) when tmux is missing.
set -euo pipefail

hamlet=${1:?usage: review_tmux.sh PATH/TO/hamlet}
if ! command -v tmux >/dev/null 2>&1; then
  echo "review_tmux.sh: tmux is not installed (scripts/install-deps.sh --test installs it); skipped"
  exit 77
fi

work=$(mktemp -d /tmp/hamlet-review-tmux.XXXXXX)
socket="$work/tmux.sock"
tmx() { tmux -S "$socket" "$@"; }
cleanup() {
  tmx kill-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/h.db"
fail() {
  echo "review_tmux.sh: FAIL: $*" >&2
  echo "--- screen:" >&2
  tmx capture-pane -p -t review >&2 || true
  exit 1
}

# Polls the screen (up to 10 s) until it shows the fixed string $1.
wait_for() {
  local i
  for ((i = 0; i < 100; i++)); do
    if tmx capture-pane -p -t review | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "the screen never showed '$1'"
}

key=$("$hamlet" --db "$db" keys create --site http://blog.example/ | tail -n 1)
check() {  # check CONTENT [EXTRA JSON FIELDS]: a comment the test hook always calls spam
  local fields="{\"comment_author\":\"viagra-test-123\",\"comment_content\":$1${2:+,$2}}"
  "$hamlet" --db "$db" check --stdin --key "$key" --json <<<"$fields" |
    sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p'
}
first=$(check '"first comment, call +1 555 010 9999"')
second=$(check '"second comment http://pills.example/buy"')
third=$(check '"third \u001b[2J\u001b]0;pwned\u0007 \u202eevil"')
[[ ${#first} == 32 && ${#second} == 32 && ${#third} == 32 ]] || fail "could not create the queue"

# The session runs in a shell that reports how hamlet exited and what the terminal looks like
# afterwards. Oldest first: first, second, third.
tmx -f /dev/null new-session -d -s review -x 100 -y 30 \
  "TERM=xterm-256color '$hamlet' --db '$db' review --order oldest --moderator tess; \
   echo EXIT=\$?; stty -a | tr ' ' '\n' | grep -xE -- '-?icanon|-?echo' | tr '\n' ' '; echo; sleep 60"

wait_for "1 of 3"
wait_for "first comment"
tmx send-keys -t review s
wait_for "2 of 3 · spam 1 · ham 0"
wait_for "pills.example"
tmx send-keys -t review h
wait_for "3 of 3 · spam 1 · ham 1"
# The hostile comment: its escape sequences are shown as nothing, never obeyed. A "clear
# screen" would have wiped the header; a title change would show in the pane title.
wait_for "third"
screen=$(tmx capture-pane -p -e -t review)
grep -qF "pwned" <<<"$screen" && fail "the OSC title text reached the screen"
[[ "$(tmx display-message -p -t review '#{pane_title}')" == *pwned* ]] && fail "the comment set the window title"
grep -qF $'\xe2\x80\xae' <<<"$screen" && fail "the bidi override reached the screen"
grep -qF "hamlet review" <<<"$screen" || fail "the header is gone"

# Undo takes back the ham verdict on the second comment and returns to it.
tmx send-keys -t review u
wait_for "Undid the ham verdict"
wait_for "2 of 3 · spam 1 · ham 0"
wait_for "second comment"
# A resize redraws at the new size; details show the submitted fields.
tmx resize-window -t review -x 70 -y 24
tmx send-keys -t review d
wait_for "Submitted fields"
[[ $(tmx capture-pane -p -t review | awk '{ if (length($0) > m) m = length($0) } END { print m }') -le 70 ]] ||
  fail "a line is wider than the resized window"
tmx send-keys -t review s
wait_for "3 of 3 · spam 2 · ham 0"
tmx send-keys -t review Space
wait_for "The queue is done"
tmx send-keys -t review q
wait_for "EXIT=0"
wait_for "Reviewed 3 of 3: spam 2, ham 0, skipped 1 (moderator tess)."
wait_for "icanon echo"  # cooked mode is back

label() { "$hamlet" --db "$db" show "$1" --json | sed -n 's/^  "feedback": *\("[a-z]*"\|null\).*/\1/p'; }
[[ $(label "$first") == '"spam"' ]] || fail "first: expected spam, got $(label "$first")"
[[ $(label "$second") == '"spam"' ]] || fail "second: expected spam, got $(label "$second")"
[[ $(label "$third") == 'null' ]] || fail "third: expected no label, got $(label "$third")"
"$hamlet" --db "$db" undo --list --moderator tess | grep -q "undone" || fail "the undone verdict is not in the action list"

# SIGTERM in the middle of a session: the terminal is restored, exit 130. (Started in the
# background to learn its pid; a shell without job control gives a background command
# /dev/null as stdin, hence </dev/tty.)
# The pane's program is replaced, not the session: killing the last session would stop the
# server, and a new session started at once may race its shutdown.
tmx respawn-pane -k -t review \
  "'$hamlet' --db '$db' review --moderator tess </dev/tty & pid=\$!; echo \$pid > '$work/pid'; wait \$pid; \
   echo TERMINATED=\$?; echo AFTER \$(stty -a | tr ' ' '\n' | grep -xE -- '-?icanon|-?echo'); sleep 60"
wait_for "1 of 1"
kill -TERM "$(cat "$work/pid")"
wait_for "TERMINATED=130"
wait_for "AFTER icanon echo"
echo "review_tmux.sh: ok"
