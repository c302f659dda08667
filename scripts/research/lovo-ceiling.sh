#!/usr/bin/env bash
# Research only (never used by the product or the tests): are issue 3's leave-one-video-out
# targets (mean F1 >= 0.95, worst fold F1 >= 0.92, mean FPR <= 1%, worst fold FPR <= 2%) within
# reach of a better ranking model trained on this data? Measures, for each held-out TubeSpam
# video (outer fold):
#   - TF-IDF logistic regression and LinearSVC, C chosen by NESTED cross-validation (inner folds
#     over the four other videos), next to hamlet's fastText (configuration fields+seed-char);
#   - z-scored ensembles of those with fastText (scaling from the inner folds only), and a rank
#     average;
#   - per model: AUC, recall at 1% FPR, the NESTED operating point (threshold from the inner folds,
#     never from the held-out video: what a deployment could get) and the ORACLE one (threshold
#     tuned on the held-out video itself: an upper bound no threshold choice can beat).
# Prints mean/worst tables over the five folds and per-fold rows; the method is described in
# scripts/research/lovo-ceiling.py.
#
#   nice -n 10 scripts/research/lovo-ceiling.sh [--errors MODEL] [--counterfactual]
#                                              [--models lr,svm] [--sms-weight W] [--author]
#
# --errors MODEL (e.g. fasttext, lr, z:lr+fasttext) lists that model's false positives and
# negatives at its oracle threshold; --counterfactual scores again without likely-ambiguous rows.
# Runtime from an empty cache: about 20 minutes on one core (12 for the 20 inner fastText models,
# 3 more if the 5 outer ones must be trained, 4-5 for the 130 scikit-learn fits); under a minute
# when cached. Single-threaded throughout.
#
# Needs build/hamlet (or HAMLET_BIN; this script builds nothing), the corpora in $HAMLET_CORPORA
# (default ../shared/corpora, never copied into this repository), and scikit-learn for Debian's
# /usr/bin/python3: `apt-get install -y python3-sklearn python3-numpy python3-scipy`. That is
# research tooling, deliberately not in scripts/install-deps.sh.
#
# fastText fold models (hamlet train --input fields --minn 3 --maxn 5 on the other videos + SMS +
# data/*.jsonl, scored with hamlet eval --scores): the 20 inner ones (outer O, inner I: trained
# without O and I, scoring I) are trained here; the 5 outer ones are taken from
# $HAMLET_EVAL_DIR/evals/fields+seed-char--VIDEO.scores (scripts/eval-cross-site.sh, default
# /tmp/hamlet-eval-cross-site) when present, trained here otherwise. Cache and results:
# $HAMLET_RESEARCH_DIR (default /tmp/hamlet-lovo-ceiling), keyed by the hamlet binary and the data.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
NAME=lovo-ceiling.sh
source scripts/lib/corpora.sh  # CORPORA, HAMLET, VIDEOS and their checks
EVAL_DIR=${HAMLET_EVAL_DIR:-/tmp/hamlet-eval-cross-site}
WORK=${HAMLET_RESEARCH_DIR:-/tmp/hamlet-lovo-ceiling}
PY=/usr/bin/python3
SEEDS=("$ROOT"/data/*.jsonl)  # our examples, as scripts/eval-cross-site.sh reads them

case "${1:-}" in -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac

# --- prerequisites ------------------------------------------------------------------------------
corpora_require
hamlet_require
if ! "$PY" -c 'import sklearn, numpy, scipy' 2>/dev/null; then
  echo "lovo-ceiling.sh: needs scikit-learn, numpy and scipy for $PY (research tooling, not a" \
       "project dependency): apt-get install -y python3-sklearn python3-numpy python3-scipy" >&2
  exit 1
fi

# The fastText scores depend on the hamlet binary (its normalizer, its training) and the data.
inputs=("$HAMLET" "${SEEDS[@]}" "$CORPORA/sms-spam-collection.jsonl")
for v in "${VIDEOS[@]}"; do inputs+=("$CORPORA/$v.jsonl"); done
KEY=$(cat "${inputs[@]}" | md5sum | cut -c1-12)
FT=$WORK/ft-$KEY
mkdir -p "$FT"

# score NAME TEST_VIDEO TRAIN_VIDEO... : trains a fields+seed-char model, scores TEST_VIDEO into
# $FT/NAME.scores (kept across runs; the model and logs next to it).
score() {
  local name=$1 test=$2 v data=()
  shift 2
  [[ -s "$FT/$name.scores" && ! -L "$FT/$name.scores" ]] && return 0
  for v in "$@"; do data+=(--data "$CORPORA/$v.jsonl"); done
  data+=(--data "$CORPORA/sms-spam-collection.jsonl")
  for v in "${SEEDS[@]}"; do data+=(--data "$v"); done
  echo "lovo-ceiling.sh: training $name" >&2
  "$HAMLET" train "${data[@]}" --out "$FT/$name.ftz" --input fields --minn 3 --maxn 5 \
    >"$FT/$name.log" 2>&1 || { cat "$FT/$name.log" >&2; return 1; }
  "$HAMLET" eval --data "$CORPORA/$test.jsonl" --model "$FT/$name.ftz" --json \
    --scores "$FT/$name.scores.tmp" >"$FT/$name.eval.json"
  mv "$FT/$name.scores.tmp" "$FT/$name.scores"
}

t0=$SECONDS
for o in "${VIDEOS[@]}"; do
  for i in "${VIDEOS[@]}"; do
    [[ $o == "$i" ]] && continue
    train=()
    for v in "${VIDEOS[@]}"; do [[ $v == "$o" || $v == "$i" ]] || train+=("$v"); done
    score "$o--$i" "$i" "${train[@]}"
  done
  shipped=$EVAL_DIR/evals/fields+seed-char--$o.scores
  if [[ -s "$shipped" ]]; then
    ln -sfn "$(realpath "$shipped")" "$FT/outer--$o.scores"
  else
    [[ -L "$FT/outer--$o.scores" ]] && rm "$FT/outer--$o.scores"
    train=()
    for v in "${VIDEOS[@]}"; do [[ $v == "$o" ]] || train+=("$v"); done
    score "outer--$o" "$o" "${train[@]}"
  fi
done
echo "lovo-ceiling.sh: fastText fold scores ready in $FT ($((SECONDS - t0))s)" >&2

exec "$PY" "$ROOT/scripts/research/lovo-ceiling.py" --corpora "$CORPORA" --ft-dir "$FT" \
  --work "$WORK" "$@"
