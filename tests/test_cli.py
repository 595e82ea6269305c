"""The command line, run as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

from .conftest import SAMPLE


def sitroom(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitroom", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_cli_run_articles_export_report(tmp_path: Path, db: Path) -> None:
    r = sitroom("run", SAMPLE, "--db", db)
    assert r.returncode == 0, r.stderr
    assert "17 articles added, 0 already stored, 0 failed" in r.stdout
    assert "Frontier Wire" in r.stdout
    r = sitroom("run", SAMPLE, "--db", db, "--quiet")
    assert (r.returncode, r.stdout) == (0, "")

    r = sitroom("articles", "--db", db)
    assert r.returncode == 0 and r.stdout.strip().endswith("17 articles")

    r = sitroom("export", "articles", "--db", db, "--format", "jsonl")
    recs = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(recs) == 17
    want = {
        "id",
        "path",
        "locator",
        "outlet",
        "title",
        "url",
        "published",
        "date_source",
        "language",
        "copy_group",
        "text",
        "removed",
    }
    assert want <= set(recs[0])
    assert all(rec["removed"] and rec["text"] for rec in recs if rec["path"].endswith(".txt"))

    out = tmp_path / "a.csv"
    r = sitroom("export", "articles", "--db", db, "--format", "csv", "--out", out)
    assert r.returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 17 and json.loads(rows[0]["removed"]) is not None

    r = sitroom("report", "--db", db, "--out", tmp_path / "site")
    assert r.returncode == 0
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "4 stories" in index and len(set(re.findall(r'href="stories/[^"]+"', index))) == 4
    assert sum(int(n) for n in re.findall(r"(\d+) articles", index)) == 17
    assert len(list((tmp_path / "site" / "articles").glob("*.html"))) == 17


def test_cli_exit_codes_and_error_lines(tmp_path: Path, db: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("OSLO, Feb 7, 2024 (Nordic Wire) - Talks opened.\n\nMore.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    r = sitroom("run", good, bad, "--db", db)
    assert r.returncode == 1
    errs = [ln for ln in r.stderr.splitlines() if ln.startswith("error:")]
    assert errs == [f"error: {bad}: binary content (NUL bytes), not text"]
    assert "1 articles added" in r.stdout

    assert sitroom("articles", "--db", tmp_path / "none.db").returncode == 2
    assert sitroom("run", good, "--db", db, "--date", "13/08/2021").returncode == 2
    r = sitroom("export", "articles", "--db", db, "--format", "xml")
    assert r.returncode == 2 and "'xml' is not one of 'jsonl', 'csv'" in r.stderr


def test_cli_every_command_has_help() -> None:
    for args in (
        ["--help"],
        ["check", "--help"],
        ["serve", "--help"],
        ["run", "--help"],
        ["articles", "--help"],
        ["export", "--help"],
        ["export", "articles", "--help"],
        ["report", "--help"],
        ["stories", "--help"],
        ["export", "stories", "--help"],
        ["watch", "--help"],
    ):
        r = sitroom(*args)
        assert r.returncode == 0 and "Usage" in r.stdout, args


def test_cli_run_reads_standard_input(db: Path) -> None:
    lines = (SAMPLE / "batch.jsonl").read_text(encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "sitroom", "run", "-", "--db", str(db), "--quiet"],
        input=lines,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    out = sitroom("export", "articles", "--db", db).stdout.splitlines()
    recs = [json.loads(x) for x in out]
    assert len(recs) == 5 and {r["path"] for r in recs} == {"<stdin>"}
    assert sorted(r["locator"] for r in recs) == [f"line {i}" for i in range(1, 6)]
    # stored in the run's order (earliest first, undated last), whatever the input order
    keys = [(r["published"] or "\uffff", r["id"]) for r in recs]
    assert keys == sorted(keys)


def test_cli_stories_watch_and_export(tmp_path: Path, db: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("batch.jsonl", "feed.xml"):
        (inbox / name).write_bytes((SAMPLE / name).read_bytes())
    r = sitroom("watch", inbox, "--db", db, "--interval", "0", "--max-polls", "2", "--settle", "0")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "poll 1: 8 added" in lines[0] and "poll 2" not in r.stdout  # nothing new: no line
    assert sum(ln.startswith("  + s") for ln in lines) == 8

    r = sitroom("run", SAMPLE, "--db", db)
    assert r.returncode == 0
    assert "stories: " in r.stdout and "4 stories in 1 topic " in r.stdout

    r = sitroom("stories", "--db", db)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert out[-1] == "17 articles in 4 stories, 1 topic"
    assert sum(ln.startswith("  ") for ln in out) == 17  # one row per article, under its story
    assert sum(ln.startswith("s") for ln in out) == 4

    r = sitroom("stories", "--db", db, "--level", "topic", "--format", "jsonl")
    topics = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(topics) == 1 and topics[0]["articles"] == 17

    r = sitroom("export", "stories", "--db", db, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 17 and {"article_id", "story_id", "story_label", "topic_id"} <= set(rows[0])
    r = sitroom("export", "stories", "--db", db, "--level", "story", "--out", tmp_path / "s.jsonl")
    assert r.returncode == 0 and "4 rows written" in r.stderr
    r = sitroom("stories", "--db", db, "--level", "galaxy")
    assert r.returncode == 2 and "'galaxy' is not one of 'article', 'story', 'topic'" in r.stderr
