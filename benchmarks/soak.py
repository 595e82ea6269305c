"""Soak: every real news text in ../shared/data and thousands of hostile documents through
``sitroom run``, and every document accounted for.

Inputs: all_articles() of benchmarks/corpora.py (most as JSONL files with their fields, one in
ten as a plain .txt or .html file) and ``--generated`` hostile documents from
tests/hostile.py ``hostile_documents`` in a mix of forms: JSONL lines (hostile titles,
outlets, URLs, possible and impossible ``published`` values, odd field types), a JSON array
file, .txt and .html files (UTF-8, invalid UTF-8, cp1252, latin-1, UTF-16 with and without a
BOM, a lying <meta charset>), gzip (and truncated gzip), binary junk, empty files and lines.
They go through a few big ``sitroom run`` CLI runs (a subprocess each, several inputs each)
into one store.

Each input document is then accounted for, by where it was written (file, and ``line N`` or
``item N`` as sitroom names a JSONL line or a JSON array item): stored (an ``articles`` row
with that path and locator), a duplicate of a stored article (its content id, read by
sitroom's own ingest code, is stored under another locator), failed at input (an
``ingest_errors`` row: its own, or its file's), failed in a stage and not stored
(``stage_errors``, kept = 0), or unaccounted for (must be 0). Also: tracebacks on stderr
(must be 0), crashes (exit codes other than 0, 1 and 3), articles/s (wall and per CPU
second), peak memory (largest process, and the whole process tree), per-stage seconds.

The CLI prints no per-stage seconds and the store keeps none, so each run is the CLI's own
``main()`` in a child ``python`` that wraps ``sitroom.api.run`` to write the run report's
``stage_seconds`` to a file; everything else (options, exit codes, stderr) is the CLI's.
``--plain`` runs the ``sitroom`` console script itself (no stage seconds).

    python benchmarks/soak.py [--limit N] [--generated N] [--runs R] [--workers W]
                              [--keep DIR] [--json FILE] [--plain] [--resume]
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpora
from benchmarks._common import DATA, ROOT, need, table

EXPECTED_EXITS = {0, 1, 3}  # sitroom.session.EXIT_CODES, 2 aside (bad usage: nothing done)
TRACEBACK = "Traceback (most recent call last)"
# The CLI's main(), with api.run wrapped to save the run report's stage seconds.
CHILD = """
import json, sys
from sitroom import api
import sitroom.cli.main as cli
out, sys.argv = sys.argv[1], ["sitroom", *sys.argv[2:]]
real = api.run
def run(*a, **k):
    rep = real(*a, **k)
    with open(out, "w") as fh:
        json.dump({"stage_seconds": rep.stage_seconds, "seconds": rep.seconds}, fh)
    return rep
api.run = run
cli.main()
"""
IMPOSSIBLE_DATES = (
    "2021-02-30", "2021-13-01", "0000-00-00", "9999-99-99", "2021-08-13T25:61:00Z", "-1",
    "31/02/2021", "Feb. 30, 2021", "the year 99999", "1e30", "yesterday", "0001-01-01",
    "9999-12-31T23:59:59+99:00", "", "\x00", "2021-08-13\udc80",
)  # fmt: skip
ODD_VALUES: tuple[Any, ...] = (None, 0, -1, 1e308, True, [], {}, ["a", "b"], {"name": None},
                               "x" * 5000, 10**40)  # fmt: skip


@dataclass
class Doc:
    """One input document and where it was written."""

    doc_id: str
    form: str  # how it was fed: jsonl, txt, html, txt.gz, cp1252.txt, junk.txt, ...
    path: str
    locator: str = ""
    origin: str = "real"  # real corpus name, or "hostile"


@dataclass
class Run:
    inputs: list[str]
    docs: int
    exit_code: int | None = None
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_mib: float = 0.0  # largest single process (ru_maxrss)
    peak_tree_mib: float = 0.0  # the whole process tree, sampled
    tracebacks: int = 0
    error_lines: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stderr_tail: str = ""


# -- writing the inputs ------------------------------------------------------------------------


def spread(records: list[Any], limit: int | None) -> list[Any]:
    """``limit`` records spread evenly over the list (every corpus represented), or all."""
    if limit is None or limit >= len(records):
        return records
    step = len(records) / limit
    return [records[int(i * step)] for i in range(limit)]


def write_real(records: list[corpora.Record], folder: Path, per_file: int) -> list[Doc]:
    """Nine in ten records as JSONL lines, the tenth as its own .txt or .html file."""
    lines = [r for i, r in enumerate(records) if i % 10]
    files = [r for i, r in enumerate(records) if not i % 10]
    docs = []
    for path, located in corpora.write_jsonl(lines, folder / "jsonl", per_file=per_file):
        for loc, r in located:
            docs.append(Doc(r["doc_id"], "jsonl", str(path), loc, r["corpus"]))
    for path, r in corpora.write_files(files, folder / "files"):
        docs.append(Doc(r["doc_id"], path.suffix.lstrip("."), str(path), "", r["corpus"]))
    return docs


def _hostile_html() -> Any:
    """tests/hostile.py's page builder (broken markup around hostile text), if it has one."""
    try:
        from tests.hostile import _html, _RandomSource  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _html, _RandomSource


