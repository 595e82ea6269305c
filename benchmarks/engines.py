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
many records differ when they do not. Memory and CPU two ways: "peak MiB" and "CPU
s/article" from getrusage (the run's largest process, and the CPU of the run's process and
its reaped children: for Ray the driver alone), "tree peak MiB" and "tree CPU s/article"
from /proc sampled every 0.5 s (every process under the run: the local engine's pool, or
Ray's GCS, raylet, workers and actors; the peak is the largest sum of resident memory, so
Ray's shared object store pages count once per process that maps them).

The default is the 2,000-article comparison the issue asks for (~2-3 s/article per engine
on 2 CPUs, so over two hours for both); ``--limit 300`` fits in about 25 minutes.

``--inputs PATH...`` compares the engines on any input instead (news the project has never
seen).

    python benchmarks/engines.py [--limit 2000] [--workers 2] [--inputs PATH ...]
                                 [--keep DIR] [--json FILE] [--engines local,ray]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
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


class TreeSampler:
    """The process tree under this process, read from /proc every ``every`` seconds: the
    largest sum of its resident memory (the driver, the local pool or Ray's GCS, raylet and
    actors together) and the CPU seconds of every process seen in it (the last reading of
    each, so processes that ended early still count). Linux only; zeros elsewhere."""

    def __init__(self, every: float = 0.5) -> None:
        self.every = every
        self.peak_kib = 0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            self.sample()

    def sample(self) -> None:
        stats: dict[int, list[str]] = {}
        for d in Path("/proc").glob("[0-9]*"):
            try:
                raw = (d / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ")"
            stats[int(d.name)] = raw[raw.rindex(")") + 2 :].split()
        tree, frontier = {os.getpid()}, [os.getpid()]
        while frontier:
            parent = frontier.pop()
            for pid, f in stats.items():
                if int(f[1]) == parent and pid not in tree:
                    tree.add(pid)
                    frontier.append(pid)
        rss = 0
        for pid in tree:
            got = stats.get(pid)
            if got is None:
                continue
            # fields after ")": state=0 ppid=1 ... utime=11 stime=12 ... rss (pages)=21
            cpu = (int(got[11]) + int(got[12])) / self._tick
            self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu)
            rss += int(got[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        self.peak_kib = max(self.peak_kib, rss)


def run_engine(engine: str, inputs: list[Path], db: Path, workers: int) -> dict[str, Any]:
    """One cold run of ``engine`` into a fresh store: seconds, counts, stage seconds."""
    from sitroom.session import Session

    def go() -> Any:
        with TreeSampler() as tree, Session(db, engine=engine, workers=workers) as s:
            rep = s.run(inputs)
        # CPU seconds of this process and its reaped workers (the local engine's pool); Ray's
        # actors are the raylet's children, not ours: for Ray this is the driver's alone
        use = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        own = sum(u.ru_utime + u.ru_stime for u in use)
        return rep, own, sum(tree.cpu.values()), tree.peak_kib / 1024

    # in a fresh process: cold, as a user's run is
    (rep, cpu, tree_cpu, tree_peak), secs, peak = measure(go)
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
        # the whole process tree (driver, pool or Ray's processes and actors), sampled
        "tree_cpu_seconds": round(tree_cpu, 1),
        "tree_cpu_per_article": round(tree_cpu / rep.added, 3) if rep.added else None,
        "tree_peak_mib": round(tree_peak),
    }


def _kept_run(engine: str, folder: Path) -> dict[str, Any]:
    """The figures of ``engine``'s earlier run into ``folder`` (``--json`` beside it as
    ``engine.json``), or only its store's counts when there are none."""
    saved = folder / f"{engine}.json"
    if saved.exists():
        return dict(json.loads(saved.read_text()))
    return {"engine": engine, "added": "kept", "seconds": 0.0, "articles_per_s": 0.0,
            "cpu_per_article": None, "stories": None, "events": None, "failures": None,
            "stage_errors": None, "peak_mib": None, "tree_cpu_per_article": None,
            "tree_peak_mib": None, "stage_seconds": {}}  # fmt: skip


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
    ap.add_argument(
        "--engines",
        default="local,ray",
        help="the engines to run (default both); with --keep, one engine alone is compared "
        "with the other's store kept there by an earlier run on the same inputs",
    )
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
        chosen = [e.strip() for e in args.engines.split(",") if e.strip()]
        if not chosen or set(chosen) - {"local", "ray"}:
            ap.error("--engines takes local, ray or local,ray")
        for engine in ("local", "ray"):
            db = folder / f"{engine}.db"
            if engine not in chosen:
                if args.keep is None or not db.exists():
                    ap.error(f"--engines without {engine} needs --keep DIR holding {db.name}")
                runs.append(_kept_run(engine, folder))
                print(f"  {engine}: the store kept in {folder}", flush=True)
                continue
            for p in folder.glob(f"{engine}.db*"):
                p.unlink()
            runs.append(run_engine(engine, inputs, db, args.workers))
            r = runs[-1]
            if args.keep is not None:  # what a later --engines run compares against
                (folder / f"{engine}.json").write_text(json.dumps(r, indent=1))
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
                        r["tree_cpu_per_article"],
                        r["tree_peak_mib"],
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
                    "tree CPU s/article",
                    "tree peak MiB",
                ],
            )
        )
        if local["seconds"] and ray["seconds"]:
            print(f"Ray over local: {ray['seconds'] / local['seconds']:.2f}x the time")
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
