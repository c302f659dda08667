#!/usr/bin/python3
"""Research only: how far can a better ranking model get on issue 3's leave-one-video-out targets?

  nice -n 10 scripts/research/lovo-ceiling.sh [--errors MODEL] [--counterfactual] ...
runs it after training the fastText fold models it reads (see that script's header for the data and
the caches). About 20 minutes on one core from empty caches (4-5 of them the 130 scikit-learn fits
here, cached under --work), seconds when cached. Never used by the product or the tests; needs
scikit-learn (Debian: apt-get install -y python3-sklearn python3-numpy python3-scipy), which is
research tooling and deliberately not a project dependency.

For each of the five TubeSpam videos O (outer fold), trained on the four others + SMS + data/*.jsonl:
  * linear TF-IDF models (word 1-2-grams + char_wb 2-5-grams): logistic regression ("lr") and
    LinearSVC ("svm"); C is chosen by NESTED cross-validation (for each inner video I != O, train on
    the three remaining videos, score I; pick the C with the best mean recall at 1% FPR, then AUC);
  * hamlet's fastText, configuration fields+seed-char (outer and inner fold scores from the driver);
  * ensembles: "z:" sums of z-scored scores (mean/std of each part from its pooled inner-fold scores:
    label-free, the held-out fold unused), and "rank:lr+fasttext" (rank average inside the held-out
    fold: transductive, no nested threshold possible).
Per model and fold it reports AUC, recall at 1% FPR, the ORACLE operating point (best F1 with
FPR <= 1% or 2%, threshold tuned on the held-out fold itself: an upper bound no deployable threshold
can beat) and the NESTED operating point (threshold = mean over the inner videos of the cut reaching
1% FPR on each, applied to O). Table: mean/worst over the five folds.
Options: --errors MODEL lists that model's false positives and negatives at its oracle threshold;
--counterfactual re-scores with likely-ambiguous rows removed (ham linking to a YouTube video,
like/thumbs-up-bait spam) to show how much of the gap they explain.
"""
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: liblinear is single-threaded anyway
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import argparse
import glob
import hashlib
import json
import re
import sys
import time

try:
    import numpy as np
    import sklearn
    from scipy.stats import rankdata
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import FeatureUnion
    from sklearn.svm import LinearSVC
except ImportError as e:
    sys.exit(f"lovo-ceiling.py: {e}; research tooling, not a project dependency: install it with\n"
             "  apt-get install -y python3-sklearn python3-numpy python3-scipy\n"
             "and run it with Debian's /usr/bin/python3")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VIDEOS = ["tubespam-01-psy", "tubespam-02-katyperry", "tubespam-03-lmfao", "tubespam-04-eminem",
          "tubespam-05-shakira"]
SEEDS = sorted(glob.glob(f"{ROOT}/data/*.jsonl"))  # our examples, as scripts/eval-cross-site.sh reads them
TARGET = 0.01

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--corpora", required=True, help="directory of the labeled corpora (JSONL)")
ap.add_argument("--ft-dir", required=True,
                help="fastText scores: outer--O.scores and O--I.scores (hamlet eval --scores)")
ap.add_argument("--work", required=True, help="cache of the sklearn fits and the results")
ap.add_argument("--models", default="lr,svm", help="comma list of lr, svm (default both)")
ap.add_argument("--sms-weight", type=float, default=1.0, help="sample weight of the SMS rows")
ap.add_argument("--author", action="store_true",
                help="append the author name as '_au_ <name>' tokens (a variant)")
ap.add_argument("--errors", metavar="MODEL", help="list MODEL's errors at its oracle threshold")
ap.add_argument("--counterfactual", action="store_true",
                help="scores again with likely-ambiguous rows removed")
ARGS = ap.parse_args()
C_DIR = ARGS.corpora


def load(path):
    rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    x = [r.get("comment_content", "") or "" for r in rows]
    load.authors[path] = [r.get("comment_author", "") or "" for r in rows]
    return x, np.array([r["label"] == "spam" for r in rows], int)


load.authors = {}

URL = re.compile(r"(https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|ly|co|me|tv|us|uk|de|ru|gl|be|io)\b\S*)", re.I)