def _page(rng: random.Random, body: str, title: str) -> str:
    builder = _hostile_html()
    if builder is not None:
        html, source = builder
        return str(html(source(rng), body, title, rng.choice(IMPOSSIBLE_DATES)))
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n") if p)
    return f"<html><head><title>{title}</title></head><body>{paras}</body></html>"


def _junk(rng: random.Random) -> bytes:
    n = rng.choice((1, 7, 100, 4096, 70_000))
    return bytes(rng.getrandbits(8) for _ in range(n))


def _field_value(rng: random.Random, texts: list[str]) -> Any:
    return rng.choice(ODD_VALUES) if rng.random() < 0.1 else rng.choice(texts)[:300]


def _hostile_record(rng: random.Random, doc_id: str, text: str, texts: list[str]) -> dict[str, Any]:
    rec: dict[str, Any] = {"text": text, "doc_id": doc_id, "corpus": "hostile"}
    if rng.random() < 0.6:
        rec["title"] = _field_value(rng, texts)
    if rng.random() < 0.4:
        rec["outlet"] = _field_value(rng, texts)
    if rng.random() < 0.5:
        rec["published"] = rng.choice((*IMPOSSIBLE_DATES, "2021-08-13", "2021-08-13T10:00:00Z"))
    if rng.random() < 0.2:
        rec["url"] = rng.choice(("http://", "https://example.com/" + "a/" * 500, "javascript:1",
                                 "ftp://x", "http://[::1", text[:100]))  # fmt: skip
    return rec


_ENCODINGS = ("cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be")


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "replace" if not encoding.startswith("utf") else "surrogatepass")


