"""Stage ``stories`` end to end: the sample corpus and the seeds, runs in parts, resumes,
the index beside the store, and the exports."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

import sitroom
from sitroom.store import Store

from .conftest import ANSWERS, SAMPLE, need_shared


def _partition(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for member, group in pairs:
        groups[group].add(member)
    return {frozenset(g) for g in groups.values()}


def _intended() -> set[frozenset[str]]:
    answers = json.loads(ANSWERS.read_text(encoding="utf-8"))
    return _partition([(a["title"], a["story"]) for a in answers["articles"]])


def _found(db: Path) -> set[frozenset[str]]:
    rows = sitroom.stories(db, "article")
    return _partition([(r["title"], r["story_id"]) for r in rows])


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("stories") / "sample.db"
    rep = sitroom.run([SAMPLE], db=db)
    assert rep.ok and rep.added == 17
    return db


def test_the_sample_corpus_forms_the_stories_its_authors_intended(sample_db: Path) -> None:
    assert _found(sample_db) == _intended()
    topics = sitroom.stories(sample_db, "topic")
    assert len(topics) == 1 and topics[0]["stories"] == 4 and topics[0]["articles"] == 17


def test_each_story_counts_its_outlets_and_independent_sources(sample_db: Path) -> None:
    stories = {tuple(sorted(s["article_ids"])): s for s in sitroom.stories(sample_db, "story")}
    kandahar = next(s for s in stories.values() if "Kandahar" in s["label"])
    # seven reports, three of them one wire copy (W1): five independent sources
    assert kandahar["articles"] == 7 and kandahar["sources"] == 5
    assert len(kandahar["outlets"]) == 7
    assert kandahar["first"] == kandahar["last"] == "2021-08-13"
    evac = next(s for s in stories.values() if s["first"] == "2021-08-12" and s["last"] != s["first"])
    assert evac["articles"] == 5 and evac["sources"] == 4  # N1 is a near copy
    for s in stories.values():
        assert len(s["label"]) <= 91 and s["label"]  # a short label from its own articles


def test_the_two_seed_reports_form_one_story(tmp_path: Path) -> None:
    seeds = need_shared("seeds")
    db = tmp_path / "seeds.db"
    rep = sitroom.run([seeds], db=db)
    assert rep.added == 2
    rows = sitroom.stories(db, "article")
    assert len({r["story_id"] for r in rows}) == 1
    assert rep.stories == {"new": 1, "joined": 1}


def test_a_corpus_read_in_two_runs_forms_the_same_stories(tmp_path: Path) -> None:
    db = tmp_path / "parts.db"
    first = sitroom.run([SAMPLE / "batch.jsonl", SAMPLE / "feed.xml"], db=db)
    assert first.added == 8
    index = db.with_name(db.name + ".story-index.usearch")
    assert index.is_file()
    second = sitroom.run([SAMPLE], db=db)
    assert second.added == 9 and second.skipped == 8
    assert _found(db) == _intended()
    # a later run placed articles into the earlier run's stories, ids unchanged
    with Store(db) as store:
        early = {r["story_id"] for r in store.db.execute("SELECT story_id FROM story_articles "
                                                         "WHERE how = 'new'")}  # fmt: skip
        assert {r["story_id"] for r in store.story_articles()} == early
        assert store.db.execute("SELECT count(*) FROM story_articles").fetchone()[0] == 17


def test_a_lost_or_stale_index_is_rebuilt_from_the_store(tmp_path: Path) -> None:
    db = tmp_path / "lost.db"
    sitroom.run([SAMPLE / "batch.jsonl"], db=db)
    index = db.with_name(db.name + ".story-index.usearch")
    stale = tmp_path / "stale.usearch"
    shutil.copy(index, stale)
    sitroom.run([SAMPLE / "feed.xml"], db=db)
    shutil.copy(stale, index)  # an index from before the last run: its stamp is older
    sitroom.run([SAMPLE / "article.json", SAMPLE / "pages"], db=db)
    db.with_name(db.name + ".story-index.usearch").unlink()  # and now none at all
    sitroom.run([SAMPLE], db=db)
    assert _found(db) == _intended()


def test_rerunning_adds_nothing_and_changes_no_story(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "again.db"
    shutil.copy(sample_db, db)
    for suffix in (".story-index.usearch", ".story-index.json", ".topic-index.usearch",
                   ".topic-index.json"):  # fmt: skip
        shutil.copy(sample_db.with_name(sample_db.name + suffix), db.with_name(db.name + suffix))
    before = sitroom.stories(db, "story")
    rep = sitroom.run([SAMPLE], db=db)
    assert rep.added == 0 and rep.skipped == 17 and not rep.stories
    assert sitroom.stories(db, "story") == before


def test_export_one_row_per_article_with_story_and_topic(sample_db: Path) -> None:
    out = io.StringIO()
    n = sitroom.export_stories(sample_db, out, "jsonl")
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert n == len(rows) == 17
    for r in rows:
        assert {"article_id", "story_id", "story_label", "topic_id"} <= set(r)
        assert r["story_id"].startswith("s") and r["topic_id"].startswith("t")
    out = io.StringIO()
    sitroom.export_stories(sample_db, out, "csv", level="story")
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(table) == 4
    assert sum(int(r["articles"]) for r in table) == 17
    assert all(len(r["article_ids"].split()) == int(r["articles"]) for r in table)
    articles = sitroom.articles(sample_db)
    assert all(a["story_id"] and a["topic_id"] for a in articles)


def test_export_defuses_formulas_in_labels(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    body = ("The council said on Monday that the bridge over the river would stay closed for "
            "repairs until the end of the month, after engineers found cracks in two of its "
            "supports during an inspection last week. ") * 3  # fmt: skip
    src.write_text(json.dumps({"title": "=HYPERLINK(\"http://x\")", "text": body,
                               "outlet": "Valley News", "published": "2024-05-06"}) + "\n")  # fmt: skip
    db = tmp_path / "f.db"
    sitroom.run([src], db=db)
    out = io.StringIO()
    sitroom.export_stories(db, out, "csv", level="story")
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["label"].startswith("'=")


def test_export_rejects_unknown_levels_and_formats(sample_db: Path) -> None:
    with pytest.raises(sitroom.OptionsError, match="level"):
        sitroom.export_stories(sample_db, io.StringIO(), "jsonl", level="planet")
    with pytest.raises(sitroom.OptionsError, match="format"):
        sitroom.export_stories(sample_db, io.StringIO(), "xlsx")