def prep(t):
    """lower-case; URLs and bare domains -> ' _url_ '; collapse whitespace."""
    t = URL.sub(" _url_ ", t.lower())
    return re.sub(r"\s+", " ", t).strip()


def prep_all(path, xs):
    if not ARGS.author:
        return [prep(t) for t in xs]
    return [prep(t) + " _au_ " + prep(a) if a else prep(t) + " _au_none_"
            for t, a in zip(xs, load.authors[path])]


DATA = {v: load(f"{C_DIR}/{v}.jsonl") for v in VIDEOS}
SMS = load(f"{C_DIR}/sms-spam-collection.jsonl")
SEED = [load(p) for p in SEEDS]
PREP = {v: prep_all(f"{C_DIR}/{v}.jsonl", DATA[v][0]) for v in VIDEOS}
PREP_SMS = prep_all(f"{C_DIR}/sms-spam-collection.jsonl", SMS[0])
PREP_SEED = [t for p, s in zip(SEEDS, SEED) for t in prep_all(p, s[0])]
Y_SEED = np.concatenate([s[1] for s in SEED])


def train_set(videos):
    X = [t for v in videos for t in PREP[v]] + PREP_SMS + PREP_SEED
    y = np.concatenate([DATA[v][1] for v in videos] + [SMS[1], Y_SEED])
    w = np.concatenate([np.ones(sum(len(PREP[v]) for v in videos)),
                        np.full(len(PREP_SMS), ARGS.sms_weight), np.ones(len(PREP_SEED))])
    return X, y, w


def features():
    return FeatureUnion([
        ("w", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                              token_pattern=r"(?u)\b\w+\b|[!?$]")),
        ("c", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])


MODELS = {  # name -> (C grid for the nested choice, estimator)
    "lr": ([1, 4, 16], lambda C: LogisticRegression(C=C, solver="liblinear", max_iter=1000)),
    "svm": ([0.1, 0.5, 2], lambda C: LinearSVC(C=C, max_iter=5000)),
}


def fit_score(kind, C, train_videos, test_video):
    X, y, w = train_set(train_videos)
    f = features()
    Xt = f.fit_transform(X)
    m = MODELS[kind][1](C).fit(Xt, y, sample_weight=w)
    return m.decision_function(f.transform(PREP[test_video]))


# ---- metrics -------------------------------------------------------------------------------
def sweep(s, y):
    """Thresholds at every distinct score (spam iff score >= t): arrays t, tp, fp."""
    order = np.argsort(-s, kind="mergesort")
    ss, yy = s[order], y[order]
    tp, fp = np.cumsum(yy), np.cumsum(1 - yy)
    last = np.r_[ss[1:] != ss[:-1], True]
    return ss[last], tp[last], fp[last]


def thr_at(s, y, target=TARGET):
    """Lowest-score cut with FPR <= target (max recall); the threshold is the midpoint to the next score."""
    t, tp, fp = sweep(s, y)
    ok = np.where(fp / max(1, (y == 0).sum()) <= target)[0]
    if len(ok) == 0:
        return float(s.max()) + 1e-6
    i = ok[-1]
    return float((t[i] + t[i + 1]) / 2) if i + 1 < len(t) else float(t[i] - 1e-6)


def at(s, y, thr):
    p = s >= thr
    tp, fp = int((p & (y == 1)).sum()), int((p & (y == 0)).sum())
    fn, tn = int((~p & (y == 1)).sum()), int((~p & (y == 0)).sum())
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return dict(fpr=fp / (fp + tn), f1=f1, prec=prec, rec=rec, tp=tp, fp=fp, fn=fn, tn=tn, thr=thr)


def oracle(s, y, max_fpr):
    """Best F1 over thresholds with FPR <= max_fpr, tuned ON THE HELD-OUT FOLD (upper bound)."""
    t, tp, fp = sweep(s, y)
    P, N = (y == 1).sum(), (y == 0).sum()
    best = None
    for ti, a, b in zip(t, tp, fp):
        if b / N > max_fpr:
            continue
        f1 = 2 * a / (a + b + P)
        if best is None or f1 > best[0]:
            best = (f1, ti)
    return at(s, y, best[1])


