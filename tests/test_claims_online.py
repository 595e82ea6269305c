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


def test_claims_online_topic_merge_rejoins_the_smaller_topic(db: Path) -> None:
    """Two topics merged: the smaller one's claim units are compared with the other's
    (claims_rejoin), not the merged topic realigned from scratch, with the same groups and
    statuses as aligning it from scratch."""
    assert sitroom.run(_inputs(), db=db, workers=1).ok
    with sqlite3.connect(db) as con:
        (topic,) = con.execute("SELECT id FROM topics WHERE merged_into IS NULL").fetchone()
        stories = [r[0] for r in con.execute(
            "SELECT id FROM stories WHERE topic_id = ? ORDER BY n, id", (topic,))]  # fmt: skip
        moved = stories[:2]  # the two smallest stories become a topic of their own
        marks = ",".join("?" * len(moved))
        con.execute(
            "INSERT INTO topics (id, key, label, n, sources, first, last, outlets, keys, focus, "
            "vec_sum, label_vec) SELECT 'tsplit', (SELECT max(key) + 1 FROM topics), label, n, "
            "sources, first, last, outlets, keys, focus, vec_sum, label_vec FROM topics "
            "WHERE id = ?", (topic,))  # fmt: skip
        con.execute(f"UPDATE stories SET topic_id = 'tsplit' WHERE id IN ({marks})", moved)
        con.execute(f"UPDATE story_articles SET topic_id = 'tsplit' WHERE story_id IN ({marks})",
                    moved)  # fmt: skip
    sitroom.realign(db)  # each topic aligned on its own
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(DISTINCT topic_id) FROM claims").fetchone() == (2,)
        small = con.execute("SELECT count(*) FROM claim_units WHERE topic_id = 'tsplit'"
                            ).fetchone()[0]  # fmt: skip
    from sitroom.store import Store
    from sitroom.store.writer import Writer

    with Store.open_existing(db) as store:  # what the stories stage's topic merge writes
        w = Writer(store)
        with w._tx():
            w.db.execute("UPDATE stories SET topic_id = ? WHERE topic_id = 'tsplit'", (topic,))
            w.db.execute("UPDATE story_articles SET topic_id = ? WHERE topic_id = 'tsplit'",
                         (topic,))  # fmt: skip
            w.db.execute("UPDATE topics SET merged_into = ? WHERE id = 'tsplit'", (topic,))
            w._merge_topic_claims("tsplit", topic)
            w.enqueue("topic_claims", [topic])
        assert len(store.rejoin_units(topic)) >= small > 0
        assert not store.needs_realign(topic)
    assert sitroom.run([], db=db).units["topic_claims"] == 1  # the queued topic, extended
    merged, merged_status = _groups(db)
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM claims_rejoin").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM claims WHERE topic_id = 'tsplit'"
                           ).fetchone() == (0,)  # fmt: skip
    sitroom.realign(db, topic=topic)
    scratch, scratch_status = _groups(db)
    pairs = Counter((merged[m], scratch[m]) for m in merged)
    best: dict[str, tuple[int, str]] = {}
    for (a, b), n in pairs.items():
        best[a] = max(best.get(a, (0, "")), (n, b))
    same = sum(1 for m in merged if best[merged[m]][1] == scratch[m]) / len(merged)
    assert same >= 0.95
    groups = [a for a in best if a in merged_status]
    agree = sum(merged_status[a] == scratch_status.get(best[a][1]) for a in groups)
    assert agree / len(groups) >= 0.95


def test_claims_online_old_store_gets_static_vectors_without_realign(db: Path) -> None:
    """A store made when claims were embedded by MiniLM (384-d kept vectors) is migrated by
    making each unit's vector again, its groups kept: no topic is realigned from scratch."""
    assert sitroom.run(_inputs(), db=db, workers=1).ok
    before = _groups(db)
    with sqlite3.connect(db) as con:  # as migration 009 left it
        con.execute("UPDATE claim_units SET vec = zeroblob(1536)")
        con.execute("UPDATE claim_mentions SET vec = zeroblob(1536)")
        con.execute("DELETE FROM migrations WHERE name IN "
                    "('010_static_claim_vectors', '011_claims_rejoin')")  # fmt: skip
        con.execute("DROP TABLE claims_rejoin")
    assert sitroom.run(_inputs(), db=db, workers=1).added == 0  # opening migrates
    with sqlite3.connect(db) as con:
        widths = {w for (w,) in con.execute("SELECT DISTINCT length(vec) FROM claim_units")}
        assert widths == {1024}  # 256 float32: the static vectors
        assert con.execute("SELECT count(*) FROM claim_mentions WHERE vec IS NOT NULL"
                           ).fetchone() == (0,)  # fmt: skip
        assert con.execute("SELECT count(*) FROM claims_realign").fetchone() == (0,)
    assert _groups(db) == before


def test_minilm_vectors_kept_in_the_store_for_later_runs(tmp_path: Path) -> None:
    """A close call's sentence goes through MiniLM once for good: the topic stage hands the
    vectors it made to the writer, and a later process (here: the process cache emptied,
    MiniLM unavailable) reads them from the store."""
    import numpy as np

    import sitroom.embed as embed
    from sitroom.claims import vectors
    from sitroom.claims.online import TopicUpdate
    from sitroom.store import Store
    from sitroom.store.writer import Writer

    text = "The Taliban captured Herat, the country's third-largest city, on Friday."
    with Store(tmp_path / "v.db") as store:
        with vectors.kept_in(store) as made:
            first = vectors.precise_vectors([text])[0]
        assert list(made) == [vectors.text_hash(text)]
        assert not store.minilm_vectors(list(made))  # the writer keeps them, not the reader
        Writer(store).write_topic_update(TopicUpdate("t0", minilm=made))
        assert store.minilm_vectors(list(made))
        vectors._PRECISE.clear()
        real = embed.embedder
        embed.embedder = None  # type: ignore[assignment]
        try:
            with vectors.kept_in(store) as again_made:
                again = vectors.precise_vectors([text])[0]
        finally:
            embed.embedder = real
        assert np.array_equal(first, again) and not again_made
