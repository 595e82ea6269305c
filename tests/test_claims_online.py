"""Incremental claims: a topic's claims persist and a new batch regroups only what it
touches, with the same groups and statuses as aligning from scratch, and ids that never
change."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

import sitroom
from sitroom.errors import OptionsError

from .conftest import SAMPLE


def _inputs() -> list[Path]:
    return sorted(p for p in SAMPLE.rglob("*") if p.is_file())


def _groups(db: Path) -> tuple[dict[int, str], dict[str, str]]:
    with sqlite3.connect(db) as con:
        of = dict(con.execute("SELECT m.id, u.claim_id FROM claim_mentions m JOIN claim_units u "
                              "ON u.id = m.unit_id"))  # fmt: skip
        status = dict(con.execute("SELECT claim_id, status FROM claims"))
    return of, status


@pytest.mark.parametrize("rebase", [2000, 5])
def test_claims_online_in_four_runs_equals_from_scratch(
    db: Path, rebase: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    index = importlib.import_module("sitroom.claims.index")  # sitroom.claims: the API's too
    monkeypatch.setattr(index, "REBASE", rebase)  # 5: the saved index serves most searches
    files = _inputs()
    seen_ids: list[set[str]] = []
    for part in (files[0::4], files[1::4], files[2::4], files[3::4]):
        rep = sitroom.run(part, db=db, workers=1)
        assert rep.ok and rep.units["topic_claims"] == 1
        seen_ids.append(set(_groups(db)[1]))
    incremental, inc_status = _groups(db)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM claim_mentions WHERE unit_id IS NULL"
                           ).fetchone() == (0,)  # fmt: skip
        merged = {m for (m,) in con.execute("SELECT merged FROM claim_merges")}
    # an id once given stays, or is recorded as merged into another
    for earlier in seen_ids[:-1]:
        assert earlier <= set(inc_status) | merged
    saved = list(Path(f"{db}.claim-index").glob("*.usearch"))
    assert bool(saved) == (rebase == 5)
    for f in saved:  # a damaged index file is rebuilt, never trusted
        f.write_bytes(b"junk")
    rep = sitroom.realign(db)
    assert rep.units["topic_claims"] == 1
    scratch, scratch_status = _groups(db)
    pairs = Counter((incremental[m], scratch[m]) for m in incremental)
    assert all(a == b for a, b in pairs)  # the same groups, under the same ids
    assert {a: inc_status[a] for a, _ in pairs} == {b: scratch_status[b] for _, b in pairs}
    statuses = Counter(scratch_status.values())
    assert statuses["contested"] == 3 and statuses["corroborated"] >= 15


def test_claims_online_a_small_batch_rewrites_only_what_it_touches(
    tmp_path: Path, db: Path
) -> None:
    assert sitroom.run([SAMPLE], db=db, workers=1).ok
    with sqlite3.connect(db) as con:
        before = dict(con.execute("SELECT claim_id, rowid FROM claims"))
    late = tmp_path / "late.txt"
    late.write_text(
        "Taliban hold Kandahar and Herat\n\nKABUL, Aug. 14 (Steppe Post) - The Taliban now "
        "control Kandahar and Herat, the second- and third-largest cities in Afghanistan, "
        "officials said on Saturday. Herat, which lies near the Iranian border, has about "
        "600,000 people.\n",
        encoding="utf-8",
    )
    rep = sitroom.run([late], db=db, workers=1)
    assert rep.added == 1 and rep.units["topic_claims"] == 1
    with sqlite3.connect(db) as con:
        after = dict(con.execute("SELECT claim_id, rowid FROM claims"))
        pending = con.execute("SELECT count(*) FROM claim_mentions WHERE unit_id IS NULL")
        assert pending.fetchone() == (0,)
    rewritten = [c for c in after if before.get(c) != after[c]]
    assert 0 < len(rewritten) <= 6 < len(before)
    assert set(before) - set(after) == set()  # nothing lost, no id changed


def test_claims_online_realign_refuses_an_unknown_topic(db: Path) -> None:
    sitroom.run([SAMPLE], db=db, workers=1)
    with pytest.raises(OptionsError, match="no live topic"):
        sitroom.realign(db, topic="tnosuchtopic")
    (topic,) = [t["topic_id"] for t in sitroom.stories(db, "topic")]
    assert sitroom.realign(db, topic=topic).units["topic_claims"] == 1
