"""Time expressions: recognition and TimeML normalisation on TimeBank, AQUAINT and MEANTIME.

Gold: the TIMEX3 tags of TempEval-3's TBAQ-cleaned TimeBank (183 documents) and AQUAINT (73),
each document normalised against its own DCT; and the English MEANTIME WikiNews articles (their
annotated opening sentences joined back into text, the creation time from their CREATION_TIME
TIMEX3; 118 of the 120 have one). The
rules were tuned on TimeBank only: AQUAINT and MEANTIME are held out.

Scores, TempEval-3 style: strict (same characters) and relaxed (any overlap, one to one) span
precision, recall and F1; type and value accuracy on the relaxed matches; value F1, where a
match counts only if its value is right too. Values are compared after writing equivalent
TimeML forms alike (P2DE = P20Y = P2E, 198X = 198, 19XX = 19, T17 = T17:00); the plain
string comparison is printed too. In the same run: dateparser's ``search_dates`` as a
baseline, and HeidelTime's published TempEval-3 figures as an anchor (a different test set
of the same kind of news).

    python benchmarks/times.py [--corpus timebank|aquaint|meantime] [--no-baseline] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import DATA, measure, table

TBAQ = DATA / "tempeval3" / "data" / "TempEval3" / "Training" / "TBAQ-cleaned"
MEANTIME = DATA / "meantime-newsreader" / "data" / "meantime_newsreader_english_oct15"
CORPORA = {
    "timebank": TBAQ / "TimeBank",
    "aquaint": TBAQ / "AQUAINT",
    "meantime": MEANTIME / "intra-doc_annotation",
}
# HeidelTime on the TempEval-3 platinum test set (UzZaman et al., SemEval 2013, Task A)
HEIDELTIME = {"span_f1_strict": 0.813, "span_f1_relaxed": 0.903, "value_f1": 0.776}


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    dct: dt.date
    gold: list[Timex]


def _date(value: str) -> dt.date:
    day_first = re.match(r"(\d\d)-(\d\d)-(\d{4})$", value)
    if day_first:  # one MEANTIME creation time is written 03-02-2009 for 3 February
        return dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    return dt.date.fromisoformat(value[:10])


def _tml(path: Path) -> Document:
    """A TimeML file: the text inside <TEXT> with its TIMEX3 offsets, and the DCT."""
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3")
    assert dct is not None, path
    body = root.find("TEXT")
    assert body is not None, path
    parts: list[str] = []
    gold: list[Timex] = []
    size = 0

    def walk(el: ET.Element) -> None:
        nonlocal size
        start = size
        if el.text:
            parts.append(el.text)
            size += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
                size += len(child.tail)
        if el.tag == "TIMEX3":
            gold.append(Timex(start, size, el.get("type", ""), el.get("value", "")))

    walk(body)
    return Document(path.stem, "".join(parts), _date(dct.get("value", "")), gold)


_MEANTIME_SENTENCES = 5
_NO_SPACE_BEFORE = re.compile(r"^(?:[,.;:!?%)\]}]|'s|'|n't|'re|'ve|'ll|'d|'m)$")


def _cat(path: Path) -> Document | None:
    """A MEANTIME CAT file: tokens joined into text, a line per sentence, TIMEX3 on tokens.

    MEANTIME annotates only the first sentences of each article (the title, the date line and
    the opening paragraph, sentences 0 to 5), so the text stops there. None for the two files
    that carry no creation time (nothing to normalise against).
    """
    root = ET.parse(path).getroot()
    offsets: dict[str, tuple[int, int]] = {}
    text = ""
    sentence = None
    for tok in root.iter("token"):
        if int(tok.get("sentence", "0")) > _MEANTIME_SENTENCES:
            break
        word = tok.text or ""
        if sentence is not None and tok.get("sentence") != sentence:
            text += "\n"
        elif text and not _NO_SPACE_BEFORE.match(word) and not text.endswith(("(", "$", "\n")):
            text += " "
        sentence = tok.get("sentence")
        offsets[tok.get("t_id", "")] = (len(text), len(text) + len(word))
        text += word
    gold: list[Timex] = []
    dct: dt.date | None = None
    for tx in root.iter("TIMEX3"):
        anchors = [offsets[a.get("t_id", "")] for a in tx.iter("token_anchor")
                   if a.get("t_id", "") in offsets]  # fmt: skip
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = _date(tx.get("value", ""))
        if anchors:
            start, end = min(a[0] for a in anchors), max(a[1] for a in anchors)
            gold.append(Timex(start, end, tx.get("type", ""), tx.get("value", "")))
    if dct is None:
        return None
    gold.sort(key=lambda t: t.start)
    return Document(path.stem, text, dct, gold)


def documents(corpus: str) -> Iterator[Document]:
    """The documents of one corpus with their gold expressions."""
    folder = CORPORA[corpus]
    if corpus == "meantime":
        for path in sorted(folder.glob("*/*.xml")):
            doc = _cat(path)
            if doc is not None:
                yield doc
    else:
        for path in sorted(folder.glob("*.tml")):
            yield _tml(path)


def _sitroom(doc: Document) -> list[Timex]:
    from sitroom.timex import find_times

    return [Timex(t.start, t.end, t.type, t.value) for t in find_times(doc.text, doc.dct)]


def _dateparser(doc: Document) -> list[Timex]:
    from dateparser.search import search_dates

    base = dt.datetime.combine(doc.dct, dt.time(12))
    found = search_dates(doc.text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    out: list[Timex] = []
    pos = 0
    for surface, when in found:
        start = doc.text.find(surface, pos)
        if start < 0:
            continue
        pos = start + len(surface)
        out.append(Timex(start, pos, "DATE", when.date().isoformat()))
    return out


SYSTEMS: dict[str, Callable[[Document], list[Timex]]] = {
    "sitroom timex": _sitroom,
    "dateparser search_dates": _dateparser,
}

_UNIT_YEARS = {"DE": 10, "E": 10, "CE": 100, "C": 100, "ML": 1000, "L": 1000}
_DURATION = re.compile(r"P(\d+)(DE|CE|ML|E|C|L)$")
_QUARTERS = re.compile(r"P(\d+)Q$")


def canonical(value: str) -> str:
    """One spelling for equivalent TimeML values: the units TimeML and TimeBank spell two
    ways (decades P2DE/P2E/P20Y, centuries, millennia, quarters P1Q/P3M), decades and
    centuries with or without X padding (198X/198), whole hours with or without minutes."""
    v = value.strip()
    m = _DURATION.match(v)
    if m:
        return f"P{int(m.group(1)) * _UNIT_YEARS[m.group(2)]}Y"
    m = _QUARTERS.match(v)
    if m:
        return f"P{int(m.group(1)) * 3}M"
    m = re.match(r"PX(DE|CE|ML|E|C|L)$", v)
    if m:
        return f"PX{ {'DE': 'E', 'CE': 'C', 'ML': 'L'}.get(m.group(1), m.group(1)) }"
    v = re.sub(r"^(\d{2,3})X+$", r"\1", v)  # 198X = 198, 19XX = 19
    v = re.sub(r"T(\d\d)$", r"T\1:00", v)  # T17 = T17:00
    v = re.sub(r"(T\d\d:\d\d):00$", r"\1", v)
    return v


def _pair(gold: list[Timex], system: list[Timex]) -> list[tuple[Timex, Timex]]:
    """One-to-one relaxed matches: each gold with the first free system span it overlaps."""
    pairs: list[tuple[Timex, Timex]] = []
    used: set[int] = set()
    for g in gold:
        for i, s in enumerate(system):
            if i not in used and s.start < g.end and g.start < s.end:
                used.add(i)
                pairs.append((g, s))
                break
    return pairs


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(docs: list[Document], outputs: list[list[Timex]]) -> dict[str, float]:
    """TempEval-3 style figures over a corpus."""
    n_gold = sum(len(d.gold) for d in docs)
    n_sys = sum(len(o) for o in outputs)
    strict = relaxed = type_ok = value_ok = value_str_ok = 0
    for doc, out in zip(docs, outputs, strict=True):
        spans = {(s.start, s.end) for s in out}
        strict += sum((g.start, g.end) in spans for g in doc.gold)
        for g, s in _pair(doc.gold, out):
            relaxed += 1
            type_ok += g.type == s.type
            value_ok += canonical(g.value) == canonical(s.value)
            value_str_ok += g.value == s.value

    def p(n: int) -> float:
        return n / n_sys if n_sys else 0.0

    def r(n: int) -> float:
        return n / n_gold if n_gold else 0.0

    return {
        "n_gold": float(n_gold),
        "n_system": float(n_sys),
        "span_p_strict": p(strict),
        "span_r_strict": r(strict),
        "span_f1_strict": _f1(p(strict), r(strict)),
        "span_p_relaxed": p(relaxed),
        "span_r_relaxed": r(relaxed),
        "span_f1_relaxed": _f1(p(relaxed), r(relaxed)),
        "type_accuracy": type_ok / relaxed if relaxed else 0.0,
        "value_accuracy": value_ok / relaxed if relaxed else 0.0,
        "value_f1": _f1(p(value_ok), r(value_ok)),
        "value_f1_plain": _f1(p(value_str_ok), r(value_str_ok)),
    }


def _run(system: str, corpus: str) -> tuple[dict[str, float], float]:
    """(figures, seconds) of one system over one corpus; no figures if it failed."""
    try:
        return _timed(system, corpus)
    except Exception as exc:  # a crash in the child process would leave the parent waiting
        print(f"error: {system} on {corpus}: {exc!r}", file=sys.stderr)
        return {}, 0.0


def _timed(system: str, corpus: str) -> tuple[dict[str, float], float]:
    docs = list(documents(corpus))
    if not docs:
        return {}, 0.0
    fn = SYSTEMS[system]
    fn(docs[0])  # warm up: imports and compiled patterns are a one-off cost, not throughput
    t0 = time.perf_counter()
    outputs = [fn(d) for d in docs]
    seconds = time.perf_counter() - t0
    figures = score(docs, outputs)
    words = sum(len(d.text.split()) for d in docs)
    figures.update(
        docs=float(len(docs)),
        seconds=seconds,
        docs_per_s=len(docs) / seconds,
        exprs_per_s=figures["n_system"] / seconds,
        words_per_s=words / seconds,
    )
    return figures, seconds


def evaluate(corpus: str, system: str = "sitroom timex") -> dict[str, float]:
    """Figures of one system on one corpus ("timebank", "aquaint", "meantime"): n_gold,
    span_f1_relaxed, span_f1_strict, value_accuracy, value_f1, type_accuracy and the rest."""
    return _timed(system, corpus)[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    ap.add_argument("--no-baseline", action="store_true", help="skip dateparser (slow)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    corpora = [c for c in args.corpus or ["timebank", "aquaint", "meantime"]]
    missing = [c for c in corpora if not CORPORA[c].exists()]
    for c in missing:
        print(f"skipped: {c}: {CORPORA[c]} is absent (the shared evaluation data is not here)")
    corpora = [c for c in corpora if c not in missing]
    if not corpora:
        return 0
    systems = ["sitroom timex"] + ([] if args.no_baseline else ["dateparser search_dates"])
    rows: list[list[object]] = []
    results: dict[str, dict[str, dict[str, float]]] = {}
    for corpus in corpora:
        for system in systems:
            # a fresh process per run, so peak memory is the run's own
            (figures, _), _, peak = measure(functools.partial(_run, system, corpus))
            if not figures:
                continue
            figures["peak_mib"] = peak
            results.setdefault(corpus, {})[system] = figures
            rows.append([corpus, system, int(figures["n_gold"]), int(figures["n_system"]),
                         figures["span_p_strict"], figures["span_r_strict"],
                         figures["span_f1_strict"], figures["span_p_relaxed"],
                         figures["span_r_relaxed"], figures["span_f1_relaxed"],
                         figures["type_accuracy"], figures["value_accuracy"],
                         figures["value_f1"], figures["value_f1_plain"],
                         figures["docs_per_s"], figures["exprs_per_s"],
                         figures["peak_mib"]])  # fmt: skip
    rows.append(["TE-3 test", "HeidelTime (published)", "", "", "", "",
                 HEIDELTIME["span_f1_strict"], "", "", HEIDELTIME["span_f1_relaxed"], "", "",
                 HEIDELTIME["value_f1"], "", "", "", ""])  # fmt: skip
    header = ["corpus", "system", "gold", "found", "P strict", "R strict", "F1 strict",
              "P relax", "R relax", "F1 relax", "type acc", "value acc", "value F1",
              "value F1 plain", "docs/s", "exprs/s", "peak MiB"]  # fmt: skip
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(table(rows, header))
        own = [results[c]["sitroom timex"] for c in corpora if "sitroom timex" in results[c]]
        words = sum(f["words_per_s"] * f["seconds"] for f in own)
        secs = sum(f["seconds"] for f in own)
        if secs:
            print(f"sitroom timex: {words / secs:,.0f} words/s single-threaded, "
                  f"= {words / secs / 600:,.0f} articles/s of 600 words")  # fmt: skip
        print("Rules tuned on TimeBank only; AQUAINT and MEANTIME are held out. HeidelTime: "
              "published TempEval-3 figures on its own test set, for scale.")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