def rec_at(s, y, target=TARGET):
    t, tp, fp = sweep(s, y)
    ok = fp / (y == 0).sum() <= target
    return float(tp[ok].max() / (y == 1).sum()) if ok.any() else 0.0


def load_ft(path, video):
    """hamlet eval --scores output for the video's file, checked row by row against it."""
    if not os.path.exists(path):
        sys.exit(f"lovo-ceiling.py: {path} is missing: run scripts/research/lovo-ceiling.sh, which trains it")
    rows = [json.loads(l) for l in open(path, encoding="utf-8")]
    x, y = DATA[video]
    assert len(rows) == len(x), (path, len(rows), len(x))
    for r, t, l in zip(rows, x, y):
        assert r["comment_content"] == t and (r["label"] == "spam") == bool(l), (path, t)
    return np.array([r["log_odds"] for r in rows], float)


# ---- fits ----------------------------------------------------------------------------------
def fits_dir():
    """Cache directory keyed by everything the sklearn fits depend on."""
    h = hashlib.md5(json.dumps([sklearn.__version__, ARGS.sms_weight, ARGS.author,
                                {k: v[0] for k, v in MODELS.items()}]).encode())
    for p in [f"{C_DIR}/{v}.jsonl" for v in VIDEOS] + [f"{C_DIR}/sms-spam-collection.jsonl"] + SEEDS:
        h.update(open(p, "rb").read())
    d = f"{ARGS.work}/fits-{h.hexdigest()[:12]}"
    os.makedirs(d, exist_ok=True)
    return d


def fit_models(out, t0):
    """kind -> outer video -> dict(C, outer scores, inner--I scores at the chosen C); cached in out."""
    res = {}
    for kind, (Cs, _) in MODELS.items():
        res[kind] = {}
        for o in VIDEOS:
            cache = f"{out}/{kind}--{o}.npz"
            if os.path.exists(cache):
                res[kind][o] = dict(np.load(cache, allow_pickle=True))
                continue
            inner_v = [v for v in VIDEOS if v != o]
            inner = {}  # C -> {inner video: scores}
            for C in Cs:
                inner[C] = {i: fit_score(kind, C, [v for v in inner_v if v != i], i) for i in inner_v}
            crit = {C: (np.mean([rec_at(inner[C][i], DATA[i][1]) for i in inner_v]),
                        np.mean([roc_auc_score(DATA[i][1], inner[C][i]) for i in inner_v])) for C in Cs}
            Cbest = max(Cs, key=lambda C: crit[C])
            outer = fit_score(kind, Cbest, inner_v, o)
            d = dict(C=Cbest, outer=outer, crit=json.dumps({str(k): v for k, v in crit.items()}))
            for i in inner_v:
                d["inner--" + i] = inner[Cbest][i]
            np.savez(cache + ".tmp.npz", **d)
            os.replace(cache + ".tmp.npz", cache)
            res[kind][o] = d
            print(f"{kind} {o}: C={Cbest} inner(rec@1%,auc)={crit}  t={time.time()-t0:.0f}s", flush=True)
    print(f"model fits done in {time.time()-t0:.0f}s", flush=True)
    return res


def score_sets(res):
    """name -> outer video -> (outer scores, {inner video: scores} or None)."""
    sets = {}
    for kind in MODELS:
        sets[kind] = {o: (res[kind][o]["outer"], {i: res[kind][o]["inner--" + i] for i in VIDEOS if i != o})
                      for o in VIDEOS}
    sets["fasttext"] = {o: (load_ft(f"{ARGS.ft_dir}/outer--{o}.scores", o),
                            {i: load_ft(f"{ARGS.ft_dir}/{o}--{i}.scores", i) for i in VIDEOS if i != o})
                        for o in VIDEOS}

    def zens(parts, o):
        """Sum of z-scored scores; mean/std of each part from its pooled inner-fold scores (label-free,
        held-out fold unused), the same scaling applied to the outer and inner scores."""
        outer = 0.0
        inner = {i: 0.0 for i in VIDEOS if i != o}
        for p in parts:
            so, si = sets[p][o]
            pooled = np.concatenate(list(si.values()))
            mu, sd = pooled.mean(), pooled.std()
            outer = outer + (so - mu) / sd
            for i in inner:
                inner[i] = inner[i] + (si[i] - mu) / sd
        return outer, inner

    for combo in [("lr", "fasttext"), ("svm", "fasttext"), ("lr", "svm", "fasttext")]:
        if all(k in sets for k in combo):
            sets["z:" + "+".join(combo)] = {o: zens(combo, o) for o in VIDEOS}
    if "lr" in sets:  # rank average within the held-out fold (transductive, label-free)
        sets["rank:lr+fasttext"] = {o: ((rankdata(sets["lr"][o][0]) + rankdata(sets["fasttext"][o][0])) / 2, None)
                                    for o in VIDEOS}
    return sets


