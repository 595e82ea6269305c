"""Local engine against the Ray engine (issue 16, points 3 and 5): the same store, and what
Ray costs on one machine.

The real news articles of ../shared/data (benchmarks/corpora.py: the whole reports of the
news corpora, 2,866, spread evenly so every one is represented, ``--limit`` 2,000) go as
JSONL files into two fresh stores: one by the local engine (``Session``, ``--workers``
processes), one by the Ray engine on a local Ray with the same number of CPUs. Both from
cold: each pays for loading its models (the local engine once in its process and pool, Ray
once per actor, plus starting Ray).
Printed: each engine's seconds, articles/s and stage seconds, Ray's time over local's, and
for each part of the store (articles, places, copy groups, story partition, topics, stories,
events, claim statuses: tests/test_purity.py ``picture``) whether the two agree, and how
many records differ when they do not.

``--inputs PATH...`` compares the engines on any input instead (news the project has never
seen).

    python benchmarks/engines.py [--limit 2000] [--workers 2] [--inputs PATH ...]
                                 [--keep DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpora
from benchmarks._common import measure, table
from benchmarks.soak import spread

NEWS = ("news-cluster-5w1h", "neus-allsides-mds", "meantime-newsreader", "geoparsing")
SNIPPETS = "neus-allsides-mds/source"


def real_inputs(folder: Path, limit: int) -> tuple[list[Path], int]:
    """``limit`` real news articles spread over the news corpora (whole reports: not the
    titles and leads of NeuS's .source files), as JSONL files of 100."""
    whole = [r for r in corpora.all_articles(NEWS) if corpora.subset(r) != SNIPPETS]
    records = spread(whole, limit)
    files = [p for p, _ in corpora.write_jsonl(records, folder, per_file=100)]
    return files, sum(len(r.get("text") or r.get("html") or "") for r in records)


def run_engine(engine: str, inputs: list[Path], db: Path, workers: int) -> dict[str, Any]:
    """One cold run of ``engine`` into a fresh store: seconds, counts, stage seconds."""
    from sitroom.session import Session

    def go() -> Any:
        with Session(db, engine=engine, workers=workers) as s:
            rep = s.run(inputs)
        # CPU seconds of this process and its reaped workers (the local engine's pool); Ray's
        # actors are the raylet's children, not ours: for Ray this is the driver's alone
        use = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        return rep, sum(u.ru_utime + u.ru_stime for u in use)

    (rep, cpu), secs, peak = measure(go)  # in a fresh process: cold, as a user's run is
    return {
        "engine": engine,
        "seconds": round(secs, 1),
        "added": rep.added,
        "failures": len(rep.failures),
        "stage_errors": len(rep.stage_errors),
        "articles_per_s": round(rep.added / secs, 3) if secs else 0.0,
        "cpu_seconds": round(cpu, 1),
        "cpu_per_article": round(cpu / rep.added, 3) if rep.added else None,
        "stories": rep.total_stories,
        "events": rep.total_events,
        "claims": dict(rep.claims),
        "stage_seconds": {k: round(v, 1) for k, v in sorted(rep.stage_seconds.items())},
        "peak_mib": round(peak),  # the driver's (Ray's actors are not its children)
    }


def compare(a: Path, b: Path) -> dict[str, Any]:
    """Per part of the store: equal, and how many records each side has that the other
    has not."""
    from tests.test_purity import picture

    pa, pb = picture(a), picture(b)
    out: dict[str, Any] = {}
    for key in pa:
        x = {json.dumps(r, default=str) for r in pa[key]}
        y = {json.dumps(r, default=str) for r in pb[key]}
        out[key] = {
            "equal": pa[key] == pb[key],
            "records": len(pa[key]),
            "only_local": len(x - y),
            "only_ray": len(y - x),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--inputs", nargs="*", type=Path)
    ap.add_argument("--keep", type=Path, help="keep the inputs and both stores here")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="sitroom-engines-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        if args.inputs:
            inputs, chars = list(args.inputs), 0
        else:
            inputs, chars = real_inputs(folder / "in", args.limit)
        print(f"{len(inputs)} input files ({chars:,} characters)", flush=True)
        runs = []
        for engine in ("local", "ray"):
            db = folder / f"{engine}.db"
            for p in folder.glob(f"{engine}.db*"):
                p.unlink()
            runs.append(run_engine(engine, inputs, db, args.workers))
            r = runs[-1]
            print(
                f"  {engine}: {r['added']} articles in {r['seconds']} s "
                f"({r['articles_per_s']} articles/s)",
                flush=True,
            )
        same = compare(folder / "local.db", folder / "ray.db")
        local, ray = runs
        print(
            table(
                [
                    [
                        r["engine"],
                        r["added"],
                        r["seconds"],
                        r["articles_per_s"],
                        r["cpu_per_article"],
                        r["stories"],
                        r["events"],
                        r["failures"],
                        r["stage_errors"],
                        r["peak_mib"],
                    ]
                    for r in runs
                ],
                [
                    "engine",
                    "articles",
                    "seconds",
                    "articles/s",
                    "CPU s/article",
                    "stories",
                    "events",
                    "failures",
                    "stage errors",
                    "peak MiB",
                ],
            )
        )
        print(f"Ray over local: {ray['seconds'] / max(local['seconds'], 1e-9):.2f}x the time")
        stages = sorted(set(local["stage_seconds"]) | set(ray["stage_seconds"]))
        print(
            table(
                [
                    [s, local["stage_seconds"].get(s, ""), ray["stage_seconds"].get(s, "")]
                    for s in stages
                ],
                ["stage", "local s", "ray s (summed over actors)"],
            )
        )
        print(
            table(
                [
                    [k, v["records"], v["equal"], v["only_local"], v["only_ray"]]
                    for k, v in same.items()
                ],
                ["part of the store", "records", "equal", "only local", "only ray"],
            )
        )
        if args.json:
            args.json.write_text(
                json.dumps(
                    {"inputs": len(inputs), "chars": chars, "runs": runs, "same": same}, indent=1
                )
            )
        return 0 if all(v["equal"] for v in same.values()) else 1
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
