"""Boilerplate removal on the Zyte/Scrapinghub article-extraction benchmark (181 pages).

Scores the article body each extractor returns against the ground truth with the benchmark's
own metric, re-implemented here: word 4-gram shingles, per-page true/false positives and
negatives normalised by the page's total, precision and recall averaged over pages, F1 of
the two averages. Prints sitroom's clean stage next to plain trafilatura in the same run,
with the published figures as anchors.

    python benchmarks/boilerplate.py [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import DATA, measure, need, table

SET = DATA / "article-extraction-scrapinghub"
ANCHORS = {
    "rs_trafilatura (published)": 0.970,
    "trafilatura 2.0 (published)": 0.958,
    "newspaper4k (published)": 0.949,
    "readability-lxml (published)": 0.922,
}
_TOKEN = re.compile(r"\w+")


def pages(limit: int | None = None) -> Iterator[tuple[str, str, str]]:
    """(id, html, true body) for each page of the set."""
    truth = json.loads((SET / "ground-truth.json").read_text(encoding="utf-8"))
    for i, key in enumerate(sorted(truth)):
        if limit is not None and i >= limit:
            return
        with gzip.open(SET / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as fh:
            yield key, fh.read(), truth[key].get("articleBody", "")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    toks = _TOKEN.findall(text or "")
    return Counter(
        tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n]
    )


def page_score(true: str, pred: str) -> tuple[float, float, float]:
    a, b = _shingles(true), _shingles(pred)
    tp = sum((a & b).values())
    fp = sum((b - a).values())
    fn = sum((a - b).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def prf(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    def p(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def r(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    ps = [p(*s) for s in scores if s[0] + s[1] > 0]
    rs = [r(*s) for s in scores if s[0] + s[2] > 0]
    precision, recall = sum(ps) / len(ps), sum(rs) / len(rs)
    return precision, recall, 2 * precision * recall / (precision + recall)


def _sitroom(html: str) -> str:
    from sitroom.text.clean import clean_html

    return clean_html(html).clean_text


def _trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False) or ""


def _trafilatura_precision(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, favor_precision=True) or ""


EXTRACTORS: dict[str, Callable[[str], str]] = {
    "sitroom clean": _sitroom,
    "trafilatura (default)": _trafilatura,
    "trafilatura (favor_precision)": _trafilatura_precision,
}


def evaluate(name: str, limit: int | None = None) -> tuple[float, float, float, int]:
    fn = EXTRACTORS[name]
    scores = []
    n = 0
    for _, html, true in pages(limit):
        scores.append(page_score(true, fn(html)))
        n += 1
    return (*prf(scores), n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N pages")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    need(SET)
    rows, out = [], {}
    for name in EXTRACTORS:
        (p, r, f, n), secs, peak = measure(lambda name=name: evaluate(name, args.limit))
        rows.append([name, p, r, f, f"{n / secs:.1f}", f"{peak:.0f}"])
        out[name] = {
            "precision": p,
            "recall": r,
            "f1": f,
            "pages_per_s": n / secs,
            "peak_rss_mib": peak,
        }
    for name, f in ANCHORS.items():
        rows.append([name, "", "", f, "", ""])
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"Boilerplate removal, {SET.name} ({n} pages), shingle metric")
    print(table(rows, ["extractor", "precision", "recall", "F1", "pages/s", "peak MiB"]))
    print("target: sitroom F1 >= 0.975")


if __name__ == "__main__":
    main()
