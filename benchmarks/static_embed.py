"""Static embeddings (sitroom.static_embed) next to MiniLM (sitroom.embed): cost and quality.

Every figure puts the two side by side on the same data in the same run.

(0) Cost: sentences/s embedding the NeuS test sentences of (a), each model warm (loaded
    and called once before the clock starts), and the load time of each.
(a) Agreement with MiniLM on NeuS/AllSides sentences (title + lead of each of a cluster's
    three outlets, and the neutral roundup, cut into sentences as benchmarks/claims.py
    does). Test split: Spearman between the static and MiniLM cosines of up to ``--pairs``
    random within-cluster pairs and as many random cross-cluster pairs (both, and each
    kind alone); nearest-neighbour overlap@10 (share of a sentence's 10 nearest sentences
    under MiniLM that are also among its 10 nearest under the static model, over all test
    sentences). Near-duplicates as the brief sees them: within-cluster pairs with MiniLM
    cosine >= ``brief.build.DUP`` (0.8) are the positives; the static threshold that
    finds them best (F1) on the *validation* split is applied to the test split.
(a') The same agreement away from NeuS (the fitting text's domain): 1,500 random sentences
    of news_cluster articles, and of IndiaPoliceEvents and SATP conflict reports
    (conflibert-eval); Spearman over all their pairs and over the 1% MiniLM finds most
    similar, and nearest-neighbour overlap@10.
(b) Stories: benchmarks/stories.py's own feature path (sitroom's article stages, title +
    lead texts, keys, dates) on news_cluster, then the same online assignment with MiniLM's
    vectors and with static vectors of the same texts; B-cubed P/R/F1 and ARI. Story
    parameters unchanged (they were tuned on AllSides with MiniLM); with ``--stories
    allsides,news_cluster`` the join threshold is also swept for the static model on
    AllSides (its development set, scored within each day as stories.py does) and the best
    one is applied to news_cluster.
(c) Claims: benchmarks/claims.py's NeuS measure ((b) there): claims found in each source's
    title + lead, aligned by ``sitroom.claims.align.align(items, vectors=...)`` with MiniLM
    or with static vectors, corroborated groups (>= 2 sources) against the neutral
    roundup's sentences. The judge is MiniLM for both (a roundup sentence is recovered when
    its MiniLM cosine to a member of a corroborated group is >= 0.5, as in claims.py), so
    only the alignment changes. ``link`` is swept on the validation split for the static
    model; the test split is scored at the validation's best F1, at its best recall whose
    precision is still at least MiniLM's at LINK (0.62), at its best precision whose recall
    is at least MiniLM's, and at LINK itself; MiniLM at LINK next to them.

    python benchmarks/static_embed.py [--limit N] [--pairs 25000] [--stories news_cluster]
                                      [--model PATH] [--skip a,b,c]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import measure, need, table

MODEL: list[Path] = []  # --model: another static table than the shipped one


def static(fresh: bool = False) -> Any:
    """The static embedder under test: the shipped one (sitroom.static_embed's, loaded once),
    or the --model file's; ``fresh`` loads it anew (to time the load)."""
    from sitroom.static_embed import StaticEmbedder, _paths, static_embedder

    if MODEL or fresh:
        model, tok = _paths()
        return StaticEmbedder(MODEL[0] if MODEL else model, tok)
    return static_embedder()


LINKS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.62, 0.65, 0.7, 0.75, 0.8, 0.85)


def _embedders() -> tuple[Any, Any, dict[str, float]]:
    from sitroom.embed import embedder

    t0 = time.perf_counter()
    mini = embedder()
    mini(["warm up"])
    t1 = time.perf_counter()
    stat = static(fresh=True)
    stat(["warm up"])
    t2 = time.perf_counter()
    return mini, stat, {"minilm_load": t1 - t0, "static_load": t2 - t1}


# -- (a) agreement ----------------------------------------------------------------------------


def neus_sentences(split: str, limit: int | None) -> tuple[list[str], np.ndarray]:
    """The split's sentences (each source's title + lead, and the roundup) and their cluster."""
    from benchmarks.claims import _neus, _sentences

    sents: list[str] = []
    owner: list[int] = []
    for ci, (parts, roundup) in enumerate(_neus(split, limit)):
        for text in [f"{t}. {a}" for t, a in parts] + [roundup]:
            for s in _sentences(text):
                sents.append(s)
                owner.append(ci)
    return sents, np.array(owner)


