"""Ingest + clean + metadata + dedup: throughput and peak memory, next to baselines.

Builds a corpus of N articles (default 10,000) by recombining the paragraphs of the bundled
sample corpus (texts, JSONL lines, HTML pages, wire reprints and near-duplicates, dated and
undated), then times ``sitroom run`` on it and on the founding seed reports. Baselines in the
same run: (a) read + decode + hash + MinHash each file, the floor any deduplicating ingest
pays; (b) trafilatura alone on the same HTML pages.

    python benchmarks/ingest.py [--n 10000] [--full 1000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, SHARED, measure, table

SAMPLE = ROOT / "examples" / "kabul-aug-2021"
OUTLETS = [
    "Frontier Wire",
    "Kabul Ledger",
    "Daily Sentinel",
    "Gulf Courier",
    "Pacific Herald",
    "Northbridge Radio",
    "The Meridian Post",
    "Harbour Gazette",
    "Valley Times",
]
DEBRIS = [
    "Leave a reply",
    "Your email address will not be published. Required fields are marked *",
    "READ MORE: Why the Convoy Never Arrived in Time",
    "(Editing by Jane Roe)",
    '[gallery ids="3,4,5"]',
    "Sign up for our newsletter and get the news in your inbox.",
]
PAGE = (
    "<!doctype html><html><head><title>{t}</title><meta property='og:site_name' "
    "content='{o}'><meta property='article:published_time' content='{d}'></head><body>"
    "<nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article><h1>{t}</h1>{body}"
    "</article><footer>© 2021 {o}</footer></body></html>"
)


def _paragraphs() -> list[str]:
    import sitroom

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "s.db"
        sitroom.run([SAMPLE], db=db)
        rows = sitroom.articles(db, with_text=True)
    paras = [p for r in rows for p in r["clean_text"].split("\n\n") if len(p) > 60]
    return sorted(set(paras))


def build(folder: Path, n: int, seed: int = 7) -> dict[str, int]:
    """Write ``n`` articles into ``folder``; the count of each kind."""
    rng = random.Random(seed)
    paras = _paragraphs()
    made: list[str] = []
    counts = {"txt": 0, "jsonl": 0, "html": 0, "reprint": 0, "near": 0}
    jsonl = (folder / "batch.jsonl").open("w", encoding="utf-8")
    for i in range(n):
        roll = rng.random()
        if made and roll < 0.08:  # a wire reprint: same body, another outlet
            body, kind = rng.choice(made), "reprint"
        elif made and roll < 0.12:  # a near-duplicate: one paragraph changed
            ps = rng.choice(made).split("\n\n")
            ps[rng.randrange(len(ps))] = rng.choice(paras)
            body, kind = "\n\n".join(ps), "near"
        else:
            body, kind = "\n\n".join(rng.sample(paras, rng.randint(5, 12))), ""
            made.append(body)
        outlet = rng.choice(OUTLETS)
        day = f"2021-08-{rng.randint(10, 16):02d}"
        title = f"Report {i}: " + body.split(".")[0][:70]
        form = rng.random()
        if form < 0.6:
            dateline = f"KABUL, Aug {day[-2:]} ({outlet}) - " if rng.random() < 0.5 else ""
            junk = "\n\n".join(rng.sample(DEBRIS, 2))
            text = f"{title}\n\n{dateline}{body}\n\n{junk}\n\n© 2021 {outlet}"
            (folder / f"a{i:06d}.txt").write_text(text, encoding="utf-8")
            counts["txt"] += 1
        elif form < 0.85:
            rec = {"title": title, "outlet": outlet, "published": day, "text": body}
            jsonl.write(json.dumps(rec) + "\n")
            counts["jsonl"] += 1
        else:
            html = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            page = PAGE.format(t=title, o=outlet, d=day, body=html)
            (folder / f"p{i:06d}.html").write_text(page, encoding="utf-8")
            counts["html"] += 1
        if kind:
            counts[kind] += 1
    jsonl.close()
    return counts


SPINE = ("ingest", "clean", "metadata", "dedup")


def _sitroom(folder: Path, db: Path, stages: tuple[str, ...] | None = None) -> dict[str, object]:
    import sitroom

    kw = {"stages": stages} if stages else {}
    rep = sitroom.run([folder], db=db, batch_size=500, **kw)
    groups = len({r["copy_group"] for r in sitroom.articles(db)})
    return {
        "added": rep.added,
        "failures": len(rep.failures),
        "groups": groups,
        "stages": rep.stage_seconds,
    }


def _floor(folder: Path) -> int:
    """Baseline (a): read, decode, hash and MinHash every article, nothing else."""
    from datasketch import MinHash

    n = 0
    for f in sorted(folder.iterdir()):
        texts = (
            [json.loads(x)["text"] for x in f.read_text(encoding="utf-8").splitlines()]
            if f.suffix == ".jsonl"
            else [f.read_bytes().decode("utf-8")]
        )
        for t in texts:
            hashlib.sha256(t.encode()).hexdigest()
            toks = t.lower().split()
            m = MinHash(num_perm=128)
            m.update_batch([" ".join(toks[i : i + 5]).encode() for i in range(len(toks) - 4)])
            n += 1
    return n


def _trafilatura(folder: Path) -> int:
    """Baseline (b): trafilatura alone on the corpus's HTML pages."""
    import trafilatura

    n = 0
    for f in sorted(folder.glob("*.html")):
        trafilatura.extract(f.read_text(encoding="utf-8"), include_comments=False)
        n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles to generate")
    ap.add_argument("--full", type=int, default=1_000, help="articles for the whole-run row")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        counts = build(folder, args.n)
        print(f"corpus: {args.n} articles {counts}")
        rows = []
        res, secs, peak = measure(lambda: _sitroom(folder, Path(tmp) / "b.db", SPINE))
        rows.append(["sitroom spine (ingest+clean+metadata+dedup)", res["added"], secs,
                     res["added"] / secs, peak])  # fmt: skip
        spine_line = ", ".join(f"{k} {v:.1f}s" for k, v in res["stages"].items())
        small = Path(tmp) / "small"
        small.mkdir()
        build(small, min(args.n, args.full))
        full, secs, peak = measure(lambda: _sitroom(small, Path(tmp) / "f.db"))
        rows.append(["sitroom whole run (every stage, story and topic stages)", full["added"], secs,
                     full["added"] / secs, peak])  # fmt: skip
        full_line = ", ".join(f"{k} {v:.1f}s" for k, v in full["stages"].items())
        n, secs, peak = measure(lambda: _floor(folder))
        rows.append(["baseline: read+decode+hash+MinHash", n, secs, n / secs, peak])
        n, secs, peak = measure(lambda: _trafilatura(folder))
        rows.append([f"baseline: trafilatura alone ({n} HTML pages)", n, secs, n / secs, peak])
        n, secs, peak = measure(lambda: _spacy(small))
        rows.append(["baseline: spaCy alone (same model, same texts)", n, secs, n / secs, peak])
        seeds = SHARED / "seeds"
        if seeds.exists():
            r2, secs, peak = measure(lambda: _sitroom(seeds, Path(tmp) / "seeds.db"))
            rows.append(["sitroom whole run on the 2 seed reports", r2["added"], secs,
                         r2["added"] / secs, peak])  # fmt: skip
        print(table(rows, ["what", "articles", "seconds", "articles/s", "peak MiB (main)"]))
        print(f"spine stage seconds: {spine_line}")
        print(f"whole-run stage seconds: {full_line}")
        print(f"copy groups found: {res['groups']} (corpus has {counts['reprint']} reprints and "
              f"{counts['near']} near-duplicates among {args.n} articles)")  # fmt: skip


def _spacy(folder: Path) -> int:
    """Baseline: the same spaCy model alone over the same texts (one process)."""
    from sitroom.nlp import load

    nlp = load("ner")
    texts = []
    for f in sorted(folder.iterdir()):
        if f.suffix == ".jsonl":
            texts += [json.loads(x)["text"] for x in f.read_text(encoding="utf-8").splitlines()]
        elif f.suffix == ".txt":
            texts.append(f.read_text(encoding="utf-8"))
    return sum(1 for _ in nlp.pipe(texts, batch_size=32))


if __name__ == "__main__":
    main()
