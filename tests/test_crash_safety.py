"""Crash safety: ``kill -9`` at any point of a run, then a re-run, leaves the store as one
clean run would (every article once, every live story with its brief, nothing queued, the
killed run marked interrupted); two runs on one store wait for each other; the API works in
a script without a main guard."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import sitroom
from sitroom.errors import StoreBusyError
from sitroom.store.lock import RunLock

from .conftest import ROOT, SAMPLE


def _picture(db: Path) -> dict[str, Any]:
    """What a store holds, in terms a clean run and a resumed run must agree on."""
    with sqlite3.connect(db) as con:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "articles": q("SELECT count(*), count(DISTINCT id) FROM articles"),
            "groups": sorted(q("SELECT article_id, copy_group FROM copy_groups")),
            "placed": sorted(q("SELECT article_id, story_id FROM story_articles")),
            "live": sorted(q("SELECT id FROM stories WHERE merged_into IS NULL")),
            "briefs": sorted(q("SELECT story_id FROM briefs")),
            "events": Counter(r[0] for r in q("SELECT story_id FROM events")),
            "claims": Counter(r[0] for r in q("SELECT status FROM claims")),
            "queue": q("SELECT * FROM queue"),
        }


@pytest.fixture(scope="module")
def clean_picture(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    rep = sitroom.run([SAMPLE], db=db, batch_size=5, workers=1)
    assert rep.ok
    return _picture(db)


@pytest.mark.parametrize(
    "point", ["second-batch", "mid-batch", "story-events", "topic-claims", "brief"]
)
def test_crash_safety_kill_then_rerun_equals_a_clean_run(
    db: Path, point: str, clean_picture: dict[str, Any]
) -> None:
    cmd = [sys.executable, "-m", "tests.killer", point, str(db), str(SAMPLE)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    rep = sitroom.run([SAMPLE], db=db, batch_size=5, workers=1)
    assert rep.ok and rep.added + rep.skipped == 17
    got = _picture(db)
    assert got == clean_picture
    assert got["briefs"] == got["live"] and got["queue"] == []
    with sqlite3.connect(db) as con:
        runs = con.execute("SELECT status FROM runs ORDER BY id").fetchall()
    assert runs == [("interrupted",), ("ok",)]


def _jsonl(path: Path, n: int, word: str) -> Path:
    path.write_text("\n".join(json.dumps({
        "title": f"{word} {i}", "outlet": f"Outlet {i % 3}", "published": "2024-05-06",
        "text": f"{word} {i}: floods cut the road to district {i} on Monday, officials said.",
    }) for i in range(n)), encoding="utf-8")  # fmt: skip
    return path


def test_crash_safety_two_runs_on_one_store_wait_for_each_other(tmp_path: Path, db: Path) -> None:
    a = _jsonl(tmp_path / "a.jsonl", 40, "Flood")
    b = _jsonl(tmp_path / "b.jsonl", 40, "Storm")
    procs = [
        subprocess.Popen([sys.executable, "-m", "sitroom", "run", str(src), "--db", str(db),
                          "--batch-size", "10"], cwd=ROOT, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
        for src in (a, b, SAMPLE)
    ]  # fmt: skip
    errs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], errs
    assert not any("Traceback" in e for e in errs)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (
            97, 97)  # fmt: skip
        assert con.execute("SELECT count(DISTINCT article_id) FROM story_articles"
                           ).fetchone() == (97,)  # fmt: skip
        assert con.execute("SELECT count(DISTINCT status) FROM runs").fetchone() == (1,)
        live = con.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()
        assert con.execute("SELECT sum(n) FROM stories WHERE merged_into IS NULL"
                           ).fetchone() == (97,)  # fmt: skip
        assert con.execute("SELECT count(*) FROM briefs").fetchone() == live


def test_crash_safety_a_busy_store_refuses_with_one_line(tmp_path: Path, db: Path) -> None:
    src = _jsonl(tmp_path / "a.jsonl", 3, "Flood")
    held = RunLock(db)
    held.acquire(0)
    try:
        heard: list[str] = []
        with pytest.raises(StoreBusyError) as exc:
            sitroom.run([src], db=db, lock_wait=0.5, notice=heard.append)
        assert "another sitroom run" in str(exc.value) and "\n" not in str(exc.value)
        assert heard and "waiting" in heard[0]
        proc = subprocess.run([sys.executable, "-m", "sitroom", "run", str(src), "--db",
                               str(db), "--wait", "0.5"], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)  # fmt: skip
        assert proc.returncode == 2
        assert proc.stderr.strip().splitlines()[-1].startswith("error: ")
        assert "Traceback" not in proc.stderr
        # the first run ends: the waiting one goes ahead
        threading.Timer(0.5, held.release).start()
        assert sitroom.run([src], db=db, lock_wait=30).added == 3
    finally:
        held.release()


def test_crash_safety_api_in_a_script_without_main_guard(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "many.jsonl", 70, "Quake")
    script = tmp_path / "script.py"
    script.write_text(
        "import sitroom\n"
        f"rep = sitroom.run([{str(src)!r}], db={str(tmp_path / 's.db')!r}, workers=2)\n"
        "print('stored', rep.added, len(rep.stage_errors))\n",
        encoding="utf-8",
    )
    t0 = time.time()
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.splitlines() == ["stored 70 0"], (proc.stdout, time.time() - t0)
