"""Every article stage is a map, every cross-article step keyed in the run's order: the local
engine gives the same store whatever the batch size or the order of the inputs."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import sitroom

from .conftest import SAMPLE


def _sorted(rows: Any) -> list[Any]:
    """Rows in one order whatever their values (None among them)."""
    return sorted(rows, key=lambda r: json.dumps(r, default=str))


def picture(db: Path) -> dict[str, Any]:
    """What two runs over the same input must agree on: the articles (as read and dated),
    copy groups, the story and topic partition, events and claim statuses."""
    with sqlite3.connect(db) as con:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        stories: dict[str, set[str]] = defaultdict(set)
        for aid, sid in q("SELECT article_id, story_id FROM story_articles"):
            stories[sid].add(aid)
        sources: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for cid, aid, start, end, side in q(
            'SELECT claim_id, article_id, start, "end", side FROM claim_sources'
        ):
            sources[cid].append((aid, start, end, side))
        events: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for eid, aid, start, end in q(
            'SELECT event_id, article_id, start, "end" FROM event_sources'
        ):
            events[eid].append((aid, start, end))
        return {
            "articles": _sorted(
                q(
                    "SELECT id, path, locator, outlet, published, date_source, title, language, "
                    "clean_text FROM articles"
                )
            ),
            "places": _sorted(q("SELECT article_id, start, geonameid, role FROM place_mentions")),
            "copy_groups": _sorted(q("SELECT article_id, copy_group, kind, of FROM copy_groups")),
            "stories": _sorted((sid, _sorted(m)) for sid, m in stories.items()),
            "topics": _sorted(q("SELECT article_id, topic_id FROM story_articles")),
            "live": _sorted(
                q("SELECT id, topic_id, n, sources FROM stories WHERE merged_into IS NULL")
            ),
            "events": _sorted(
                (r[0], r[1], r[2], r[3], r[4], r[5], r[6], _sorted(events[r[7]]))
                for r in q(
                    "SELECT story_id, event_type, sub_event_type, event_date, location, "
                    "actor1, fatalities, event_id FROM events"
                )
            ),
            "claims": _sorted(
                (r[0], r[1], _sorted(sources[r[2]]))
                for r in q("SELECT status, kind, claim_id FROM claims")
            ),
        }


@pytest.fixture(scope="module")
def baseline(sample_store: Path) -> dict[str, Any]:
    return picture(sample_store)


def _files() -> list[Path]:
    return sorted(p for p in SAMPLE.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("batch_size", "reverse"), [(5, False), (200, True)], ids=["batch-5", "reversed"]
)
def test_purity_same_store_whatever_batch_size_or_input_order(
    tmp_path: Path, baseline: dict[str, Any], batch_size: int, reverse: bool
) -> None:
    files = _files()
    db = tmp_path / "p.db"
    rep = sitroom.run(files[::-1] if reverse else files, db=db, batch_size=batch_size, workers=1)
    assert rep.ok and rep.added == 17
    got = picture(db)
    for key, want in baseline.items():
        assert got[key] == want, key


def test_purity_the_sample_keeps_its_answer_key_dates_and_four_stories(
    baseline: dict[str, Any],
) -> None:
    # the seven scrapes carry no metadata: three are dated by the other reports of their folder
    sources = [r[5] for r in baseline["articles"] if "/scrapes/" in r[1]]
    assert sum("the other reports of its folder" in s for s in sources) == 3
    assert len(baseline["live"]) == 4


def test_purity_same_store_when_each_part_of_a_batch_goes_through_every_map_in_one_worker(
    tmp_path: Path, baseline: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitroom.stages.base as base

    # a batch of the sample worth the pool: cut in parts (two per worker), each part through
    # every map in one worker process; the topics and briefs after the run on the pool too
    monkeypatch.setattr(base, "_MIN_PARALLEL", 4)
    db = tmp_path / "p.db"
    rep = sitroom.run(_files(), db=db, workers=2)
    assert rep.ok and rep.added == 17 and rep.units["brief"] >= 2
    seconds = rep.stage_seconds
    got = picture(db)
    for key, want in baseline.items():
        assert got[key] == want, key
    # each map's seconds are reported (from the workers), and add up to no more than the run
    assert {"nlp", "places", "events", "claims"} <= set(seconds)
    assert sum(v for k, v in seconds.items() if " " not in k) <= rep.seconds
    with sqlite3.connect(db) as con:
        briefs = con.execute("SELECT count(*) FROM briefs").fetchone()[0]
        live = con.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0]
    assert briefs == live