# ---- reports -------------------------------------------------------------------------------
def report_table(sets, res, out):
    report = {}
    for name, per in sets.items():
        rows = {}
        for o in VIDEOS:
            s, inner = per[o]
            y = DATA[o][1]
            r = dict(auc=roc_auc_score(y, s), rec1=rec_at(s, y), oracle=oracle(s, y, 0.01), oracle2=oracle(s, y, 0.02))
            if inner is not None:
                t = float(np.mean([thr_at(inner[i], DATA[i][1]) for i in inner]))
                r["nested"] = at(s, y, t)
            if name in MODELS:
                r["C"] = float(res[name][o]["C"])
            rows[o] = r
        report[name] = rows
    json.dump(report, open(f"{out}/results.json", "w"), indent=1, default=float)
    np.savez(f"{out}/outer_scores.npz", **{f"{name}|{o}": per[o][0] for name, per in sets.items() for o in VIDEOS})

    def agg(vals, worst):
        return f"{np.mean(vals):.4f}/{worst(vals):.4f}"
    print("\nmean/worst per model (oracle = threshold tuned on the held-out fold: upper bound)")
    print(f"{'model':22} {'AUC':>13} {'rec@1%FPR':>13} | {'oracle FPR':>13} {'oracle F1':>13} {'orc2% F1':>13} | {'nested FPR':>13} {'nested F1':>13}")
    for name, rows in report.items():
        R = [rows[o] for o in VIDEOS]
        line = (f"{name:22} {agg([r['auc'] for r in R], min):>13} {agg([r['rec1'] for r in R], min):>13} | "
                f"{agg([r['oracle']['fpr'] for r in R], max):>13} {agg([r['oracle']['f1'] for r in R], min):>13} "
                f"{agg([r['oracle2']['f1'] for r in R], min):>13} | ")
        if all("nested" in r for r in R):
            line += f"{agg([r['nested']['fpr'] for r in R], max):>13} {agg([r['nested']['f1'] for r in R], min):>13}"
        else:
            line += "  (no nested)"
        print(line)
    print("\nper fold: AUC rec@1% | oracle fpr f1 (tp fp fn) | nested fpr f1 (fp fn)")
    for name, rows in report.items():
        print(name)
        for o in VIDEOS:
            r = rows[o]
            oc = r["oracle"]
            s = f"  {o:22} {r['auc']:.4f} {r['rec1']:.3f} | {oc['fpr']:.4f} {oc['f1']:.4f} ({oc['tp']} {oc['fp']} {oc['fn']})"
            if "nested" in r:
                n = r["nested"]
                s += f" | {n['fpr']:.4f} {n['f1']:.4f} ({n['fp']} {n['fn']})"
            if "C" in r:
                s += f"  C={r['C']:g}"
            print(s)


# Crude cues, for hand-labelling errors as label noise / ambiguous / genuine miss.
CUE = re.compile(r"https?://|www\.|\.com|subscri|check (out )?my|my (channel|video|page)|channel|"
                 r"follow|visit|free|money|earn|\$|click|like (this|my)|please (help|share|like)|vote|"
                 r"giveaway|gift|win\b|promo|download|sign ?up", re.I)
YT = re.compile(r"youtube\.com/watch|youtu\.be", re.I)
BAIT = re.compile(r"(like|thumbs up) (this comment|if)|like if|give it a like", re.I)


