#!/usr/bin/env bash
# Ablation of the checks: how much each check family changes false positives and recall on
# comments from sites the model never saw. Needs the corpora (../shared/corpora, or
# $HAMLET_CORPORA) and build/hamlet.
#
#   scripts/eval-ablation.sh [--write-docs]
#
# For each TubeSpam video, the shipped configuration's model trained without that video (from
# scripts/eval-cross-site.sh's cache; trained there when missing) judges the video with every
# check on, then with each check family switched off in turn (`hamlet eval --ablation`, the
# same switch as the per-site setting weight.FAMILY=0), at the shipped spam threshold
# (models/hamlet-default.json), in date order through a fresh memory (`--replay`), so the
# campaign, rate and reputation checks act as they would have live. The all-data model does the same on
# data/heldout/unseen-sites.jsonl. Prints a table (FPR first); --write-docs also writes it into
# docs/checks.md between its ablation markers. Results are cached in $HAMLET_EVAL_DIR
# (default /tmp/hamlet-eval-cross-site).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NAME=eval-ablation.sh
source scripts/lib/corpora.sh  # CORPORA, HAMLET, VIDEOS and their checks
WORK=${HAMLET_EVAL_DIR:-/tmp/hamlet-eval-cross-site}
SHIPPED=${HAMLET_ABLATION_CONFIG:-fields+seed-char}
write_docs=0
for arg in "$@"; do
  case "$arg" in
    --write-docs) write_docs=1 ;;
    -h | --help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "eval-ablation.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
corpora_require
hamlet_require

# The fold models and the all-data model of the shipped configuration (cached).
scripts/eval-cross-site.sh --config "$SHIPPED" >&2
threshold=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["thresholds"]["spam_log_odds"])' \
  models/hamlet-default.json)
out="$WORK/ablation"
mkdir -p "$out"
for v in "${VIDEOS[@]}"; do
  "$HAMLET" eval --data "$CORPORA/$v.jsonl" --model "$(cat "$WORK/evals/$SHIPPED--$v.model")" \
    --json --ablation --replay --threshold "$threshold" >"$out/$v.json"
done
"$HAMLET" eval --data data/heldout/unseen-sites.jsonl --model "$(cat "$WORK/evals/$SHIPPED--all.model")" \
  --json --ablation --replay --threshold "$threshold" >"$out/unseen.json"

python3 - "$out" "$threshold" "$write_docs" "${VIDEOS[@]}" <<'PY'
import json, sys, datetime
out, threshold, write_docs, videos = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1", sys.argv[4:]
folds = [json.load(open(f"{out}/{v}.json"))["ablation"] for v in videos]
unseen = json.load(open(f"{out}/unseen.json"))["ablation"]
def name(row): return "every check on" if row["without"] is None else "without " + row["without"]
lines = ["| checks | folds: mean FPR | folds: worst FPR | folds: mean recall | folds: ham flagged | folds: spam caught | unseen: FPR | unseen: recall | unseen: ham flagged | unseen: spam caught |",
         "|---|---|---|---|---|---|---|---|---|---|"]
for i, row in enumerate(unseen):
    per = [f[i] for f in folds]
    assert all(p["without"] == row["without"] for p in per)
    fp = sum(p["fp"] for p in per); tn = sum(p["tn"] for p in per)
    tp = sum(p["tp"] for p in per); fn = sum(p["fn"] for p in per)
    mean_fpr = sum(p["fpr"] for p in per) / len(per)
    worst_fpr = max(p["fpr"] for p in per)
    mean_rec = sum(p["recall"] for p in per) / len(per)
    lines.append(f"| {name(row)} | {mean_fpr:.4f} | {worst_fpr:.4f} | {mean_rec:.4f} | {fp} of {fp+tn} | {tp} of {tp+fn} "
                 f"| {row['fpr']:.4f} | {row['recall']:.4f} | {row['fp']} of {row['fp']+row['tn']} | {row['tp']} of {row['tp']+row['fn']} |")
table = "\n".join(lines)
print(table)
if write_docs:
    today = datetime.date.today().isoformat()
    block = (f"<!-- eval-ablation.sh: begin -->\n"
             f"Written by `scripts/eval-ablation.sh --write-docs` on {today}, at the shipped spam threshold "
             f"(log-odds {threshold}). Folds: each TubeSpam video judged by the shipped configuration's model "
             f"trained without it (leave one video out). Unseen: `data/heldout/unseen-sites.jsonl` judged by the "
             f"all-data model. Each row switches one check family off (`hamlet eval --ablation`, the same "
             f"switch as `weight.FAMILY=0`). Comments are judged in date order through a fresh memory "
             f"(`--replay`), as a running hamletd would have seen them. Those corpora hold only a comment's text, author name and date, so "
             f"checks that read other fields (IP, e-mail, honeypot, timing, lists) cannot fire there; their "
             f"effect shows in the end-to-end tests instead.\n\n{table}\n<!-- eval-ablation.sh: end -->")
    doc = open("docs/checks.md").read()
    b, e = "<!-- eval-ablation.sh: begin -->", "<!-- eval-ablation.sh: end -->"
    if b in doc:
        doc = doc[:doc.index(b)] + block + doc[doc.index(e) + len(e):]
    else:
        doc = doc.rstrip("\n") + "\n\n## Ablation: each check's effect\n\n" + block + "\n"
    open("docs/checks.md", "w").write(doc)
    print("eval-ablation.sh: wrote the table into docs/checks.md", file=sys.stderr)
PY
