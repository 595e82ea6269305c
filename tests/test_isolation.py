"""Per-article fault isolation: a stage that raises on one article records it, and the rest
of the batch lands, whether the stage maps on a worker pool or loops in this process; story
and topic stages are guarded per unit with a bounded number of attempts."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import sitroom
from sitroom.errors import StageFailure
from sitroom.pipeline import MAX_ATTEMPTS

from . import faulty
from .conftest import SAMPLE

BASE = ["ingest", "clean", "metadata"]


def _jsonl(folder: Path, n: int, marks: dict[int, str]) -> Path:
    lines = []
    for i in range(n):
        extra = f" {marks[i]}" if i in marks else ""
        lines.append(json.dumps({
            "title": f"Report {i}", "outlet": "Wire", "published": "2024-05-06",
            "text": f"Report number {i}: the river rose on Monday in district {i}.{extra}",
        }))  # fmt: skip
    p = folder / "batch.jsonl"
    p.write_text("\n".join(lines), encoding="utf-8")
    return p


@pytest.mark.parametrize("workers", [1, 2])
def test_isolation_map_stage_fault_keeps_the_rest(tmp_path: Path, db: Path, workers: int) -> None:
    n = 80  # above the pool's threshold: with 2 workers the map runs on the pool
    src = _jsonl(tmp_path, n, {7: faulty.MAP_MARK, 55: faulty.MAP_MARK})
    rep = sitroom.run([src], db=db, stages=[*BASE, "faulty_map"], workers=workers)
    assert rep.added == n and not rep.failures
    assert {(e.stage, e.error, e.locator, e.kept) for e in rep.stage_errors} == {
        ("faulty_map", "ValueError", "line 8", True),
        ("faulty_map", "ValueError", "line 56", True),
    }
    assert rep.exit_code == 3
    line = rep.problems()[0]
    assert "batch.jsonl (line 8)" in line and "stage faulty_map" in line and "20:40" in line
    with sqlite3.connect(db) as con:
        langs = dict(con.execute("SELECT locator, language FROM articles"))
        rows = con.execute("SELECT stage, path, locator, error, trace, kept FROM stage_errors"
                           ).fetchall()  # fmt: skip
        run = con.execute("SELECT status, stage_errors FROM runs").fetchone()
    assert langs["line 8"] is None and langs["line 56"] is None  # kept without the output
    assert sum(v == "xx" for v in langs.values()) == n - 2
    assert len(rows) == 2 and all(r[0] == "faulty_map" and r[5] == 1 for r in rows)
    assert "ValueError" in rows[0][4] and "_upper" in rows[0][4]  # a short traceback
    assert run == ("partial", 2)


def test_isolation_loop_stage_fault_is_found_and_half_output_reset(tmp_path: Path, db: Path
                                                                   ) -> None:  # fmt: skip
    n = 30
    src = _jsonl(tmp_path, n, {3: faulty.LOOP_MARK, 21: faulty.LOOP_MARK})
    rep = sitroom.run([src], db=db, stages=[*BASE, "faulty_loop"], workers=1)
    assert rep.added == n
    assert sorted(e.locator for e in rep.stage_errors) == ["line 22", "line 4"]
    assert all(e.error == "ZeroDivisionError" for e in rep.stage_errors)
    with sqlite3.connect(db) as con:
        origins = dict(con.execute("SELECT locator, origin FROM articles"))
    assert origins["line 4"] is None  # not "half-done": a failed stage leaves no half output
    assert sum(v == "looped" for v in origins.values()) == n - 2


def test_isolation_worker_that_dies_fails_its_article_only(tmp_path: Path, db: Path) -> None:
    n = 70
    src = _jsonl(tmp_path, n, {10: faulty.DIE_MARK})
    rep = sitroom.run([src], db=db, stages=[*BASE, "faulty_map"], workers=2)
    assert rep.added == n
    assert [(e.locator, e.error) for e in rep.stage_errors] == [("line 11", "WorkerDied")]
    # the session's pool was replaced: a second run on the pool works
    src2 = tmp_path / "more.jsonl"
    src2.write_text(_jsonl(tmp_path, n, {}).read_text().replace("Report", "Dispatch"))
    assert sitroom.run([src2], db=db, stages=[*BASE, "faulty_map"], workers=2).ok


def test_isolation_essential_stage_rejects_the_article_only(tmp_path: Path, db: Path) -> None:
    src = _jsonl(tmp_path, 12, {5: faulty.ESSENTIAL_MARK})
    rep = sitroom.run([src], db=db, stages=[*BASE, "faulty_essential"], workers=1)
    assert rep.added == 11
    (e,) = rep.stage_errors
    assert (e.locator, e.kept, e.error) == ("line 6", False, "RecursionError")
    assert "not stored" in e.line()
    # the input is not lost: once the fault is gone, a re-run stores it
    again = sitroom.run([src], db=db, stages=BASE, workers=1)
    assert (again.added, again.skipped) == (1, 11)


def test_isolation_story_stage_fault_is_retried_a_bounded_number_of_times(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitroom.stages.story_events as se

    real = se.merge_story
    bad: set[str] = set()

    def flaky(story_id: str, mentions: list[dict[str, object]]) -> object:
        if not bad:
            bad.add(story_id)  # the first story merged is the poison pill
        if story_id in bad:
            raise KeyError("story has no topic")
        return real(story_id, mentions)

    monkeypatch.setattr(se, "merge_story", flaky)
    first = sitroom.run([SAMPLE], db=db)
    (story,) = bad
    faults = [e for e in first.stage_errors if e.stage == "story_events"]
    assert [(e.key, e.attempts) for e in faults] == [(story, 1)]
    assert first.exit_code == 3 and first.added == 17
    assert first.units["brief"] >= 3  # every other story got its brief
    for attempt in range(2, MAX_ATTEMPTS + 1):
        rep = sitroom.run([SAMPLE], db=db)
        assert [(e.key, e.attempts) for e in rep.stage_errors] == [(story, attempt)]
    calm = sitroom.run([SAMPLE], db=db)  # given up on: it no longer blocks or fails runs
    assert calm.ok and calm.exit_code == 0
    with sqlite3.connect(db) as con:
        (attempts,) = con.execute(
            "SELECT attempts FROM queue WHERE stage = 'story_events' AND key = ?", (story,)
        ).fetchone()
        assert attempts == MAX_ATTEMPTS
        assert con.execute("SELECT count(*) FROM stage_errors WHERE key = ?", (story,)
                           ).fetchone()[0] == MAX_ATTEMPTS  # fmt: skip
    monkeypatch.setattr(se, "merge_story", real)  # the fault is fixed; new work re-queues it
    with sqlite3.connect(db) as con:
        con.execute("UPDATE queue SET attempts = 0 WHERE key = ?", (story,))
    healed = sitroom.run([SAMPLE], db=db)
    assert healed.ok and healed.units["story_events"] == 1
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM queue").fetchone()[0] == 0
        live = con.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()
        assert con.execute("SELECT count(*) FROM briefs").fetchone() == live


def test_isolation_stage_failure_pickles_and_reads_as_one_line() -> None:
    import pickle

    f = StageFailure("claims", "ValueError", "bad\nvalue " + "x" * 500, "tb", path="a.txt",
                     locator="item 3", article_id="abc")  # fmt: skip
    g = pickle.loads(pickle.dumps(f))
    assert g.line() == f.line() and "\n" not in g.line() and len(g.line()) < 300
    assert g.line().startswith("a.txt (item 3): internal error in stage claims (ValueError: bad")


def test_isolation_check_answers_for_the_articles_it_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    claims = sys.modules["sitroom.claims"]  # ``sitroom.claims`` is also the API's function
    real = claims.check

    def fragile(claim: str, pairs: list[tuple[str, str]]) -> list[object]:
        if any("BOOM" in text for _, text in pairs):
            raise IndexError("list index out of range")
        return real(claim, pairs)

    monkeypatch.setattr(claims, "check", fragile)
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("The United States is sending 3,000 troops to Kabul, officials said.")
    bad.write_text("BOOM. The United States is sending 3,000 troops to Kabul.")
    out = {Path(r["article"]).name: r for r in sitroom.check("The U.S. sends 3,000 troops",
                                                             files=[good, bad])}  # fmt: skip
    assert out["good.txt"]["verdict"] == "supports"
    assert out["bad.txt"]["verdict"] == "error"
    assert "stage check (IndexError" in out["bad.txt"]["error"]
    assert "bad.txt" in out["bad.txt"]["error"]


def test_isolation_a_self_guarded_stage_that_raises_fails_its_batch_item_by_item() -> None:
    from sitroom.model import Batch, InputItem
    from sitroom.options import Options
    from sitroom.pipeline import run_stage
    from sitroom.stages import REGISTRY, Resources

    items = [InputItem(f"f{i}.txt", "", "text", b"x") for i in range(3)]
    out = run_stage(REGISTRY["faulty_reader"], Batch(items=items), Resources(archive=None),  # type: ignore[arg-type]
                    Options())  # fmt: skip
    assert not out.items and not out.articles
    assert [(e.path, e.kept, e.error) for e in out.stage_errors] == [
        (f"f{i}.txt", False, "MemoryError") for i in range(3)
    ]


def test_isolation_extract_yields_stage_faults_then_the_article(tmp_path: Path) -> None:
    from sitroom.model import Article

    src = _jsonl(tmp_path, 4, {2: faulty.MAP_MARK})
    items = list(sitroom.extract([src], [*BASE, "faulty_map"], workers=1))
    faults = [x for x in items if isinstance(x, StageFailure)]
    arts = [x for x in items if isinstance(x, Article)]
    assert [(f.locator, f.stage) for f in faults] == [("line 3", "faulty_map")]
    assert len(arts) == 4 and [a.language for a in arts].count(None) == 1
