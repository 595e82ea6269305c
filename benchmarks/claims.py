"""Claims: extraction, cross-outlet alignment and status, the claim checker, and their cost.

(a) Sample corpus (examples/kabul-aug-2021, key examples/answers/kabul-aug-2021.json): all 17
    articles aligned together, source key = copy group. A key claim is *found* by the group
    whose member sentences come closest to it (the best cosine between the key text and any
    member's sentence, MiniLM), when that cosine is >= ``MATCH`` (0.5); each key claim is
    matched on its own (two may find one group). Per status label, over the found key claims:
    precision = right / groups given that label, recall = right / key claims with the label
    (a key claim not found counts against recall). Groups matching no key claim are not
    scored: the key lists the claims the authors wrote down, not every sentence. The
    wire-reprint check: every group holding more than one W1 (byte-identical copies) or N1
    (near-duplicate) article counts that copy group once among its sources.
(b) NeuS/AllSides (test split; --limit N clusters): three outlets' title+lead per cluster, and
    AllSides' neutral roundup. Recall: share of roundup sentences whose best cosine to a
    member of a claim group corroborated by >= 2 of the three sources is >= ``MATCH``;
    precision: share of corroborated groups whose representative reaches ``MATCH`` against
    some roundup sentence. Baseline (same run): no structure, a source sentence is
    corroborated when its nearest neighbour in another source has cosine >= ``MATCH``.
    ``--tune`` sweeps ``align.LINK`` on the *validation* split first (F1 of the two); the
    package's value was chosen that way, never on (a)'s key.
(c) check() on the sample corpus: every key claim that is corroborated or single-source,
    against all 17 articles: share of the key's own articles judged "supports", and share of
    all verdicts that are a (false) "contradicts"; plus the planted contested values.
(d) Cost on the sample corpus: claim extraction (given spaCy's analyses, and with them),
    align, and spaCy's full parse alone over the same sentences; peak memory.
(e) ``--incremental N``: N dated news_cluster articles into one store as ``--runs``
    successive runs (each topic's claims extended batch by batch), then ``sitroom realign``
    from scratch: the share of mentions in the same group (groups matched by their largest
    overlap), of groups with the same status (targets 0.95 each), and of mentions whose
    claim kept its id; the topic stage's seconds both ways.

    python benchmarks/claims.py [--limit N] [--tune] [--skip bcd] [--incremental N --runs R]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import DATA, ROOT, measure, need, table

SAMPLE = ROOT / "examples" / "kabul-aug-2021"
KEY = ROOT / "examples" / "answers" / "kabul-aug-2021.json"
NEUS = DATA / "neus-allsides-mds" / "data" / "naacl2022_lrc_roundup_random_order_probe"
MATCH = 0.5
STATUSES = ("corroborated", "single-source", "contested")


def _sample() -> list[Any]:
    import sitroom.api as api

    stages = ["ingest", "clean", "metadata", "dedup", "nlp"]
    return [a for a in api.extract([str(SAMPLE)], stages=stages) if hasattr(a, "reading")]


def _name(a: Any) -> str:
    rel = str(Path(a.path).relative_to(SAMPLE))
    return f"{rel}#{a.locator}" if a.locator else rel


def _items(arts: list[Any]) -> list[tuple[str, str, str, Any]]:
    from sitroom.claims import extract_claims

    items = []
    for a in arts:
        key = a.dedup.copy_group if a.dedup else a.id
        for c in extract_claims(a.reading, a.nlp, a.reading_roles):
            items.append((_name(a), a.outlet or "unknown", key, c))
    return items


def run_sample() -> dict[str, Any]:
    """(a): status precision/recall against the key, and the reprint counting check."""
    from sitroom.claims import align
    from sitroom.embed import embedder

    key = json.loads(KEY.read_text())
    arts = _sample()
    groups = align(_items(arts))
    emb = embedder()
    kvec = emb([k["text"] for k in key["claims"]])
    member_texts = [[m.claim.text for m in g.members] for g in groups]
    flat = [t for ts in member_texts for t in ts]
    mvec = emb(flat)
    owner = [gi for gi, ts in enumerate(member_texts) for _ in ts]
    sims = kvec @ mvec.T
    found: list[tuple[dict[str, Any], Any | None]] = []
    for ki, k in enumerate(key["claims"]):
        j = int(np.argmax(sims[ki]))
        found.append((k, groups[owner[j]] if sims[ki, j] >= MATCH else None))
    rows = []
    for label in STATUSES:
        gold = [g for k, g in found if k["status"] == label]
        pred = [(k, g) for k, g in found if g is not None and g.status == label]
        right = sum(1 for k, _ in pred if k["status"] == label)
        rows.append([label, len(gold), len(pred), right / len(pred) if pred else 0.0,
                     right / len(gold) if gold else 0.0])  # fmt: skip
    contested = [(k, g) for k, g in found if k["status"] == "contested"]
    sides_ok = sum(
        1
        for k, g in contested
        if g is not None
        and g.status == "contested"
        and all(any(set(s["outlets"]) <= set(side.outlets) for side in g.sides) for s in k["sides"])
    )
    copy_of = {
        f"{m['file']}#{m['locator']}" if m["locator"] else m["file"]: cg
        for cg, info in key["copy_groups"].items()
        for m in info["members"]
    }
    multi = bad = 0
    for g in groups:
        for cg in set(copy_of.values()):
            inside = [m for m in g.members if copy_of.get(m.article_id) == cg]
            if len({m.article_id for m in inside}) > 1:
                multi += 1
                bad += len({m.source for m in inside}) > 1
    n_found = sum(1 for _, g in found if g is not None)
    return {"rows": rows, "found": n_found, "claims": len(found), "sides_ok": sides_ok,
            "contested": len(contested), "copy_groups_multi": multi, "copy_groups_bad": bad,
            "groups": len(groups)}  # fmt: skip


# -- (b) NeuS ------------------------------------------------------------------------------

_PART = re.compile(r"TITLE=>\s*(?P<t>.*?)\s*ARTICLE=>\s*(?P<a>.*)", re.S)


def _neus(split: str, limit: int | None) -> list[tuple[list[tuple[str, str]], str]]:
    src = (NEUS / f"{split}.source").read_text(encoding="utf-8").splitlines()
    tgt = (NEUS / f"{split}.target").read_text(encoding="utf-8").splitlines()
    out = []
    for s, t in list(zip(src, tgt, strict=True))[:limit]:
        parts = []
        for p in s.split("[SEP]"):
            m = _PART.search(p)
            if m:
                parts.append((m.group("t"), m.group("a")))
        m = _PART.search(t)
        roundup = f"{m.group('t')}. {m.group('a')}" if m else t
        out.append((parts, roundup))
    return out


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text) if len(s.split()) >= 4]


def _prepare(clusters: list[tuple[list[tuple[str, str]], str]]) -> list[dict[str, Any]]:
    from sitroom.claims import find_claims
    from sitroom.embed import embedder

    emb = embedder()
    prepared = []
    for parts, roundup in clusters:
        items = []
        for k, (title, lead) in enumerate(parts):
            for c in find_claims(lead, title=title):
                items.append((f"s{k}", f"outlet{k}", f"s{k}", c))
        rs = _sentences(roundup)
        if not items or not rs:
            continue
        vecs = emb([it[3].text for it in items])
        rvecs = emb(rs)
        prepared.append({"items": items, "vecs": vecs, "rvecs": rvecs})
    return prepared


def _score_neus(prepared: list[dict[str, Any]], link: float) -> dict[str, float]:
    from sitroom.claims import align

    hit_r = n_r = hit_g = n_g = 0
    base_hit_r = base_hit_s = base_n_s = 0
    for p in prepared:
        items, vecs, rvecs = p["items"], p["vecs"], p["rvecs"]
        groups = align(items, vectors=vecs, link=link)
        index = {id(it[3]): i for i, it in enumerate(items)}
        corr = [g for g in groups if g.independent_sources >= 2 and g.status != "single-source"]
        n_r += len(rvecs)
        if corr:
            member_idx = [[index[id(m.claim)] for m in g.members] for g in corr]
            best_r = np.zeros(len(rvecs))
            for mi in member_idx:
                best_r = np.maximum(best_r, (rvecs @ vecs[mi].T).max(axis=1))
            hit_r += int((best_r >= MATCH).sum())
            reps = [mi[0] for mi in member_idx]
            for g, mi in zip(corr, member_idx, strict=True):
                rep = next(i for i in mi if items[i][3].text == g.text)
                hit_g += int((rvecs @ vecs[rep]).max() >= MATCH)
            n_g += len(reps)
        # baseline: cross-source nearest neighbours, no structure
        src = np.array([it[2] for it in items])
        sim = vecs @ vecs.T
        sim[src[:, None] == src[None, :]] = -1
        corr_s = np.nonzero(sim.max(axis=1) >= MATCH)[0]
        if len(corr_s):
            base_hit_r += int(((rvecs @ vecs[corr_s].T).max(axis=1) >= MATCH).sum())
            base_hit_s += int(((vecs[corr_s] @ rvecs.T).max(axis=1) >= MATCH).sum())
            base_n_s += len(corr_s)
    r, pr = hit_r / max(n_r, 1), hit_g / max(n_g, 1)
    br, bp = base_hit_r / max(n_r, 1), base_hit_s / max(base_n_s, 1)
    return {"recall": r, "precision": pr, "f1": _f1(pr, r), "claims": n_g,
            "base_recall": br, "base_precision": bp, "base_f1": _f1(bp, br),
            "base_claims": base_n_s, "roundup": n_r, "clusters": len(prepared)}  # fmt: skip


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# -- (c) check -----------------------------------------------------------------------------


def run_check() -> dict[str, float]:
    from sitroom.claims import check

    key = json.loads(KEY.read_text())
    arts = _sample()
    docs = [(_name(a), a.clean_text) for a in arts]
    n_own = supports = n_all = contra = 0
    for k in key["claims"]:
        if k["status"] == "contested":
            continue
        own = {f"{m['file']}#{m['locator']}" if m["locator"] else m["file"] for m in k["articles"]}
        for v in check(k["text"], docs):
            n_all += 1
            contra += v.verdict == "contradicts"
            if v.article in own:
                n_own += 1
                supports += v.verdict == "supports"
    # the planted disagreements, each side's value stated as a claim
    planted = [
        ("Herat is home to about 600,000 people.", "scrapes/scrape_01.txt"),
        ("The Taliban hold 14 of Afghanistan's 34 provincial capitals.", "scrapes/scrape_07.txt"),
        ("Ghazni lies some 150 km southwest of Kabul.", "batch.jsonl#line 4"),
    ]
    caught = sum(
        1 for claim, other in planted
        if next(v for v in check(claim, docs) if v.article == other).verdict == "contradicts"
    )  # fmt: skip
    return {"support_recall": supports / max(n_own, 1), "false_contradicts": contra / max(n_all, 1),
            "planted_caught": caught, "planted": len(planted)}  # fmt: skip


# -- (d) cost ------------------------------------------------------------------------------


def run_cost() -> dict[str, float]:
    from sitroom.claims import align, extract_claims
    from sitroom.nlp import analyse, load

    arts = _sample()
    t0 = time.perf_counter()
    for _ in range(5):
        for a in arts:
            extract_claims(a.reading, a.nlp, a.reading_roles)
    extract_s = (time.perf_counter() - t0) / 5
    t0 = time.perf_counter()
    for a in arts:
        extract_claims(a.reading, analyse(a.reading), a.reading_roles)
    with_nlp_s = time.perf_counter() - t0
    items = _items(arts)
    t0 = time.perf_counter()
    align(items)
    align_s = time.perf_counter() - t0
    sents = [it[3].text for it in items]
    nlp = load("parse")
    t0 = time.perf_counter()
    list(nlp.pipe(sents, batch_size=32))
    parse_s = time.perf_counter() - t0
    return {"articles": len(arts), "claims": len(items), "extract_s": extract_s,
            "with_nlp_s": with_nlp_s, "align_s": align_s, "parse_s": parse_s}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=150, help="NeuS clusters (default 150)")
    ap.add_argument("--tune", action="store_true", help="sweep LINK on NeuS validation first")
    ap.add_argument("--incremental", type=int, default=0, metavar="N",
                    help="(e): N real articles in --runs runs against realigning from scratch")
    ap.add_argument("--runs", type=int, default=5, help="runs for --incremental (default 5)")
    ap.add_argument("--skip", default="", help="parts to leave out, e.g. bcd")
    args = ap.parse_args(argv)
    need(SAMPLE)
    need(KEY)
    if args.tune and NEUS.exists():
        prepared = _prepare(_neus("val", args.limit))
        rows = []
        for link in (0.5, 0.55, 0.6, 0.62, 0.65, 0.7, 0.75):
            r = _score_neus(prepared, link)
            rows.append([link, r["claims"], r["precision"], r["recall"], r["f1"]])
        print("NeuS validation: align.LINK sweep")
        print(table(rows, ["LINK", "corroborated", "P", "R", "F1"]) + "\n")

    r, secs, peak = measure(run_sample)
    print(f"(a) sample corpus: {r['found']}/{r['claims']} key claims found, {r['groups']} groups")
    print(table(r["rows"], ["status", "key claims", "groups given it", "P", "R"]))
    print(f"contested with every side's outlets on one side: {r['sides_ok']}/{r['contested']}; "
          f"groups holding several copies of one copy group: {r['copy_groups_multi']}, "
          f"counting it more than once: {r['copy_groups_bad']}"
          f"  ({secs:.1f} s, {peak:.0f} MiB)\n")  # fmt: skip

    if "b" in args.skip:
        pass
    elif NEUS.exists():

        def neus() -> dict[str, float]:
            from sitroom.claims.align import LINK

            return _score_neus(_prepare(_neus("test", args.limit)), LINK)

        n, secs, peak = measure(neus)
        print(f"(b) NeuS/AllSides test, {n['clusters']} clusters, {n['roundup']} roundup "
              "sentences; corroborated claims vs the neutral roundup")  # fmt: skip
        print(table([
            ["sitroom align", n["claims"], n["precision"], n["recall"], n["f1"]],
            ["baseline: cross-source NN", n["base_claims"], n["base_precision"],
             n["base_recall"], n["base_f1"]],
        ], ["system", "corroborated", "P", "R", "F1"]))  # fmt: skip
        print(f"({secs:.1f} s, {peak:.0f} MiB)\n")
    else:
        print(f"(b) skipped: {NEUS} is absent\n")

    if "c" not in args.skip:
        c, secs, peak = measure(run_check)
        print("(c) check() on the sample corpus")
        print(table([[c["support_recall"], c["false_contradicts"],
                      f"{c['planted_caught']}/{c['planted']}"]],
                    ["supports on own articles", "contradicts over all",
                     "planted caught"]))  # fmt: skip
        print(f"({secs:.1f} s, {peak:.0f} MiB)\n")

    if "d" not in args.skip:
        d, secs, peak = measure(run_cost)
        print("(d) cost on the sample corpus")
        print(table([
            ["claims extraction (given analyses)", d["articles"] / d["extract_s"],
             d["extract_s"]],
            ["claims extraction + spaCy ner", d["articles"] / d["with_nlp_s"], d["with_nlp_s"]],
            [f"align ({d['claims']} claims, embeddings included)", d["articles"] / d["align_s"],
             d["align_s"]],
            ["spaCy full parse alone, same sentences", d["articles"] / d["parse_s"],
             d["parse_s"]],
        ], ["step", "articles/s", "seconds"]))  # fmt: skip
        print(f"(peak {peak:.0f} MiB, {secs:.1f} s in all)\n")

    if args.incremental:
        e, secs, peak = measure(lambda: run_incremental(args.incremental, args.runs))
        print(f"(e) incremental against from scratch: {e['articles']} real news articles "
              f"(news_cluster, in date order) in {args.runs} runs, then `sitroom realign`; "
              f"{e['topics']} topics, {e['mentions']} claim mentions, {e['groups']} groups")
        print(table([
            ["mentions in the same group (realigned ids)", e["same_group"], 0.95],
            ["groups with the same status", e["same_status"], 0.95],
            ["mentions whose claim keeps its id", e["same_id"], ""],
        ], ["measure", "share", "target"]))  # fmt: skip
        print(f"topic stage: incremental {e['incremental_s']:.1f} s over the runs, from "
              f"scratch {e['scratch_s']:.1f} s  ({secs:.1f} s, {peak:.0f} MiB)")
    return 0


def run_incremental(limit: int, runs: int) -> dict[str, Any]:
    """``limit`` news_cluster articles (dated, in date order) into one store as ``runs``
    successive runs, then the whole store realigned from scratch: how many mentions end in
    the same group (the groups matched by their largest overlap, ids aside), how many groups
    keep their status, and how many mentions keep their claim id."""
    import sqlite3
    import tempfile
    from collections import Counter

    import sitroom
    from benchmarks.corpora import json_line, news_cluster

    recs = sorted((r for r in news_cluster() if r.get("published")),
                  key=lambda r: (r["published"], r["doc_id"]))[:limit]  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="sitroom-claims-inc-"))
    db = work / "s.db"
    size = -(-len(recs) // runs)
    inc_s = 0.0
    for k in range(0, len(recs), size):
        f = work / f"run{k}.jsonl"
        f.write_text("".join(json_line(r) + "\n" for r in recs[k : k + size]), encoding="utf-8")
        rep = sitroom.run([f], db=db)
        inc_s += rep.stage_seconds.get("topic_claims", 0.0)

    def state() -> tuple[dict[int, str], dict[str, str]]:
        with sqlite3.connect(db) as con:
            of = dict(con.execute("SELECT m.id, u.claim_id FROM claim_mentions m JOIN "
                                  "claim_units u ON u.id = m.unit_id"))  # fmt: skip
            return of, dict(con.execute("SELECT claim_id, status FROM claims"))

    inc, inc_status = state()
    t0 = time.perf_counter()
    sitroom.realign(db)
    scratch_s = time.perf_counter() - t0
    scr, scr_status = state()
    # each incremental group matched to the from-scratch group holding most of its mentions
    pairs = Counter((inc[m], scr[m]) for m in inc if m in scr)
    best: dict[str, tuple[int, str]] = {}
    for (a, b), n in pairs.items():
        if n > best.get(a, (0, ""))[0]:
            best[a] = (n, b)
    same = sum(1 for m in inc if m in scr and best[inc[m]][1] == scr[m])
    groups = [a for a in best if a in inc_status]
    with sqlite3.connect(db) as con:
        topics = con.execute("SELECT count(DISTINCT topic_id) FROM claims").fetchone()[0]
    return {
        "articles": len(recs), "topics": topics, "mentions": len(inc), "groups": len(groups),
        "same_group": same / max(1, len(inc)),
        "same_status": sum(inc_status[a] == scr_status.get(best[a][1]) for a in groups)
        / max(1, len(groups)),
        "same_id": sum(1 for m in inc if scr.get(m) == inc[m]) / max(1, len(inc)),
        "incremental_s": inc_s, "scratch_s": scratch_s,
    }  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