def write_hostile(texts: list[str], folder: Path, seed: int, per_file: int = 200) -> list[Doc]:
    """The generated documents in a mix of forms (see the module's docstring)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    docs: list[Doc] = []
    jsonl: list[tuple[str, bytes]] = []  # (doc_id, line)
    gz_lines: list[tuple[str, bytes]] = []
    array: list[tuple[str, dict[str, Any]]] = []

    def put(name: str, data: bytes, doc_id: str, form: str) -> None:
        path = folder / name
        path.write_bytes(data)
        docs.append(Doc(doc_id, form, str(path), "", "hostile"))

    for i, text in enumerate(texts):
        doc_id = f"hostile/{i}"
        roll = rng.random()
        if roll < 0.40:  # a JSONL line
            rec = _hostile_record(rng, doc_id, text, texts)
            jsonl.append((doc_id, _utf8(rec)))
        elif roll < 0.43:  # an item of a JSON array file
            array.append((doc_id, _hostile_record(rng, doc_id, text, texts)))
        elif roll < 0.46:  # a line of a gzipped JSONL file
            gz_lines.append((doc_id, _utf8(_hostile_record(rng, doc_id, text, texts))))
        elif roll < 0.60:  # a .txt, UTF-8 (lone surrogates make it invalid UTF-8)
            put(f"h{i}.txt", text.encode("utf-8", "surrogatepass"), doc_id, "txt")
        elif roll < 0.70:  # an .html page
            page = _page(rng, text, texts[rng.randrange(len(texts))][:200])
            put(f"h{i}.html", page.encode("utf-8", "surrogatepass"), doc_id, "html")
        elif roll < 0.76:  # gzipped .txt or .html, now and then truncated
            ext = rng.choice(("txt", "html"))
            body = text if ext == "txt" else _page(rng, text, "")
            data = gzip.compress(body.encode("utf-8", "surrogatepass"), mtime=0)
            form = f"{ext}.gz"
            if rng.random() < 0.15:
                data, form = data[: max(10, len(data) // 2)], f"truncated.{ext}.gz"
            put(f"h{i}.{ext}.gz", data, doc_id, form)
        elif roll < 0.86:  # another encoding
            enc = rng.choice(_ENCODINGS)
            ext = rng.choice(("txt", "html"))
            body = text
            if ext == "html":
                charset = rng.choice(("utf-8", enc, "shift_jis", ""))
                meta = f'<meta charset="{charset}">' if charset else ""
                body = f"<html><head>{meta}</head><body><p>{text}</p></body></html>"
            data = _encoded(body, enc)
            if enc == "utf-16" and rng.random() < 0.5:
                data = codecs.BOM_UTF16_LE + body.encode("utf-16-le", "surrogatepass")
            put(f"h{i}.{ext}", data, doc_id, f"{enc}.{ext}")
        elif roll < 0.91:  # binary junk: as a file, or as a JSONL line that is not UTF-8/JSON
            kind = rng.choice(("txt", "html", "line"))
            if kind == "line":
                junk = b"\xff" + _junk(rng).replace(b"\n", b" ")  # never a blank line
                jsonl.append((doc_id, junk))
            else:
                put(f"h{i}.{kind}", _junk(rng), doc_id, f"junk.{kind}")
        elif roll < 0.95:  # empty: a file, or a line without text
            kind = rng.choice(("txt", "html", "line", "notext"))
            if kind == "line":
                jsonl.append((doc_id, _utf8({"text": rng.choice(("", " ", "\n\t "))})))
            elif kind == "notext":
                jsonl.append((doc_id, _utf8({"title": text[:100], "body": None})))
            else:
                put(f"h{i}.{kind}", rng.choice((b"", b"   \n", b"\xef\xbb\xbf")), doc_id,
                    f"empty.{kind}")  # fmt: skip
        else:  # a JSONL line whose fields are all odd values or whose JSON is broken
            if rng.random() < 0.5:
                rec = {
                    "text": text,
                    "published": rng.choice(ODD_VALUES),
                    "title": rng.choice(ODD_VALUES),
                    "outlet": rng.choice(ODD_VALUES),
                }
                jsonl.append((doc_id, _utf8(rec)))
            else:  # cut short: broken JSON
                line = _utf8({"text": text})
                jsonl.append((doc_id, line[: rng.randrange(1, max(2, len(line)))]))
    for k in range(0, len(jsonl), per_file):
        path = folder / f"lines-{k // per_file:04d}.jsonl"
        chunk = jsonl[k : k + per_file]
        data = b"".join(line + b"\n" for _, line in chunk)
        path.write_bytes(data)
        docs += [Doc(d, "jsonl", str(path), f"line {n}", "hostile") for n, (d, _) in
                 enumerate(chunk, 1)]  # fmt: skip
    for k in range(0, len(gz_lines), 50):
        path = folder / f"packed-{k // 50:04d}.jsonl.gz"
        chunk = gz_lines[k : k + 50]
        path.write_bytes(gzip.compress(b"".join(ln + b"\n" for _, ln in chunk)))
        docs += [Doc(d, "jsonl.gz", str(path), f"line {n}", "hostile") for n, (d, _) in
                 enumerate(chunk, 1)]  # fmt: skip
    for k in range(0, len(array), 40):
        path = folder / f"array-{k // 40:04d}.json"
        chunk = array[k : k + 40]
        path.write_text(json.dumps([r for _, r in chunk]), encoding="utf-8")
        docs += [Doc(d, "json-array", str(path), f"item {n}", "hostile") for n, (d, _) in
                 enumerate(chunk, 1)]  # fmt: skip
    return docs


def _utf8(rec: dict[str, Any]) -> bytes:
    return corpora.json_line(rec).encode("utf-8")


# -- running ----------------------------------------------------------------------------------


def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants, from /proc."""
    children: dict[int, list[int]] = defaultdict(list)
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
            pid = int(entry)
            children[int(stat[1])].append(pid)
            rss[pid] = int(stat[21]) * page
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run_cli(inputs: list[str], db: Path, workdir: Path, k: int, args: argparse.Namespace) -> Run:
    """One ``sitroom run`` in a subprocess, measured."""
    timings = workdir / f"run-{k}.stages.json"
    cli = ["run", *inputs, "--db", str(db), "--quiet"]
    if args.workers is not None:
        cli += ["--workers", str(args.workers)]
    if args.batch_size:
        cli += ["--batch-size", str(args.batch_size)]
    if args.plain:
        cmd = [str(Path(sys.executable).with_name("sitroom")), *cli]
    else:
        cmd = [sys.executable, "-c", CHILD, str(timings), *cli]
    err_path, out_path = workdir / f"run-{k}.stderr", workdir / f"run-{k}.stdout"
    run = Run(inputs, 0)
    peak = [0]
    with err_path.open("wb") as err, out_path.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.5):
                peak[0] = max(peak[0], _tree_rss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        run.seconds = time.perf_counter() - t0
    run.exit_code = proc.returncode
    run.cpu_seconds = usage.ru_utime + usage.ru_stime
    run.peak_mib = usage.ru_maxrss / 1024
    run.peak_tree_mib = peak[0] / 2**20
    text = err_path.read_text(encoding="utf-8", errors="replace")
    text += out_path.read_text(encoding="utf-8", errors="replace")
    run.tracebacks = text.count(TRACEBACK)
    run.error_lines = sum(1 for ln in text.splitlines() if ln.startswith("error: "))
    run.stderr_tail = text[-3000:] if run.tracebacks or run.exit_code not in EXPECTED_EXITS else ""
    if timings.is_file():
        run.stage_seconds = json.loads(timings.read_text())["stage_seconds"]
    return run


# -- accounting -------------------------------------------------------------------------------


def _norm(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def content_ids(inputs: Iterable[str]) -> dict[tuple[str, str], str]:
    """(path, locator) -> the article id sitroom's own ingest gives the document there."""
    from sitroom.inputs import Discovery
    from sitroom.model import Article
    from sitroom.options import Options
    from sitroom.stages.ingest import read_item

    opts = Options()
    out = {}
    for item in Discovery(list(inputs), opts):
        if isinstance(item, Exception):
            continue
        for got in read_item(item, opts):
            if isinstance(got, Article):
                out[(_norm(got.path), got.locator)] = got.id
    return out


def _line_no(locator: str) -> int | None:
    m = re.fullmatch(r"line (\d+)", locator)
    return int(m.group(1)) if m else None


def account(docs: list[Doc], db: Path, ids: dict[tuple[str, str], str]) -> dict[str, Any]:
    """Each document's outcome: stored, duplicate, input-failed, stage-failed, unaccounted."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    stored = {(_norm(r["path"]), r["locator"]): r["id"]
              for r in con.execute("SELECT id, path, locator FROM articles")}  # fmt: skip
    stored_ids = set(stored.values())
    ingest: dict[tuple[str, str], dict[str, Any]] = {}
    # where a gzipped JSONL file's reading stopped
    stops: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for r in con.execute("SELECT * FROM ingest_errors"):
        row = dict(r)
        ingest[(_norm(row["path"]), row["locator"])] = row
        n = _line_no(row["locator"])
        if n is not None and re.match(r"(bad gzip data|gzip data unpacks)", row["reason"]):
            stops[_norm(row["path"])].append((n, row))
    faults: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    units = []
    for r in con.execute("SELECT * FROM stage_errors"):
        row = dict(r)
        if row["path"] is None and row["key"]:
            units.append(row)
        else:
            faults[(_norm(row["path"] or ""), row["locator"] or "")].append(row)
    con.close()
    outcome: dict[str, str] = {}
    reasons: Counter[str] = Counter()
    faulted: list[tuple[Doc, dict[str, Any]]] = []
    for d in docs:
        key = (_norm(d.path), d.locator)
        for f in faults.get(key, []):
            faulted.append((d, f))
        if key in stored:
            outcome[d.doc_id] = "stored"
        elif any(not f["kept"] for f in faults.get(key, [])):
            outcome[d.doc_id] = "stage-failed"
            f = next(f for f in faults[key] if not f["kept"])
            reasons[f"stage {f['stage']}: {f['error']}"] += 1
        elif key in ingest or (key[0], "") in ingest:
            outcome[d.doc_id] = "input-failed"
            reasons[_reason(ingest.get(key) or ingest[(key[0], "")])] += 1
        elif (n := _line_no(d.locator)) and any(s <= n for s, _ in stops.get(key[0], [])):
            outcome[d.doc_id] = "input-failed"
            reasons["file stopped earlier: " + _reason(stops[key[0]][0][1])] += 1
        elif ids.get(key) in stored_ids:
            outcome[d.doc_id] = "duplicate"
        else:
            outcome[d.doc_id] = "unaccounted"
    return {"outcome": outcome, "reasons": reasons, "faulted": faulted, "units": units,
            "stored_rows": len(stored)}  # fmt: skip


_DIGITS = re.compile(r"\d[\d,.]*")


def _reason(row: dict[str, Any]) -> str:
    """An ingest error's kind and reason, numbers and quoted details folded."""
    why = _DIGITS.sub("N", row["reason"])
    why = re.sub(r"\(.*\)", "(...)", why)
    return f"{row['kind']}: {why}"[:110]


# -- the report -------------------------------------------------------------------------------

OUTCOMES = ("stored", "duplicate", "input-failed", "stage-failed", "unaccounted")


def _group(d: Doc) -> str:
    return d.origin if d.origin != "hostile" else f"hostile {d.form}"


def summarise(docs: list[Doc], acc: dict[str, Any], runs: list[Run]) -> dict[str, Any]:
    by: dict[str, Counter[str]] = defaultdict(Counter)
    for d in docs:
        by[_group(d)][acc["outcome"][d.doc_id]] += 1
    total: Counter[str] = Counter(acc["outcome"].values())
    stages: Counter[str] = Counter()
    for r in runs:
        stages.update(r.stage_seconds)
    seconds = sum(r.seconds for r in runs)
    cpu = sum(r.cpu_seconds for r in runs)
    faults: Counter[str] = Counter(f"{f['stage']}: {f['error']}: {f['message'][:80]}"
                                   for _, f in acc["faulted"])  # fmt: skip
    return {
        "documents_in": len(docs),
        "outcomes": dict(total),
        "by_group": {g: dict(c) for g, c in sorted(by.items())},
        "failure_reasons": dict(acc["reasons"].most_common()),
        "stage_faults": dict(faults.most_common()),
        "unit_faults": [
            {k: u[k] for k in ("stage", "key", "error", "message")} for u in acc["units"]
        ],
        "tracebacks": sum(r.tracebacks for r in runs),
        "crashes": [i for i, r in enumerate(runs) if r.exit_code not in EXPECTED_EXITS],
        "exit_codes": [r.exit_code for r in runs],
        "seconds": seconds,
        "cpu_seconds": cpu,
        "docs_per_second": len(docs) / seconds if seconds else 0.0,
        "docs_per_cpu_second": len(docs) / cpu if cpu else 0.0,
        "stored_per_second": total["stored"] / seconds if seconds else 0.0,
        "peak_mib": max((r.peak_mib for r in runs), default=0.0),
        "peak_tree_mib": max((r.peak_tree_mib for r in runs), default=0.0),
        "stage_seconds": dict(stages.most_common()),
        "runs": [asdict(r) for r in runs],
    }


def print_summary(s: dict[str, Any]) -> None:
    rows = [[g, sum(c.values()), *(c.get(o, 0) for o in OUTCOMES)] for g, c in
            s["by_group"].items()]  # fmt: skip
    rows.append(["total", s["documents_in"], *(s["outcomes"].get(o, 0) for o in OUTCOMES)])
    print(table(rows, ["documents", "in", *OUTCOMES]))
    print()
    runs = [[i, len(r["inputs"]), r["docs"], r["exit_code"], r["seconds"], r["cpu_seconds"],
             r["docs"] / r["seconds"] if r["seconds"] else 0, r["peak_mib"], r["peak_tree_mib"],
             r["tracebacks"], r["error_lines"]] for i, r in enumerate(s["runs"])]  # fmt: skip
    print(table(runs, ["run", "inputs", "docs", "exit", "seconds", "cpu s", "docs/s",
                       "peak MiB", "tree MiB", "tracebacks", "error lines"]))  # fmt: skip
    print()
    total = sum(s["stage_seconds"].values()) or 1.0
    if s["stage_seconds"]:
        print(table([[k, v, f"{100 * v / total:.1f}%"] for k, v in s["stage_seconds"].items()],
                    ["stage", "seconds", "share"]))  # fmt: skip
    else:
        print("no stage seconds (--plain: the sitroom script prints none)")
    print()
    if s["failure_reasons"]:
        print(table([[n, r] for r, n in s["failure_reasons"].items()], ["docs", "failed because"]))
        print()
    if s["stage_faults"]:
        print(table([[n, r] for r, n in s["stage_faults"].items()], ["docs", "stage fault"]))
        print()
    for u in s["unit_faults"]:
        print(f"story/topic stage fault: {u['stage']} {u['key']}: {u['error']}: {u['message']}")
    print(
        f"{s['documents_in']:,} documents in; {s['outcomes'].get('stored', 0):,} stored, "
        f"{s['outcomes'].get('duplicate', 0):,} duplicates of stored ones, "
        f"{s['outcomes'].get('input-failed', 0) + s['outcomes'].get('stage-failed', 0):,} "
        f"named as failed; {s['outcomes'].get('unaccounted', 0)} unaccounted for; "
        f"{s['tracebacks']} tracebacks; {len(s['crashes'])} crashes (exit codes "
        f"{s['exit_codes']}); {s['docs_per_second']:.2f} docs/s "
        f"({s['docs_per_cpu_second']:.2f} per CPU second), peak {s['peak_mib']:.0f} MiB "
        f"(process tree {s['peak_tree_mib']:.0f} MiB)"
    )


def repro(acc: dict[str, Any], docs: list[Doc], folder: Path) -> list[str]:
    """Copy the input behind each stage fault and each unaccounted document to ``folder``,
    each alone (a JSONL line as a one-line file): a reproducer for ``sitroom run``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    wanted = [(d, f"{f['stage']}-{f['error']}") for d, f in acc["faulted"]]
    wanted += [(d, "unaccounted") for d in docs if acc["outcome"][d.doc_id] == "unaccounted"]
    for n, (d, why) in enumerate(wanted[:200]):
        src = Path(d.path)
        name = f"{n:03d}-{re.sub(r'[^A-Za-z0-9]+', '_', why)[:40]}"
        if d.locator.startswith("line "):
            line = _nth_line(src, int(d.locator.split()[1]))
            dst = folder / f"{name}.jsonl"
            dst.write_bytes(line)
        else:
            dst = folder / f"{name}{''.join(src.suffixes)}"
            shutil.copyfile(src, dst)
        out.append(f"{dst}  <- {d.doc_id} {d.path} {d.locator} ({why})")
    return out


def _nth_line(path: Path, n: int) -> bytes:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        for i, line in enumerate(fh, 1):
            if i == n:
                return bytes(line)
    return b""


# -- main -------------------------------------------------------------------------------------


def write_inputs(
    work: Path, args: argparse.Namespace, hostile_documents: Any
) -> tuple[list[list[str]], list[int], list[Doc]]:
    """Every run's inputs under ``work/inputs``, and the plan and manifest a resume reads."""
    t0 = time.perf_counter()
    real = spread(list(corpora.all_articles()), args.limit)
    texts = hostile_documents(args.generated, args.seed)
    runs_in: list[list[str]] = []
    docs: list[Doc] = []
    per_run: list[int] = []
    for k in range(args.runs):
        folder = work / "inputs" / f"run-{k}"
        d_real = write_real(real[k :: args.runs], folder / "real", args.per_file)
        d_host = write_hostile(texts[k :: args.runs], folder / "hostile", args.seed * 1000 + k)
        for d in d_host:  # ids across runs: hostile/<index in the run's share>
            d.doc_id = f"run{k}/{d.doc_id}"
        docs += d_real + d_host
        per_run.append(len(d_real) + len(d_host))
        runs_in.append([str(p) for p in (folder / "real" / "jsonl", folder / "real" / "files",
                                          folder / "hostile") if p.exists()])  # fmt: skip
    (work / "plan.json").write_text(json.dumps({"inputs": runs_in, "docs": per_run}))
    with (work / "manifest.jsonl").open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(asdict(d)) + "\n" for d in docs)
    print(f"{len(real):,} real and {len(texts):,} hostile documents written in "
          f"{time.perf_counter() - t0:.0f} s under {work}", flush=True)  # fmt: skip
    return runs_in, per_run, docs


def _done_runs(work: Path) -> list[Run]:
    path = work / "runs.jsonl"
    if not path.is_file():
        return []
    return [Run(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="real documents (spread over all)")
    ap.add_argument("--generated", type=int, default=10_000, help="hostile documents")
    ap.add_argument("--runs", type=int, default=4, help="sitroom run invocations")
    ap.add_argument("--workers", type=int, default=None, help="sitroom run --workers")
    ap.add_argument("--batch-size", type=int, default=None, help="sitroom run --batch-size")
    ap.add_argument("--per-file", type=int, default=500, help="real JSONL lines per file")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, default=None, help="keep inputs, store and logs here")
    ap.add_argument("--json", type=Path, default=None, help="write the summary here")
    ap.add_argument("--plain", action="store_true", help="the sitroom script (no stage times)")
    ap.add_argument("--resume", action="store_true",
                    help="go on with the --keep folder of a soak that was stopped: the runs "
                    "not finished are run again (what they stored is skipped)")  # fmt: skip
    args = ap.parse_args(argv)
    need(DATA)
    sys.path.insert(0, str(ROOT))  # tests/hostile.py
    from tests.hostile import hostile_documents

    work = (args.keep or Path(tempfile.mkdtemp(prefix="sitroom-soak-"))).resolve()
    if args.resume:
        if args.keep is None or not (work / "plan.json").is_file():
            print("--resume needs the --keep folder of an earlier soak", file=sys.stderr)
            return 2
        plan = json.loads((work / "plan.json").read_text(encoding="utf-8"))
        runs_in, per_run = plan["inputs"], plan["docs"]
        with (work / "manifest.jsonl").open(encoding="utf-8") as fh:
            docs = [Doc(**json.loads(line)) for line in fh]
        runs = _done_runs(work)
        print(f"resuming {work}: {len(runs)} of {len(runs_in)} runs done", flush=True)
    else:
        if work.exists() and any(work.iterdir()):
            print(f"{work} is not empty: give --keep an empty or new folder", file=sys.stderr)
            return 2
        work.mkdir(parents=True, exist_ok=True)
        runs_in, per_run, docs = write_inputs(work, args, hostile_documents)
        runs = []
    db = work / "soak.db"
    for k in range(len(runs), len(runs_in)):
        r = run_cli(runs_in[k], db, work, k, args)
        r.docs = per_run[k]
        runs.append(r)
        with (work / "runs.jsonl").open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(asdict(r)) + "\n")
        print(f"run {k}: {r.docs} documents, exit {r.exit_code}, {r.seconds:.0f} s, "
              f"{r.tracebacks} tracebacks, peak {r.peak_tree_mib:.0f} MiB", flush=True)  # fmt: skip
        if r.stderr_tail:
            print(r.stderr_tail, file=sys.stderr)
    ids = content_ids(p for inputs in runs_in for p in inputs)
    acc = account(docs, db, ids)
    summary = summarise(docs, acc, runs)
    summary["reproducers"] = repro(acc, docs, work / "repro") if acc["faulted"] or \
        summary["outcomes"].get("unaccounted") else []  # fmt: skip
    summary["work"] = str(work)
    print()
    print_summary(summary)
    for line in summary["reproducers"][:30]:
        print("reproducer:", line)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    bad = summary["tracebacks"] or summary["crashes"] or summary["outcomes"].get("unaccounted")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
