#!/usr/bin/env bash
# Rebuilds models/hamlet-default.ftz and models/hamlet-default.json from the public corpora and
# our own examples under data/, and writes models/MODEL_CARD.md and the verdict-quality section of
# docs/benchmarks.md, all from measured results:
#
#   scripts/train-default-model.sh            (run from the repo root, after building build/hamlet)
#
# It runs scripts/eval-cross-site.sh (leave-one-video-out over the five TubeSpam files, every
# compared configuration) and ships SHIPPED below; see that script for the method, the corpora
# ($HAMLET_CORPORA, default ../shared/corpora) and the caches.
set -euo pipefail
cd "$(dirname "$0")/.."
# Chosen on the leave-one-video-out folds alone (FPR first, then F1); data/heldout is only reported.
# --nested: thresholds tuned only by models that never saw the reported video (about 40 minutes
# on 2 cores from an empty cache; reruns reuse the cached models).
SHIPPED=fields+seed-char
exec scripts/eval-cross-site.sh --config raw --config normalized --config fields \
  --config fields+seed --config fields+sa --config fields+seed-char \
  --nested --ship "$SHIPPED" "$@"
