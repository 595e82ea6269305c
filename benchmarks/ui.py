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

``--load``: the server under a steady open-loop load instead, ``--rate`` (200) requests per
second for ``--seconds`` (60) over loopback, from an asyncio client in this process (a new
connection per request, as the server speaks HTTP/1.0). Each request is sent at its scheduled
time whatever the earlier ones did, and its latency runs from that time to the last byte, so
a server that falls behind shows it (no coordinated omission). The mix is what a newsroom
user's browser asks for (gzip accepted): the story list, story, event and article pages, the
two assets, and the API exports of the current filter, 80% of them on the 50 latest stories.
The server starts cold: ``--warmup`` (10) seconds of the same load come first and are
reported apart. Reported: p50/p95/p99/max overall and per kind, p50/p95 for each 10 s,
errors, the share over 0.9 s, the rate achieved, the CPU the server and the client used, the
machine's load average (other processes compete for the same cores) and the server's peak
memory. Target: p95 < 100 ms.

    python benchmarks/ui.py --load [--rate 200] [--seconds 60] [--warmup 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable
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


# -- load: an open-loop client at a steady rate ---------------------------------------------

MIX = [  # (kind, share of requests)
    ("GET / (story list)", 0.20),
    ("GET /stories/ID.html", 0.25),
    ("GET /events/ID.html", 0.12),
    ("GET /articles/ID.html", 0.10),
    ("GET /assets/site.{css,js}", 0.08),
    ("GET /api/stories.json?filter", 0.07),
    ("GET /api/events.geojson?story", 0.07),
    ("GET /api/claims.csv?story", 0.06),
    ("GET /api/control.json?story", 0.05),
]
SLOW = 0.9  # seconds: the share of requests over this is reported


def plan(db: sqlite3.Connection, n: int, seed: int = 3) -> list[tuple[str, str]]:
    """``n`` (kind, path) requests in the mix, most on the 50 latest stories."""
    rnd = random.Random(seed)
    latest = "SELECT id FROM stories WHERE merged_into IS NULL ORDER BY last DESC"
    sids: list[str] = [str(r[0]) for r in db.execute(latest)]
    hot = sids[:50]
    events: dict[str, list[str]] = {}
    for sid, eid in db.execute("SELECT story_id, event_id FROM events"):
        events.setdefault(sid, []).append(eid)
    arts: dict[str, list[str]] = {}
    for aid, sid in db.execute("SELECT article_id, story_id FROM story_articles"):
        arts.setdefault(sid, []).append(aid)
    places = [r[0] for r in db.execute("SELECT DISTINCT location FROM events "
                                       "WHERE location IS NOT NULL LIMIT 50")]  # fmt: skip
    queries = ["q=Taliban", "status=contested", "since=2021-08-12", "type=battle", "outlet=Wire"]
    queries += [urllib.parse.urlencode({"place": p}) for p in places[:10]]

    def story() -> str:
        return rnd.choice(hot) if rnd.random() < 0.8 else rnd.choice(sids)

    def with_(table: dict[str, list[str]]) -> str:
        for _ in range(20):
            sid = story()
            if table.get(sid):
                return rnd.choice(table[sid])
        return str(rnd.choice(rnd.choice(list(table.values()))))

    makers: dict[str, Callable[[], str]] = {
        MIX[0][0]: lambda: "/",
        MIX[1][0]: lambda: f"/stories/{story()}.html",
        MIX[2][0]: lambda: f"/events/{with_(events)}.html",
        MIX[3][0]: lambda: f"/articles/{with_(arts)}.html",
        MIX[4][0]: lambda: rnd.choice(["/assets/site.css", "/assets/site.js"]),
        MIX[5][0]: lambda: f"/api/stories.json?{rnd.choice(queries)}",
        MIX[6][0]: lambda: f"/api/events.geojson?story={story()}",
        MIX[7][0]: lambda: f"/api/claims.csv?story={story()}",
        MIX[8][0]: lambda: f"/api/control.json?story={story()}",
    }
    kinds = rnd.choices([k for k, _ in MIX], weights=[w for _, w in MIX], k=n)
    return [(k, makers[k]()) for k in kinds]


async def _fetch(host: str, port: int, path: str, timeout: float) -> int:
    """One request on a new connection; its HTTP status (0 when no answer came)."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        ask = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        writer.write(f"{ask}Accept-Encoding: gzip, deflate, br\r\n\r\n".encode())  # a browser's
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head = data.split(b"\r\n", 1)[0].split()
    return int(head[1]) if len(head) >= 2 and head[1].isdigit() else 0


async def _drive(
    host: str, port: int, requests: list[tuple[str, str]], rate: float, timeout: float
) -> tuple[list[tuple[str, float, float, str]], float, float]:
    """Send each request at its time: (kind, when, seconds, outcome) each, the run's seconds
    and the client's worst lag behind its schedule."""
    out: list[tuple[str, float, float, str]] = []
    loop = asyncio.get_running_loop()
    lag = 0.0

    async def one(kind: str, path: str, due: float) -> None:
        try:
            status = await _fetch(host, port, path, timeout)
            outcome = "ok" if status == 200 else f"HTTP {status}" if status else "no answer"
        except OSError as exc:  # TimeoutError among them
            outcome = type(exc).__name__
        out.append((kind, due - t0, loop.time() - due, outcome))

    tasks = []
    t0 = loop.time() + 0.1
    for i, (kind, path) in enumerate(requests):
        due = t0 + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        lag = max(lag, loop.time() - due)
        tasks.append(asyncio.create_task(one(kind, path, due)))
    await asyncio.gather(*tasks)
    return out, loop.time() - t0, lag


def _pct(ms: list[float], q: float) -> float:
    s = sorted(ms)
    return s[min(len(s) - 1, int(q * len(s)))] if s else float("nan")


def _cpu(pid: int) -> float:
    """CPU seconds (user and system) process ``pid`` has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(
    url: str, db: sqlite3.Connection, rate: float, seconds: float, warmup: float, pid: int
) -> bool:
    """Drive the server at ``rate`` requests/s for ``warmup`` seconds (reported apart), then
    for ``seconds``; print the figures. True when p95 < 100 ms and no errors."""
    m = re.match(r"http://([\d.]+):(\d+)/", url)
    assert m
    host, port = m.group(1), int(m.group(2))
    n = int(rate * seconds)
    requests = plan(db, n)
    for kind in dict.fromkeys(k for k, _ in requests):  # warm-up: one of each kind
        path = next(p for k, p in requests if k == kind)
        _get(f"http://{host}:{port}{path}")
    if warmup > 0:  # the server starts cold: its first seconds are reported, not counted
        first = plan(db, int(rate * warmup), seed=11)
        res, _, _ = asyncio.run(_drive(host, port, first, rate, timeout=30.0))
        ms = [t * 1000 for _, _, t, o in res if o == "ok"]
        print(f"warm-up from cold, {warmup:g} s at {rate:g}/s (not counted): p50 "
              f"{_pct(ms, 0.5):.0f} ms, p95 {_pct(ms, 0.95):.0f} ms, "
              f"{sum(1 for r in res if r[3] != 'ok')} errors")  # fmt: skip
    print(f"load: {n} requests at {rate:g}/s for {seconds:g} s, new connection each ...")
    cpu0, own0 = _cpu(pid), time.process_time()
    results, took, lag = asyncio.run(_drive(host, port, requests, rate, timeout=30.0))
    server_cpu, client_cpu = _cpu(pid) - cpu0, time.process_time() - own0
    status = Path(f"/proc/{pid}/status").read_text()
    hwm = re.search(r"VmHWM:\s+(\d+)", status)
    ms_all = [t * 1000 for _, _, t, o in results if o == "ok"]
    errors = [o for _, _, _, o in results if o != "ok"]
    rows = []
    for kind, _ in MIX:
        ms = [t * 1000 for k, _, t, o in results if k == kind and o == "ok"]
        errs = sum(1 for k, _, _, o in results if k == kind and o != "ok")
        rows.append([kind, len(ms) + errs, _pct(ms, 0.5), _pct(ms, 0.95), _pct(ms, 0.99),
                     max(ms, default=float("nan")), errs])  # fmt: skip
    p50, p95, p99 = (_pct(ms_all, q) for q in (0.5, 0.95, 0.99))
    slow = sum(1 for _, _, t, _ in results if t > SLOW)
    rows.append(["all", len(results), p50, p95, p99, max(ms_all, default=float("nan")),
                 len(errors)])  # fmt: skip
    print(table(rows, ["requests", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"]))
    windows = []  # every 10 s: does the tail come from the cold start or all along?
    for w in range(0, int(seconds), 10):
        ms = [t * 1000 for _, at, t, o in results if w <= at < w + 10 and o == "ok"]
        windows.append(f"{w}-{w + 10} s {_pct(ms, 0.5):.0f}/{_pct(ms, 0.95):.0f}")
    print("p50/p95 ms by time: " + ", ".join(windows))
    ok = p95 < 100 and not errors
    print(
        f"achieved {len(results) / took:.1f} requests/s over {took:.1f} s (client lag at most "
        f"{lag * 1000:.0f} ms); errors {len(errors)} {dict(Counter(errors)) if errors else ''}; "
        f"over {SLOW} s: {slow} ({100 * slow / max(1, len(results)):.2f}%); server peak memory "
        f"{int(hwm.group(1)) / 1024 if hwm else float('nan'):.0f} MiB; CPU: server "
        f"{server_cpu:.1f} s, client {client_cpu:.1f} s; load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs; p95 < 100 ms: {'yes' if ok else 'NO'}"
    )
    print(json.dumps({"rate": rate, "seconds": seconds, "requests": len(results),
                      "p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "p99_ms": round(p99, 1),
                      "errors": len(errors), "over_0_9s": slow}))  # fmt: skip
    return ok


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--stories", type=int, default=2_000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--keep", type=Path, help="folder to build the store in (kept)")
    ap.add_argument("--load", action="store_true", help="a steady load instead (see above)")
    ap.add_argument("--rate", type=float, default=200.0, help="--load: requests per second")
    ap.add_argument("--seconds", type=float, default=60.0, help="--load: how long")
    ap.add_argument("--warmup", type=float, default=10.0, help="--load: seconds first, apart")
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
    sids: list[str] = [str(r[0]) for r in db.execute("SELECT id FROM stories WHERE id LIKE 'sx%'")]
    rnd = random.Random(1)
    picks = [rnd.choice(sids) for _ in range(args.requests)]

    cmd = [sys.executable, "-m", "sitroom", "serve", "--db", str(db_path), "--port", "0"]
    if args.load:
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True) as server:
            try:
                assert server.stdout is not None
                m = re.search(r"http://[\d.]+:\d+/", server.stdout.readline())
                assert m, "the server did not start"
                ok = load(m.group(0), db, args.rate, args.seconds, args.warmup, server.pid)
            finally:
                server.terminate()
                server.wait(timeout=10)
        sys.exit(0 if ok else 1)
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
