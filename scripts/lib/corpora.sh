# shellcheck shell=bash
# Shared by the evaluation scripts that read ../shared/corpora (sourced, not run): where the
# labeled corpora and the hamlet binary are, the five TubeSpam videos, and the checks that
# stop a script with one clear line when either is missing. Callers run from the repository
# root and set NAME (their own name, for the messages) before calling the checks.

CORPORA=${HAMLET_CORPORA:-../shared/corpora}
HAMLET=${HAMLET_BIN:-build/hamlet}
VIDEOS=(tubespam-01-psy tubespam-02-katyperry tubespam-03-lmfao tubespam-04-eminem tubespam-05-shakira)

# corpora_require: exits 1 unless $CORPORA holds the five videos and the SMS collection; then
# makes CORPORA absolute.
corpora_require() {
  if [[ ! -d "$CORPORA" ]]; then
    echo "$NAME: the corpora are missing: needs ../shared/corpora (labeled JSONL," \
      "see its README.md), or HAMLET_CORPORA set to a directory holding them" >&2
    exit 1
  fi
  local f
  for f in "${VIDEOS[@]}" sms-spam-collection; do
    [[ -f "$CORPORA/$f.jsonl" ]] ||
      { echo "$NAME: $CORPORA/$f.jsonl is missing (see ../shared/corpora/README.md)" >&2; exit 1; }
  done
  CORPORA=$(realpath "$CORPORA")
}

# hamlet_require: exits 1 unless $HAMLET is an executable; then makes HAMLET absolute.
hamlet_require() {
  [[ -x "$HAMLET" ]] ||
    { echo "$NAME: $HAMLET not found; build first (cmake -S . -B build && cmake --build build -j2)" >&2; exit 1; }
  HAMLET=$(realpath "$HAMLET")
}