def _within(owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ii, jj = np.nonzero(np.triu(owner[:, None] == owner[None, :], 1))
    return ii, jj


def _dup_scores(m: np.ndarray, s: np.ndarray, thr: float, dup: float) -> tuple[float, float, float]:
    gold, pred = m >= dup, s >= thr
    tp = int((gold & pred).sum())
    p, r = tp / max(int(pred.sum()), 1), tp / max(int(gold.sum()), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run_agreement(limit: int | None, n_pairs: int) -> dict[str, Any]:
    from benchmarks.distill_static import pairs, spearman
    from sitroom.brief.build import DUP

    mini, stat, loads = _embedders()
    out: dict[str, Any] = {"loads": loads, "dup": DUP}
    vecs = {}
    for split in ("val", "test"):
        sents, owner = neus_sentences(split, limit)
        t0 = time.perf_counter()
        m = mini(sents)
        t1 = time.perf_counter()
        s = stat(sents)
        t2 = time.perf_counter()
        vecs[split] = (m, s, owner)
        if split == "test":
            out["speed"] = {"sentences": len(sents), "minilm_s": t1 - t0, "static_s": t2 - t1,
                            "tokens": sum(len(x.split()) for x in sents)}  # fmt: skip
    m, s, owner = vecs["test"]
    i, j, within = pairs(owner, n_pairs, seed=1)
    cm, cs = (m[i] * m[j]).sum(axis=1), (s[i] * s[j]).sum(axis=1)
    out["spearman"] = {
        "all": spearman(cs, cm),
        "within": spearman(cs[within], cm[within]),
        "cross": spearman(cs[~within], cm[~within]),
        "pairs_within": int(within.sum()),
        "pairs_cross": int((~within).sum()),
        "mean_cos": [
            float(cm[within].mean()),
            float(cs[within].mean()),
            float(cm[~within].mean()),
            float(cs[~within].mean()),
        ],
    }
    k = 10
    sm, ss = m @ m.T, s @ s.T
    np.fill_diagonal(sm, -np.inf)
    np.fill_diagonal(ss, -np.inf)
    nm = np.argpartition(-sm, k, axis=1)[:, :k]
    ns = np.argpartition(-ss, k, axis=1)[:, :k]
    overlap = [len(set(a.tolist()) & set(b.tolist())) / k for a, b in zip(nm, ns, strict=True)]
    out["nn10"] = float(np.mean(overlap))
    out["sentences"] = len(owner)
    # near-duplicates: threshold on val, score on test
    mv, sv, ov = vecs["val"]
    vi, vj = _within(ov)
    cmv, csv = (mv[vi] * mv[vj]).sum(axis=1), (sv[vi] * sv[vj]).sum(axis=1)
    best = max(np.arange(0.5, 0.99, 0.01), key=lambda t: _dup_scores(cmv, csv, t, DUP)[2])
    ti, tj = _within(owner)
    cmt, cst = (m[ti] * m[tj]).sum(axis=1), (s[ti] * s[tj]).sum(axis=1)
    out["near_dup"] = {"threshold": float(best), "val": _dup_scores(cmv, csv, best, DUP),
                       "test": _dup_scores(cmt, cst, best, DUP),
                       "test_at_dup": _dup_scores(cmt, cst, DUP, DUP),
                       "positives": int((cmt >= DUP).sum()), "pairs": len(cmt)}  # fmt: skip
    return out


def run_ood(n: int = 1500) -> list[list[Any]]:
    """Agreement away from NeuS (the fitting text's domain): ``n`` random sentences of
    news_cluster articles, and of IndiaPoliceEvents and SATP conflict reports."""
    from benchmarks.claims import _sentences
    from benchmarks.corpora import conflibert, news_cluster
    from benchmarks.distill_static import spearman

    mini, stat, _loads = _embedders()
    rng = np.random.default_rng(0)
    sets = {
        "news_cluster": (r for r in news_cluster() if "/news_cluster/" in r["doc_id"]),
        "IndiaPoliceEvents + SATP": (
            r for r in conflibert() if "IndiaPoliceEvents" in r["doc_id"] or "satp" in r["doc_id"]
        ),
    }
    rows: list[list[Any]] = []
    for name, recs in sets.items():
        sents = [s for r in recs for s in _sentences(r["text"].replace("\n", " "))]
        sents = [s for s in sents if 6 <= len(s.split()) <= 60]
        sents = [sents[i] for i in rng.permutation(len(sents))[:n]]
        cm, cs = mini(sents), stat(sents)
        sm, ss = cm @ cm.T, cs @ cs.T
        iu = np.triu_indices(len(sents), 1)
        a, b = sm[iu], ss[iu]
        top = a >= np.quantile(a, 0.99)
        np.fill_diagonal(sm, -np.inf)
        np.fill_diagonal(ss, -np.inf)
        nm = np.argpartition(-sm, 10, axis=1)[:, :10]
        ns = np.argpartition(-ss, 10, axis=1)[:, :10]
        pairs = zip(nm.tolist(), ns.tolist(), strict=True)
        nn = np.mean([len(set(x) & set(y)) / 10 for x, y in pairs])
        rows.append([name, len(sents), spearman(b, a), spearman(b[top], a[top]), float(nn),
                     float(a.mean()), float(b.mean())])  # fmt: skip
    return rows


# -- (b) stories ------------------------------------------------------------------------------


def run_stories(corpora: list[str]) -> list[list[Any]]:
    from benchmarks import stories
    from sitroom.cluster import STORY

    rows: list[list[Any]] = []
    join = STORY.join
    for corpus in corpora:
        f = stories.features(corpus)
        sv = static()(f.texts)
        # sitroom.cluster's index is built for MiniLM's 384 dimensions: zeros pad the rest
        # (no cosine changes)
        pad = np.zeros((len(sv), max(f.vecs.shape[1] - sv.shape[1], 0)), dtype=np.float32)
        fs = dataclasses.replace(f, vecs=np.hstack([sv, pad]))
        level = stories.LEVEL[corpus]
        score = stories.within_days if corpus == "allsides" else None
        for name, feats, params in (("MiniLM", f, None), ("static", fs, None)):
            pred = stories.sitroom(feats, level, params)
            s = stories.scores(f.gold, pred)
            rows.append([corpus, name, STORY.join, s["P"], s["R"], s["F1"], s["ARI"],
                         int(s["groups"])])  # fmt: skip
            if score is not None:
                p, r, f1 = score(f, pred)
                rows.append([corpus, f"{name}, within days", STORY.join, p, r, f1, "", ""])
        if corpus == "allsides":  # the development set: sweep the static model's join
            best = (-1.0, STORY.join)
            for t in np.round(np.arange(0.3, 0.81, 0.05), 2):
                params = dataclasses.replace(STORY, join=float(t))
                pred = stories.sitroom(fs, level, params)
                best = max(best, (score(f, pred)[2] if score else 0.0, float(t)))
            join = best[1]
            rows.append([corpus, "static, best join (within days)", join, "", "", best[0], "",
                         ""])  # fmt: skip
        elif join != STORY.join:
            params = dataclasses.replace(STORY, join=join)
            pred = stories.sitroom(fs, level, params)
            s = stories.scores(f.gold, pred)
            rows.append([corpus, "static, AllSides' best join", join, s["P"], s["R"], s["F1"],
                         s["ARI"], int(s["groups"])])  # fmt: skip
    return rows


# -- (c) claims ------------------------------------------------------------------------------


def prepare_claims(split: str, limit: int | None) -> list[dict[str, Any]]:
    """Each cluster's claim items, with MiniLM and static vectors, and the roundup's
    sentences with MiniLM vectors (the judge)."""
    from benchmarks.claims import _neus, _sentences
    from sitroom.claims import find_claims
    from sitroom.embed import embedder

    mini, stat = embedder(), static()
    prepared = []
    for parts, roundup in _neus(split, limit):
        items = []
        for k, (title, lead) in enumerate(parts):
            for c in find_claims(lead, title=title):
                items.append((f"s{k}", f"outlet{k}", f"s{k}", c))
        rs = _sentences(roundup)
        if not items or not rs:
            continue
        texts = [it[3].text for it in items]
        prepared.append({"items": items, "vecs": mini(texts), "svecs": stat(texts),
                         "rvecs": mini(rs)})  # fmt: skip
    return prepared


def score_claims(prepared: list[dict[str, Any]], link: float, key: str) -> dict[str, float]:
    """benchmarks/claims.py's NeuS precision/recall, aligning with ``prepared[...][key]``
    and judging with MiniLM."""
    from sitroom.claims import align

    hit_r = n_r = hit_g = n_g = 0
    for p in prepared:
        items, vecs, rvecs = p["items"], p["vecs"], p["rvecs"]
        groups = align(items, vectors=p[key], link=link)
        index = {id(it[3]): i for i, it in enumerate(items)}
        corr = [g for g in groups if g.independent_sources >= 2 and g.status != "single-source"]
        n_r += len(rvecs)
        if not corr:
            continue
        member_idx = [[index[id(m.claim)] for m in g.members] for g in corr]
        best_r = np.zeros(len(rvecs))
        for mi in member_idx:
            best_r = np.maximum(best_r, (rvecs @ vecs[mi].T).max(axis=1))
        hit_r += int((best_r >= 0.5).sum())
        for g, mi in zip(corr, member_idx, strict=True):
            rep = next(i for i in mi if items[i][3].text == g.text)
            hit_g += int((rvecs @ vecs[rep]).max() >= 0.5)
        n_g += len(member_idx)
    r, pr = hit_r / max(n_r, 1), hit_g / max(n_g, 1)
    return {"precision": pr, "recall": r, "f1": 2 * pr * r / (pr + r) if pr + r else 0.0,
            "claims": n_g, "roundup": n_r, "clusters": len(prepared)}  # fmt: skip


def run_claims(limit: int | None) -> dict[str, Any]:
    from benchmarks.claims import _score_neus
    from sitroom.claims.align import LINK

    val = prepare_claims("val", limit)
    sweep = {link: score_claims(val, link, "svecs") for link in LINKS}
    mini_val = score_claims(val, LINK, "vecs")
    best_f1 = max(LINKS, key=lambda t: sweep[t]["f1"])
    ok = [t for t in LINKS if sweep[t]["recall"] >= mini_val["recall"]]
    precise = max(ok, key=lambda t: sweep[t]["precision"]) if ok else best_f1
    ok = [t for t in LINKS if sweep[t]["precision"] >= mini_val["precision"]]
    matched = max(ok, key=lambda t: sweep[t]["recall"]) if ok else precise
    choices: dict[float, list[str]] = {}
    for t, name in (
        (best_f1, "val's best F1"),
        (matched, "val's best recall at MiniLM's precision"),
        (precise, "val's most precise at MiniLM's recall"),
        (LINK, "MiniLM's LINK"),
    ):
        choices.setdefault(t, []).append(name)
    test = prepare_claims("test", limit)
    mini_test = score_claims(test, LINK, "vecs")
    same = _score_neus(test, LINK)  # claims.py's own scorer: must agree with ours for MiniLM
    assert abs(same["f1"] - mini_test["f1"]) < 1e-9, (same, mini_test)
    tests = {t: score_claims(test, t, "svecs") for t in sorted(choices)}
    return {
        "link": LINK,
        "sweep": sweep,
        "mini_val": mini_val,
        "mini_test": mini_test,
        "best_f1": best_f1,
        "choices": {t: "; ".join(v) for t, v in choices.items()},
        "tests": tests,
    }


def main(argv: list[str] | None = None) -> int:
    from benchmarks.claims import NEUS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="NeuS clusters per split (all)")
    ap.add_argument("--pairs", type=int, default=25000, help="pairs of each kind for (a)")
    ap.add_argument("--stories", default="news_cluster", help="corpora for (b); '' to skip")
    ap.add_argument("--model", type=Path, help="a static table other than the shipped one")
    ap.add_argument("--skip", default="", help="parts to skip: comma-separated of a,b,c")
    args = ap.parse_args(argv)
    need(NEUS)
    skip = set(args.skip.split(","))
    MODEL.extend([args.model] if args.model else [])
    meta = static().meta
    print(f"static model: {meta}\n")
    if "a" not in skip:
        a, secs, peak = measure(lambda: run_agreement(args.limit, args.pairs))
        sp, n = a["speed"], a["speed"]["sentences"]
        print(f"(0) cost: {n} NeuS test sentences (~{sp['tokens'] / n:.0f} words each)")
        print(table([
            ["MiniLM int8 (onnxruntime, 1 thread)", n / sp["minilm_s"],
             sp["minilm_s"] / n * 1000, a["loads"]["minilm_load"]],
            ["static", n / sp["static_s"], sp["static_s"] / n * 1000,
             a["loads"]["static_load"]],
        ], ["model", "sentences/s", "ms/sentence", "load s"]))  # fmt: skip
        print(f"speed-up x{sp['minilm_s'] / sp['static_s']:.0f}\n")
        s = a["spearman"]
        print(f"(a) NeuS test, {a['sentences']} sentences: agreement of static with MiniLM")
        print(table([
            ["Spearman, all pairs", s["all"]],
            [f"Spearman, {s['pairs_within']} within-cluster pairs", s["within"]],
            [f"Spearman, {s['pairs_cross']} cross-cluster pairs", s["cross"]],
            ["nearest-neighbour overlap@10", a["nn10"]],
        ], ["measure", "value"]))  # fmt: skip
        mc = s["mean_cos"]
        print(
            f"mean cosine within / cross: MiniLM {mc[0]:.3f} / {mc[2]:.3f}, "
            f"static {mc[1]:.3f} / {mc[3]:.3f}"
        )
        d = a["near_dup"]
        print(
            f"near-duplicates (MiniLM cosine >= {a['dup']}: {d['positives']} of "
            f"{d['pairs']} within-cluster test pairs) found by static cosine >= threshold"
        )
        print(table([
            [f"static >= {d['threshold']:.2f} (val's best)", "val", *d["val"]],
            [f"static >= {d['threshold']:.2f} (val's best)", "test", *d["test"]],
            [f"static >= {a['dup']} (MiniLM's DUP)", "test", *d["test_at_dup"]],
        ], ["rule", "split", "P", "R", "F1"]))  # fmt: skip
        print(f"({secs:.0f} s, {peak:.0f} MiB)\n")
        rows, secs, peak = measure(run_ood)
        print("(a') away from NeuS: every pair of the sentences; 'top 1%': the pairs MiniLM "
              "finds most similar (where alignment thresholds act)")  # fmt: skip
        print(table(rows, ["sentences of", "n", "Spearman", "Spearman, top 1%",
                           "NN overlap@10", "mean cos MiniLM", "mean cos static"]))  # fmt: skip
        print(f"({secs:.0f} s, {peak:.0f} MiB)\n")
    corpora = [c for c in args.stories.split(",") if c]
    if "b" not in skip and corpora:
        rows, secs, peak = measure(lambda: run_stories(corpora))
        print("(b) stories: B-cubed against gold, same features, MiniLM or static vectors")
        print(table(rows, ["corpus", "vectors", "join", "P", "R", "F1", "ARI", "stories"]))
        print(f"({secs:.0f} s, {peak:.0f} MiB)\n")
    if "c" not in skip:
        c, secs, peak = measure(lambda: _claims_report(args.limit))
        print(c)
        print(f"({secs:.0f} s, {peak:.0f} MiB)")
    return 0


def _claims_report(limit: int | None) -> str:
    r = run_claims(limit)
    lines = [f"(c) claims: NeuS validation, {r['mini_val']['clusters']} clusters, "
             f"{r['mini_val']['roundup']} roundup sentences; link swept for static"]  # fmt: skip
    rows = [[f"MiniLM at LINK {r['link']}", r["mini_val"]["claims"], r["mini_val"]["precision"],
             r["mini_val"]["recall"], r["mini_val"]["f1"]]]  # fmt: skip
    for t, v in r["sweep"].items():
        rows.append([f"static at {t:.2f}", v["claims"], v["precision"], v["recall"], v["f1"]])
    lines.append(table(rows, ["alignment", "corroborated", "P", "R", "F1"]))
    m = r["mini_test"]
    lines.append(f"\nNeuS test, {m['clusters']} clusters, {m['roundup']} roundup sentences; "
                 "the judge is MiniLM for every row")  # fmt: skip
    rows = [[f"MiniLM at LINK {r['link']}", m["claims"], m["precision"], m["recall"], m["f1"]]]
    for t, v in r["tests"].items():
        rows.append([f"static at {t:.2f} ({r['choices'][t]})", v["claims"], v["precision"],
                     v["recall"], v["f1"]])  # fmt: skip
    lines.append(table(rows, ["alignment", "corroborated", "P", "R", "F1"]))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
