"""The cited brief: how close it comes to neutral roundups, whether its citations hold, cost.

(a) NeuS/AllSides (test split, 307 clusters; --limit N for quick runs): each cluster's three
    outlets' title and lead (in random order: which is left, right or centre is not given)
    go through ``brief_texts`` (claims found and aligned on the spot, ranked and deduped as
    for a stored story; outlets named "Outlet A/B/C"), capped at ``--sentences`` (3);
    scored against the AllSides neutral roundup's body (its ARTICLE part, not its title)
    with ROUGE-1/2/L F1. Baseline in the same run: lead-3, the first sentence of each of the
    three sources' leads (the centre source is not marked in this split). ROUGE is the
    ``rouge-score`` package's when importable (no stemming), else computed here the same
    way: lower-cased [a-z0-9]+ tokens, n-gram overlap F1, LCS for L (summary-level, no
    sentence splitting).
(b) Sample corpus (examples/kabul-aug-2021 run into a fresh store): every brief sentence
    of the 4 stories is *traceable* when each citation's sentence equals the article text
    slice [start:end] and the sentence's content words and numbers (for a contested one:
    each side's) all appear in one of its citations. Must be 100%.
(c) Cost on the same store: time per brief (cold: the first, MiniLM loaded; warm: the
    rest) and peak memory, next to reading the stories' claims and events alone.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._common import DATA, ROOT, measure, need, table

SAMPLE = ROOT / "examples" / "kabul-aug-2021"
NEUS = DATA / "neus-allsides-mds" / "data" / "naacl2022_lrc_roundup_random_order_probe"
_PART = re.compile(r"TITLE=>\s*(?P<t>.*?)\s*ARTICLE=>\s*(?P<a>.*)", re.S)
_SENT = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[A-Z\"“])")


# -- ROUGE ---------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _f1(overlap: int, n_pred: int, n_ref: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / n_pred, overlap / n_ref
    return 2 * p * r / (p + r)


def _ngram_f1(pred: list[str], ref: list[str], n: int) -> float:
    a = Counter(tuple(pred[i : i + n]) for i in range(len(pred) - n + 1))
    b = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    return _f1(sum((a & b).values()), sum(a.values()), sum(b.values()))


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge(pred: str, ref: str) -> tuple[float, float, float]:
    """ROUGE-1, -2 and -L F1 of ``pred`` against ``ref``."""
    try:
        from rouge_score import rouge_scorer  # type: ignore[import-not-found]
    except ImportError:
        p, r = _tokens(pred), _tokens(ref)
        return _ngram_f1(p, r, 1), _ngram_f1(p, r, 2), _f1(_lcs(p, r), len(p), len(r))
    s = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"]).score(ref, pred)
    return s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeL"].fmeasure


# -- (a) NeuS ------------------------------------------------------------------------------


def _neus(limit: int | None) -> list[tuple[list[tuple[str, str]], str]]:
    src = (NEUS / "test.source").read_text(encoding="utf-8").splitlines()
    tgt = (NEUS / "test.target").read_text(encoding="utf-8").splitlines()
    out = []
    for s, t in list(zip(src, tgt, strict=True))[:limit]:
        parts = [(m.group("t"), m.group("a")) for p in s.split("[SEP]") if (m := _PART.search(p))]
        m = _PART.search(t)
        out.append((parts, m.group("a") if m else t))
    return out


def run_neus(limit: int | None, sentences: int) -> dict[str, Any]:
    from sitroom.brief import brief_texts

    sums = {"brief": [0.0, 0.0, 0.0], "lead": [0.0, 0.0, 0.0]}
    words = {"brief": 0, "lead": 0, "roundup": 0}
    clusters = _neus(limit)
    empty = 0
    for parts, roundup in clusters:
        triples = [(f"Outlet {'ABC'[k]}", t, a) for k, (t, a) in enumerate(parts)]
        mine = " ".join(brief_texts(triples, max_sentences=sentences))
        if not mine:
            empty += 1
        lead = " ".join(_SENT.split(a.strip())[0] for _, a in parts if a.strip())
        for name, text in (("brief", mine), ("lead", lead)):
            for i, v in enumerate(rouge(text, roundup)):
                sums[name][i] += v
            words[name] += len(_tokens(text))
        words["roundup"] += len(_tokens(roundup))
    n = max(len(clusters), 1)
    return {
        "n": len(clusters),
        "empty": empty,
        "scores": {k: [v / n for v in vals] for k, vals in sums.items()},
        "words": {k: v / n for k, v in words.items()},
    }


# -- (b) traceability and (c) cost on the sample corpus -----------------------------------


def _build(db: Path) -> None:
    import sitroom

    sitroom.run([SAMPLE], db=db)


def run_trace(db: Path) -> dict[str, Any]:
    from sitroom.brief import story_brief
    from sitroom.brief.facts import content_tokens
    from sitroom.store import Store

    with Store(db) as store:
        texts = {a["id"]: a["text"] for a in store.articles(with_text=True)}
        n = ok = cites = bad_slices = 0
        statuses: Counter[str] = Counter()
        for story in store.stories():
            for s in story_brief(store, story["story_id"]).sentences:
                n += 1
                statuses[s.status] += 1
                groups = [(x["text"], x["citations"]) for x in s.sides] or [(s.text, s.citations)]
                every = s.citations + [c for x in s.sides for c in x["citations"]]
                cites += len(every)
                slices = all(texts[c.article_id][c.start : c.end] == c.sentence for c in every)
                bad_slices += sum(texts[c.article_id][c.start : c.end] != c.sentence for c in every)
                words = all(
                    any(content_tokens(part) <= content_tokens(c.sentence) for c in cs)
                    for part, cs in groups
                )
                ok += slices and words and bool(s.citations)
    return {"sentences": n, "traceable": ok, "citations": cites, "bad_slices": bad_slices,
            "statuses": dict(statuses)}  # fmt: skip


def run_cost(db: Path) -> dict[str, float]:
    from sitroom.brief import story_brief
    from sitroom.store import Store

    with Store(db) as store:
        ids = [s["story_id"] for s in store.stories()]
        times = []
        for sid in ids * 3:
            t0 = time.perf_counter()
            story_brief(store, sid)
            times.append(time.perf_counter() - t0)
    return {"stories": len(ids), "cold": times[0], "warm": sum(times[1:]) / (len(times) - 1)}


def run_read(db: Path) -> dict[str, float]:
    from sitroom.store import Store

    with Store(db) as store:
        ids = [s["story_id"] for s in store.stories()]
        t0 = time.perf_counter()
        for sid in ids * 3:
            store.claims(story_id=sid)
            store.events(sid)
        return {"per_story": (time.perf_counter() - t0) / (3 * len(ids))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="NeuS clusters (default: all 307)")
    ap.add_argument("--sentences", type=int, default=3, help="brief sentences for NeuS")
    args = ap.parse_args(argv)
    need(SAMPLE)

    if NEUS.exists():
        r, secs, peak = measure(lambda: run_neus(args.limit, args.sentences))
        print(f"(a) NeuS/AllSides test, {r['n']} clusters: ROUGE F1 against the neutral "
              f"roundup body ({r['words']['roundup']:.0f} words on average)")  # fmt: skip
        sc, w = r["scores"], r["words"]
        print(table([
            [f"sitroom brief (<= {args.sentences} sentences)", *sc["brief"], w["brief"]],
            ["baseline: lead-3 (first sentence of each source)", *sc["lead"], w["lead"]],
        ], ["system", "ROUGE-1", "ROUGE-2", "ROUGE-L", "words"]))  # fmt: skip
        print(f"(empty briefs: {r['empty']}; {secs:.1f} s, {peak:.0f} MiB)\n")
    else:
        print(f"(a) skipped: {NEUS} is absent\n")

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sample.db"
        _, build_s, _ = measure(lambda: _build(db))
        t, secs, peak = measure(lambda: run_trace(db))
        share = t["traceable"] / max(t["sentences"], 1)
        print(f"(b) sample corpus ({build_s:.1f} s to build the store): brief sentences whose "
              "cited sources state them")  # fmt: skip
        print(table([[t["sentences"], t["citations"], t["bad_slices"], f"{share:.1%}",
                      ", ".join(f"{k} {v}" for k, v in sorted(t["statuses"].items()))]],
                    ["sentences", "citations", "slice mismatches", "traceable",
                     "by status"]))  # fmt: skip
        print(f"({secs:.1f} s, {peak:.0f} MiB)\n")

        c, _, c_peak = measure(lambda: run_cost(db))
        rd, _, r_peak = measure(lambda: run_read(db))
        print(f"(c) cost on the sample corpus ({c['stories']} stories, each brief 3 times)")
        print(table([
            ["story_brief, first (MiniLM loaded)", c["cold"], c_peak],
            ["story_brief, warm average", c["warm"], c_peak],
            ["reading claims + events alone", rd["per_story"], r_peak],
        ], ["step", "seconds per story", "peak MiB"]))  # fmt: skip
    return 0 if share == 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
