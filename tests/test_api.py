"""The whole run: sample corpus, re-runs that add nothing, and a killed run that resumes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import sitroom

from .conftest import ANSWERS, SAMPLE


def test_api_sample_corpus_matches_its_answer_key(db: Path) -> None:
    rep = sitroom.run([SAMPLE], db=db)
    key = json.loads(ANSWERS.read_text(encoding="utf-8"))
    assert rep.ok and rep.added == len(key["articles"])
    rows = {
        (Path(r["path"]).relative_to(SAMPLE).as_posix(), r["locator"]): r
        for r in sitroom.articles(db, with_text=True)
    }
    for want in key["articles"]:
        got = rows[(want["file"], want["locator"])]
        assert got["outlet"] == want["outlet"], want["file"]
        assert got["published"] == want["published"], want["file"]
        for junk in want["debris"]:
            assert junk not in got["clean_text"], (want["file"], junk)
        for para in want.get("paragraphs", []):
            assert para in got["clean_text"], (want["file"], para[:40])
    # planted copy groups: the wire reprinted three times is one group, the near-duplicate another
    for name, group in key["copy_groups"].items():
        members = group["members"]
        found = {rows[_loc(m)]["copy_group"] for m in members}
        assert len(found) == 1, name
        assert rows[_loc(members[0])]["copies"] == len(members)
    singles = [r for r in rows.values() if r["copies"] == 1]
    assert len(singles) == len(rows) - sum(len(g["members"]) for g in key["copy_groups"].values())


def _loc(member: object) -> tuple[str, str]:
    if isinstance(member, dict):
        return member["file"], member.get("locator", "")
    file, _, loc = str(member).partition(" ")
    return file, loc.strip("()")


def test_api_rerun_adds_nothing(db: Path) -> None:
    first = sitroom.run([SAMPLE], db=db)
    again = sitroom.run([SAMPLE], db=db)
    assert first.added > 0
    assert (again.added, again.skipped) == (0, first.added)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == first.added
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


def _corpus(folder: Path, n: int) -> Path:
    lines = [
        json.dumps(
            {
                "title": f"Report {i}",
                "outlet": f"Outlet {i % 7}",
                "published": "2024-05-06",
                "text": f"Report number {i}: the water rose by {i} centimetres on Monday "
                f"in district {i % 13}, officials said, and {i * 3} homes were hit.",
            }
        )
        for i in range(n)
    ]
    p = folder / "many.jsonl"
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


def test_api_killed_run_resumes_without_duplicates(tmp_path: Path, db: Path) -> None:
    n = 1500
    src = _corpus(tmp_path, n)
    cmd = [
        sys.executable,
        "-m",
        "sitroom",
        "run",
        str(src),
        "--db",
        str(db),
        "--quiet",
        "--batch-size",
        "50",
    ]
    proc = subprocess.Popen(cmd, start_new_session=True)
    deadline = time.time() + 60
    landed = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=1) as con:
                landed = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if landed >= 100:
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=30)
    with sqlite3.connect(db) as con:
        partial = con.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 0 < partial < n, "the run should have been killed part-way"
    assert partial % 50 == 0  # whole batches only
    rep = sitroom.run([src], db=db)
    assert rep.ok and rep.skipped == partial and rep.added == n - partial
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone() == (n, n)
        assert con.execute("SELECT count(*) FROM copy_groups").fetchone()[0] == n
        orphans = con.execute(
            "SELECT count(*) FROM removed_spans WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0
        # every article placed once, and the stories count each article once
        assert con.execute("SELECT count(DISTINCT article_id) FROM story_articles").fetchone() == (n,)
        live = "FROM stories WHERE merged_into IS NULL"
        assert con.execute(f"SELECT sum(n) {live}").fetchone() == (n,)


def test_api_options_and_stages(db: Path, tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("ROME, June 3 (Tiber Wire) - The vote was held.\n\nMore.", encoding="utf-8")
    rep = sitroom.run([p], db=db, year=2023)
    assert rep.stages == list(sitroom.DEFAULT_PIPELINE)
    (row,) = sitroom.articles(db)
    assert row["published"] == "2023-06-03"
