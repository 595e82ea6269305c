"""The stream's cost (issue 14, point 5): does a run get slower as the store grows?

The dated real articles of ../shared/data (benchmarks/corpora.py ``dated_articles``: sorted by
date, then doc_id) go into one store as ``--runs`` (10) successive runs of equal size, one
``sitroom.Session`` (models loaded once, as ``sitroom watch`` keeps them), each run a JSONL
file of the next articles in date order. Models are loaded before the first run, by a warm-up
run of 20 articles into a scratch store. Printed: each run's seconds, articles/s, characters
and per-stage seconds (``RunReport.stage_seconds``); the last run's time over the first's (the
same number of articles; the corpora differ in length, so per character too); the whole
stream's articles/s next to spaCy's full pipeline alone (``nlp.pipe`` of the model sitroom
loads, every component, ``n_process=2``) over the same texts in the same benchmark run; and
each side's peak memory.

``--scale 10000,100000``: the same stream over recombined articles (the idea of
benchmarks/stories.py ``recombined``): replica ``r`` of the dated corpus has its capitalised
words (names) renamed through its own permutation of the corpus's names, its digits through
its own permutation, its outlets renamed and its dates shifted ``r * 5`` days, so it reads as
new stories with the real ones' structure (replica 0 is the corpus itself). Slow: measure
small sizes (``--scale 1000``); the big ones are for a long, quiet run.

    python benchmarks/stream.py [--limit N] [--runs 10] [--workers W] [--no-spacy]
                                [--scale 1000,...] [--keep DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpora
from benchmarks._common import DATA, measure, need, table
from benchmarks.soak import spread
from benchmarks.stories import REPLICA_DAYS

Record = corpora.Record


# -- the stream -------------------------------------------------------------------------------


def chunks(records: list[Record], runs: int) -> list[list[Record]]:
    """``runs`` successive slices of equal size (the remainder left out)."""
    size = len(records) // runs
    return [records[k * size : (k + 1) * size] for k in range(runs)]


def _stream(parts: list[list[Record]], folder: Path, workers: int | None) -> list[dict[str, Any]]:
    """The runs, one after another, into one store through one Session."""
    from sitroom.session import Session

    db = folder / "stream.db"
    overrides = {"workers": workers} if workers is not None else {}
    out = []
    # models loaded before the first measured run, on a scratch store: run 0 is then a run
    # like the others, not the one that pays for loading spaCy and MiniLM
    warm = [p for p, _ in corpora.write_jsonl(parts[0][:20], folder / "warm-up", 20)]
    t0 = time.perf_counter()
    with Session(folder / "warm-up.db", **overrides) as w:
        w.run(warm)
    print(f"  warm-up (models loaded, 20 articles, scratch store): "
          f"{time.perf_counter() - t0:.1f} s", flush=True)  # fmt: skip
    with Session(db, **overrides) as s:
        for k, part in enumerate(parts):
            files = [p for p, _ in corpora.write_jsonl(part, folder / f"run-{k:02d}", len(part))]
            t0 = time.perf_counter()
            rep = s.run(files)
            seconds = time.perf_counter() - t0
            out.append({
                "articles": len(part), "chars": sum(len(text_of(r)) for r in part),
                "added": rep.added, "skipped": rep.skipped,
                "failed": len(rep.failures), "stage_errors": len(rep.stage_errors),
                "seconds": seconds, "stage_seconds": dict(rep.stage_seconds),
                "stored": rep.total_articles, "stories": rep.total_stories,
                "topics": rep.total_topics, "events": rep.total_events,
                "first": part[0].get("published"), "last": part[-1].get("published"),
            })  # fmt: skip
            print(
                f"  run {k}: {len(part)} articles ({out[-1]['first']}..{out[-1]['last']}) "
                f"in {seconds:.1f} s, {len(part) / seconds:.2f} articles/s; "
                f"{rep.total_articles} stored, {rep.total_stories} stories",
                flush=True,
            )
    return out


def _spacy_texts(texts: list[str]) -> int:
    """spaCy's full pipeline (the model sitroom loads, every component, as it ships: spaCy's
    own attribute ruler, not sitroom's array one) over ``texts`` with two processes; the
    number of tokens."""
    import spacy

    from sitroom.nlp import MODELS

    for name in MODELS:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.max_length = 5_000_000
        return sum(len(doc) for doc in nlp.pipe(texts, n_process=2, batch_size=16))
    raise SystemExit("no English spaCy model")


def text_of(rec: Record) -> str:
    title = rec.get("title")
    body = str(rec.get("text") or "")
    return f"{title}\n\n{body}" if title else body


def stream(records: list[Record], args: argparse.Namespace, label: str) -> dict[str, Any]:
    parts = chunks(records, args.runs)
    n = sum(len(p) for p in parts)
    work = Path(tempfile.mkdtemp(prefix="sitroom-stream-", dir=args.keep))
    print(f"{label}: {n:,} articles in {args.runs} runs of {len(parts[0]):,} ({work})", flush=True)
    runs, child_seconds, peak = measure(lambda: _stream(parts, work, args.workers))
    seconds = sum(r["seconds"] for r in runs)  # the warm-up left out
    result: dict[str, Any] = {
        "label": label, "articles": n, "runs": runs, "seconds": seconds, "peak_mib": peak,
        "with_warm_up_seconds": child_seconds,
        "articles_per_second": n / seconds,
        "last_over_first": runs[-1]["seconds"] / runs[0]["seconds"],
        "last_over_first_per_char": (runs[-1]["seconds"] / runs[-1]["chars"])
        / (runs[0]["seconds"] / runs[0]["chars"]),
    }  # fmt: skip
    if not args.no_spacy:
        texts = [text_of(r) for p in parts for r in p]
        tokens, sp_seconds, sp_peak = measure(lambda: _spacy_texts(texts))
        result["spacy"] = {"seconds": sp_seconds, "articles_per_second": n / sp_seconds,
                           "tokens": tokens, "peak_mib": sp_peak}  # fmt: skip
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return result


def report(res: dict[str, Any]) -> None:
    runs = res["runs"]
    rows = [[k, r["articles"], r["added"], r["skipped"], r["failed"] + r["stage_errors"],
             f"{r['first']}..{r['last']}", r["chars"] // 1000, r["seconds"],
             r["articles"] / r["seconds"], r["chars"] / 1000 / r["seconds"], r["stored"],
             r["stories"]] for k, r in enumerate(runs)]  # fmt: skip
    print(table(rows, ["run", "articles", "added", "skipped", "failed", "dates", "kchars",
                       "seconds", "articles/s", "kchars/s", "in store", "stories"]))  # fmt: skip
    stages: list[str] = []
    for r in runs:
        stages += [s for s in r["stage_seconds"] if s not in stages]
    print()
    print(table([[s, *(r["stage_seconds"].get(s, 0.0) for r in runs)] for s in stages],
                ["stage seconds", *(f"run {k}" for k in range(len(runs)))]))  # fmt: skip
    print()
    line = (f"{res['label']}: {res['articles']:,} articles in {res['seconds']:.0f} s, "
            f"{res['articles_per_second']:.2f} articles/s, peak {res['peak_mib']:.0f} MiB; "
            f"last run / first run: {res['last_over_first']:.2f} "
            f"({res['last_over_first_per_char']:.2f} per character)")  # fmt: skip
    if "spacy" in res:
        sp = res["spacy"]
        line += (
            f"; spaCy's full pipeline alone (2 processes, same texts): "
            f"{sp['articles_per_second']:.2f} articles/s, peak {sp['peak_mib']:.0f} MiB"
        )
    print(line)


# -- scale: recombined articles ---------------------------------------------------------------

_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")


def _names(records: list[Record]) -> list[str]:
    """Capitalised words the corpus uses mostly capitalised: its names, roughly."""
    cap: Counter[str] = Counter()
    low: Counter[str] = Counter()
    for r in records:
        text = text_of(r)
        cap.update(_NAME.findall(text))
        low.update(re.findall(r"\b[a-z]{3,}\b", text))
    return sorted(w for w, n in cap.items() if n > 2 * low[w.lower()])


def recombined(base: list[Record], n: int, seed: int = 0) -> Iterator[Record]:
    """``n`` articles made from the dated real ones, in date order (see the docstring)."""
    rng = random.Random(seed)
    names = _names(base)
    m = len(base)
    replicas = -(-n // m)
    maps: list[dict[str, str]] = [{}]
    digits = [str.maketrans("", "")]
    for _ in range(1, replicas):
        shuffled = names[:]
        rng.shuffle(shuffled)
        maps.append(dict(zip(names, shuffled, strict=True)))
        d = list("0123456789")
        rng.shuffle(d)
        digits.append(str.maketrans("0123456789", "".join(d)))
    order = sorted(
        (dt.date.fromisoformat(base[i]["published"]) + dt.timedelta(days=REPLICA_DAYS * r), r, i)
        for r in range(replicas) for i in range(m)
    )[:n]  # fmt: skip
    for when, r, i in order:
        rec = dict(base[i])

        def swap(text: str, r: int = r) -> str:
            return _NAME.sub(lambda mt: maps[r].get(mt.group(), mt.group()), text).translate(
                digits[r]
            )

        for key in ("text", "title"):
            if rec.get(key):
                rec[key] = swap(rec[key])
        if r:
            rec["outlet"] = f"{rec.get('outlet') or 'Outlet'} {r % 40}"
            rec["url"] = f"{rec['url']}#{r}" if rec.get("url") else None
        rec["published"] = when.isoformat()
        rec["doc_id"] = f"{rec['doc_id']}#{r}"
        yield {k: v for k, v in rec.items() if v is not None}


# -- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--limit",
        type=int,
        default=None,
        help="dated articles, spread evenly over the date order (default all)",
    )
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--workers", type=int, default=None, help="sitroom's workers (0 = per CPU)")
    ap.add_argument("--no-spacy", action="store_true", help="leave out spaCy's pipeline alone")
    ap.add_argument("--scale", default="", help="recombined stream sizes, e.g. 10000,100000")
    ap.add_argument("--no-real", action="store_true", help="only the --scale streams")
    ap.add_argument("--keep", type=Path, default=None, help="keep the stores under this folder")
    ap.add_argument("--json", type=Path, default=None, help="write the results here")
    args = ap.parse_args(argv)
    if args.runs < 2:
        ap.error("--runs must be 2 or more")
    need(DATA)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    dated = corpora.dated_articles()
    results = []
    if not args.no_real:
        res = stream(spread(dated, args.limit), args, "dated real articles")
        report(res)
        results.append(res)
    for size in [int(x) for x in args.scale.split(",") if x]:
        print()
        res = stream(list(recombined(dated, size)), args, f"recombined {size:,}")
        report(res)
        results.append(res)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
