"""Page latency of `sitroom serve` over a big store: GET the story list and story pages.

The store: the sample corpus (examples/kabul-aug-2021) run into a fresh store, then grown with
synthetic rows inserted straight into its tables, cloned from the real ones: ``--stories``
(2,000) stories of ``--events`` (100,000) events in all, each event with two sources, ten
claims (two sources each) and five control rows per story, and three articles per story
(copies of real ones, so the source view has text).

Measured over loopback against `sitroom serve` in its own process: p50/p95 of ``--requests``
(200) GETs of the story list and of story pages (random stories), after a warm-up; next to
the baseline of the same run, the bare SQL each page needs timed alone in this process
(read-only connection). Throughput is requests per second of one client in sequence; peak
memory is the server's peak RSS (VmHWM). Target: p95 <= 200 ms for both pages.

    python benchmarks/ui.py [--events 100000] [--stories 2000] [--requests 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import ROOT, table

SAMPLE = ROOT / "examples" / "kabul-aug-2021"


def _clone(db: sqlite3.Connection, table_: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    quoted = ", ".join(f'"{c}"' for c in cols)
    sql = f"INSERT INTO {table_} ({quoted}) VALUES ({', '.join('?' * len(cols))})"
    db.executemany(sql, [[r[c] for c in cols] for r in rows])


def grow(path: Path, n_stories: int, n_events: int, seed: int = 7) -> None:
    """Add synthetic stories, events, claims, control and articles cloned from real rows."""
    rnd = random.Random(seed)
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row

    def rows(sql: str) -> list[dict[str, Any]]:
        return [dict(r) for r in db.execute(sql)]

    stories = rows("SELECT * FROM stories WHERE merged_into IS NULL")
    events = rows("SELECT * FROM events")
    ev_src = rows("SELECT * FROM event_sources")
    claims = rows("SELECT * FROM claims")
    cl_src = rows("SELECT * FROM claim_sources")
    control = rows("SELECT * FROM control")
    arts = rows("SELECT * FROM articles")
    briefs = rows("SELECT * FROM briefs")  # the run stores a brief per story: so do these
    key = int(db.execute("SELECT max(key) FROM stories").fetchone()[0]) + 1
    per_story = max(1, n_events // n_stories)
    db.execute("BEGIN")
    for i in range(n_stories):
        sid = f"sx{i:011d}"
        base = dict(rnd.choice(stories))
        day = f"2021-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        new_arts = []
        for j in range(3):
            a = dict(rnd.choice(arts))
            a["id"] = f"ax{i:09d}{j}"
            a["published"] = day
            new_arts.append(a)
        _clone(db, "articles", new_arts)
        _clone(db, "story_articles", [
            {"article_id": a["id"], "story_id": sid, "topic_id": base["topic_id"],
             "assigned_story": sid, "how": "new", "score": 1.0} for a in new_arts
        ])  # fmt: skip
        _clone(db, "stories", [{**base, "id": sid, "key": key + i, "first": day, "last": day,
                                "label": f"{base['label']} #{i}"}])  # fmt: skip
        evs, srcs = [], []
        for k in range(per_story):
            e = dict(rnd.choice(events))
            e["event_id"] = f"EX{i:06d}{k:05d}"
            e["story_id"] = sid
            e["event_date"] = day
            e["latitude"] = (e["latitude"] or 34.5) + rnd.uniform(-2, 2)
            e["longitude"] = (e["longitude"] or 66.0) + rnd.uniform(-2, 2)
            evs.append(e)
            for s in rnd.sample(ev_src, 2):
                srcs.append({**s, "event_id": e["event_id"], "article_id": new_arts[0]["id"]})
        _clone(db, "events", evs)
        _clone(db, "event_sources", srcs)
        cls, csrc = [], []
        for k in range(10):
            c = dict(rnd.choice(claims))
            c["claim_id"] = f"cx{i:06d}{k:03d}"
            c["story_id"] = sid
            c["conflicts_with"] = "[]"
            cls.append(c)
            for s in rnd.sample(cl_src, 2):
                csrc.append({**s, "claim_id": c["claim_id"], "article_id": new_arts[1]["id"]})
        _clone(db, "claims", cls)
        _clone(db, "claim_sources", csrc)
        ctl = []
        for _ in range(5):
            c = dict(rnd.choice(control))
            c.pop("id")
            c["story_id"] = sid
            ctl.append(c)
        _clone(db, "control", ctl)
        if briefs:
            b = dict(rnd.choice(briefs))
            data = json.loads(b["data"])
            data["story_id"] = sid
            _clone(db, "briefs", [{**b, "story_id": sid, "data": json.dumps(data)}])
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()


def baseline_list(db: sqlite3.Connection) -> None:
    """The bare SQL of the story list."""
    db.execute("SELECT * FROM stories s LEFT JOIN topics t ON t.id = s.topic_id "
               "WHERE s.merged_into IS NULL ORDER BY s.last DESC").fetchall()  # fmt: skip
    db.execute(
        "SELECT story_id, location, admin1, country, actor1, actor2, event_type, "
        "sub_event_type, count(*) FROM events GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
    ).fetchall()
    db.execute("SELECT story_id, status, count(*) FROM claims GROUP BY 1, 2").fetchall()


def baseline_story(db: sqlite3.Connection, sid: str) -> None:
    """The bare SQL of one story page (its events, claims, control, quotes, articles)."""
    for sql in (
        "SELECT * FROM stories WHERE id = ?",
        "SELECT * FROM events WHERE story_id = ?",
        "SELECT s.* FROM events e JOIN event_sources s ON s.event_id = e.event_id "
        "WHERE e.story_id = ?",
        "SELECT * FROM claims WHERE story_id = ?",
        "SELECT s.* FROM claims c JOIN claim_sources s ON s.claim_id = c.claim_id "
        "WHERE c.story_id = ?",
        "SELECT * FROM control WHERE story_id = ?",
        "SELECT q.* FROM story_articles sa JOIN quotes q ON q.article_id = sa.article_id "
        "WHERE sa.story_id = ?",
        "SELECT a.id, a.title FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
        "WHERE sa.story_id = ?",
    ):
        db.execute(sql, (sid,)).fetchall()


def _time(fn: Any, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def _stats(ms: list[float]) -> tuple[float, float]:
    qs = statistics.quantiles(ms, n=20)
    return statistics.median(ms), qs[18]


def _get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=60) as r:
        r.read()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--stories", type=int, default=2_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="folder to build the store in (kept)")
    args = ap.parse_args()

    import sitroom

    folder = args.keep or Path(tempfile.mkdtemp(prefix="sitroom-ui-"))
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "ui.db"
    if not db_path.exists():
        t0 = time.perf_counter()
        sitroom.run([SAMPLE], db=db_path, quiet=True)
        grow(db_path, args.stories, args.events)
        print(f"store built in {time.perf_counter() - t0:.1f} s: {db_path}")
    db = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    n_ev = db.execute("SELECT count(*) FROM events").fetchone()[0]
    n_st = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    print(f"{n_ev} events, {n_st} stories, {db_path.stat().st_size / 2**20:.0f} MiB")
    sids = [r[0] for r in db.execute("SELECT id FROM stories WHERE id LIKE 'sx%'")]
    rnd = random.Random(1)
    picks = [rnd.choice(sids) for _ in range(args.requests)]

    cmd = [sys.executable, "-m", "sitroom", "serve", "--db", str(db_path), "--port", "0"]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            m = re.search(r"http://[\d.]+:\d+/", server.stdout.readline())
            assert m, "the server did not start"
            url = m.group(0)
            for _ in range(5):  # warm-up: imports, templates, the page cache of SQLite
                _get(url)
                _get(f"{url}stories/{picks[0]}.html")
            results: list[list[Any]] = []
            n = args.requests
            t0 = time.perf_counter()
            list_ms = _time(lambda: _get(url), n)
            list_rps = n / (time.perf_counter() - t0)
            it = iter(picks)
            t0 = time.perf_counter()
            story_ms = _time(lambda: _get(f"{url}stories/{next(it)}.html"), n)
            story_rps = n / (time.perf_counter() - t0)
            status = Path(f"/proc/{server.pid}/status").read_text()
            hwm = re.search(r"VmHWM:\s+(\d+)", status)
            peak = int(hwm.group(1)) / 1024 if hwm else float("nan")
        finally:
            server.terminate()
            server.wait(timeout=10)
    results_extra: list[list[Any]] = []
    base_list = _time(lambda: baseline_list(db), n)
    it2 = iter(picks)
    base_story = _time(lambda: baseline_story(db, next(it2)), n)
    # where a story page's time goes: the page without its brief, and the brief alone
    from sitroom.site import data
    from sitroom.site.pages import render_story

    store = data.ReadOnlyStore(db_path)
    brief = data._brief
    k = min(n, 40)
    it3 = iter(picks)
    brief_ms = _time(lambda: brief(store, next(it3)), k)
    data._brief = lambda st, sid: None  # type: ignore[assignment]
    it4 = iter(picks)
    bare_ms = _time(lambda: render_story(data.story_detail(store, next(it4)) or {}, "serve"), n)
    data._brief = brief
    for name, ms_, kk in (("  story page without brief (in-process)", bare_ms, n),
                          ("  sitroom.brief.story_brief alone", brief_ms, k)):  # fmt: skip
        p50, p95 = _stats(ms_)
        results_extra.append([name, kk, p50, p95, 1000 / statistics.mean(ms_), "", "", ""])
    for name, ms, rps, base in (
        ("GET / (story list)", list_ms, list_rps, base_list),
        ("GET /stories/ID.html", story_ms, story_rps, base_story),
    ):
        p50, p95 = _stats(ms)
        b50, b95 = _stats(base)
        results.append([name, n, p50, p95, rps, b50, b95, "yes" if p95 <= 200 else "NO"])
    results += results_extra
    print(table(results, ["page", "requests", "p50 ms", "p95 ms", "req/s", "SQL p50 ms",
                          "SQL p95 ms", "p95<=200"]))  # fmt: skip
    print(f"server peak memory (VmHWM): {peak:.0f} MiB")
    print(json.dumps({"events": n_ev, "stories": n_st, "peak_mib": round(peak)}))


if __name__ == "__main__":
    main()