def report_errors(sets, name):
    """Every false positive and false negative of one model at its oracle (1% FPR) threshold."""
    if name not in sets:
        sys.exit(f"lovo-ceiling.py: --errors: no model '{name}' (one of: {', '.join(sets)})")
    fps, fns = [], []
    for o in VIDEOS:
        s = sets[name][o][0]
        x, y = DATA[o]
        p = s >= oracle(s, y, 0.01)["thr"]
        fps += [(o, float(s[i]), x[i]) for i in np.where(p & (y == 0))[0]]
        fns += [(o, float(s[i]), x[i]) for i in np.where(~p & (y == 1))[0]]
    print(f"\nerrors of {name} at its oracle threshold (CUE: a crude spam cue; YTLINK: links a YouTube video)")
    for title, rows in [("false positives (ham called spam)", fps), ("false negatives (spam missed)", fns)]:
        print(f"== {title}: {len(rows)}")
        for o, sc, t in sorted(rows, key=lambda r: -r[1]):
            c = "CUE" if CUE.search(t) else "   "
            v = "YTLINK" if YT.search(t) else "      "
            print(f"{o[10:15]:6} {sc:8.3f} {c} {v} {t.replace(chr(10), ' ')[:100]}")
    print("FN with no cue:", sum(1 for r in fns if not CUE.search(r[2])),
          " FP with cue:", sum(1 for r in fps if CUE.search(r[2])))


def report_counterfactual(sets):
    """The same scores with likely-ambiguous rows removed from every fold (inner and outer)."""
    def keep(v, mode):
        x, y = DATA[v]
        k = np.ones(len(x), bool)
        for j, (t, l) in enumerate(zip(x, y)):
            if "yt" in mode and l == 0 and YT.search(t):
                k[j] = False
            if "bait" in mode and l == 1 and BAIT.search(t):
                k[j] = False
        return k
    print("\ncounterfactual: rows removed from every fold; yt = ham linking a YouTube video,"
          " bait = like/thumbs-up-bait spam")
    names = [n for n in ("lr", "fasttext", "z:lr+fasttext") if n in sets]
    for mode in ["none", "yt", "bait", "yt+bait"]:
        print(f"-- removed: {mode}  (n removed: {sum((~keep(v, mode)).sum() for v in VIDEOS)})")
        for name in names:
            oF, oP, nF, nP, R = [], [], [], [], []
            for o in VIDEOS:
                s, inner = sets[name][o]
                k = keep(o, mode)
                y, s = DATA[o][1][k], s[k]
                orc = oracle(s, y, 0.01)
                oF.append(orc["f1"]); oP.append(orc["fpr"]); R.append(rec_at(s, y))
                t = np.mean([thr_at(inner[i][keep(i, mode)], DATA[i][1][keep(i, mode)]) for i in inner])
                n = at(s, y, t)
                nF.append(n["f1"]); nP.append(n["fpr"])
            print(f"  {name:15} rec@1% {np.mean(R):.3f}/{min(R):.3f} oracle F1 {np.mean(oF):.4f}/{min(oF):.4f} FPR {np.mean(oP):.4f}/{max(oP):.4f}"
                  f" | nested F1 {np.mean(nF):.4f}/{min(nF):.4f} FPR {np.mean(nP):.4f}/{max(nP):.4f}")


def main():
    out = fits_dir()  # keyed by the full C grids: --models picks from the same cache
    kinds = ARGS.models.split(",")
    for k in kinds:
        if k not in MODELS:
            sys.exit(f"lovo-ceiling.py: --models: unknown model '{k}' (one of: {', '.join(MODELS)})")
    for k in list(MODELS):
        if k not in kinds:
            del MODELS[k]
    t0 = time.time()
    res = fit_models(out, t0)
    sets = score_sets(res)
    report_table(sets, res, out)
    if ARGS.errors:
        report_errors(sets, ARGS.errors)
    if ARGS.counterfactual:
        report_counterfactual(sets)
    print(f"total {time.time()-t0:.0f}s; fits, results.json and outer_scores.npz in {out}")


if __name__ == "__main__":
    main()
