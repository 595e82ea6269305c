"""The quotes and claims stages inside ``sitroom run``: stored, aligned per topic, exported,
checked from the command line; a re-run adds nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import sitroom
from sitroom.cli.main import app

from .conftest import SAMPLE, need_shared


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("claims") / "sample.db"
    rep = sitroom.run([SAMPLE], db=db)
    assert rep.added == 17 and not rep.failures
    assert rep.claim_mentions > 50 and sum(rep.quotes.values()) > 30
    assert rep.briefs == len(sitroom.stories(db, "story"))
    return db


def _with(rows: list[dict[str, Any]], *words: str) -> list[dict[str, Any]]:
    return [r for r in rows if any(all(w in s["sentence"] for w in words) for s in r["sources"])]


def test_planted_disagreements_contested_with_both_sides(sample_db: Path) -> None:
    contested = sitroom.claims(sample_db, status="contested")
    for words, sides in (
        (("provincial capitals",), {"12": {"Daily Sentinel"}, "14": {"Frontier Wire"}}),
        (("600,000",), {"nearly 500,000": {"Kabul Ledger"}, "about 600,000": {"Frontier Wire"}}),
        (("150 km",), {"some 150 km": {"Kabul Ledger"}, "about 130 km": {"Northbridge Radio"}}),
    ):
        found = _with(contested, *words)
        assert len(found) == 1, (words, [r["text"] for r in found])  # one dispute, one claim
        got = {s["value"]: set(s["outlets"]) for s in found[0]["sides"]}
        for value, outlets in sides.items():
            assert outlets <= got.get(value, set()), (words, got)
        # every side lists its own sources, with offsets into the article's text
        for side in found[0]["sides"]:
            assert side["sources"] and all(s["end"] > s["start"] for s in side["sources"])


def test_wire_reprints_count_once_and_sources_point_at_sentences(sample_db: Path) -> None:
    rows = sitroom.claims(sample_db)
    arts = {a["id"]: a for a in sitroom.articles(sample_db, with_text=True)}
    (w1,) = _with(rows, "Kandahar weighs especially heavily")
    assert set(w1["outlets"]) == {"Frontier Wire", "Pacific Herald", "Gulf Courier"}
    assert w1["independent_sources"] == 1 and w1["status"] == "single-source"
    for s in w1["sources"]:
        assert arts[s["article_id"]]["text"][s["start"] : s["end"]] == s["sentence"]
    troops = [r for r in _with(rows, "3,000") if r["status"] == "corroborated"]
    assert troops and max(r["independent_sources"] for r in troops) >= 3


def test_quotes_stored_with_speakers(sample_db: Path) -> None:
    quotes = sitroom.quotes(sample_db)
    speakers = {q["speaker"] for q in quotes if q["speaker"]}
    for name in ("Ned Price", "Ben Wallace", "Mitch McConnell", "Imran Khan"):
        assert any(name in s for s in speakers), name
    assert any(q["anonymous"] == "official" for q in quotes)
    arts = {a["id"]: a for a in sitroom.articles(sample_db, with_text=True)}
    for q in quotes[:20]:
        text = arts[q["article_id"]]["text"]
        assert q["quote"].split()[0] in text[q["quote_start"] : q["quote_end"]]


def test_rerun_adds_no_claims_and_exports(sample_db: Path) -> None:
    before = len(sitroom.claims(sample_db))
    rep = sitroom.run([SAMPLE], db=sample_db)
    assert rep.added == 0 and len(sitroom.claims(sample_db)) == before
    out = io.StringIO()
    n = sitroom.export_claims(sample_db, out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert n == before == len(rows)
    assert {"claim_id", "story_id", "text", "kind", "status", "outlets",
            "independent_sources", "sources"} <= set(rows[0])  # fmt: skip
    out = io.StringIO()
    sitroom.export_quotes(sample_db, out, "jsonl")
    first = json.loads(out.getvalue().splitlines()[0])
    assert {"speaker", "role", "affiliation", "quote", "kind", "outlet", "article_id"} <= set(first)


def test_cli_check_against_store_files_and_pairs(sample_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["check", "The United States is sending 5,000 troops to Kabul",
                              "--db", str(sample_db), "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    verdicts = [json.loads(line) for line in res.output.splitlines()]
    assert len(verdicts) == 17
    assert sum(v["verdict"] == "contradicts" for v in verdicts) >= 3
    assert all("3,000" in v["evidence"][0]["sentence"] for v in verdicts
               if v["verdict"] == "contradicts")  # fmt: skip
    good = tmp_path / "a.txt"
    good.write_text("Herat\n\nHerat, near Iran, has about 600,000 people, officials said.\n")
    junk = tmp_path / "b.txt"
    junk.write_bytes(b"\x00\xff" * 50)
    res = runner.invoke(app, ["check", "Herat has nearly 500,000 people", str(good), str(junk),
                              "--format", "json"])  # fmt: skip
    assert res.exit_code == 1, res.output  # an input failed (named); the rest answered
    out = {Path(v["article"]).name: v for v in map(json.loads, res.stdout.splitlines())}
    assert out["a.txt"]["verdict"] == "contradicts" and out["b.txt"]["verdict"] == "error"
    ev = out["a.txt"]["evidence"][0]
    assert good.read_text()[ev["start"] : ev["end"]] == ev["sentence"]
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        json.dumps({"id": "x", "claim": "Ghazni fell", "file": str(good)}) + "\n{broken\n"
    )
    res = runner.invoke(app, ["check", "--pairs", str(pairs)])
    lines = [json.loads(x) for x in res.stdout.splitlines() if x.startswith("{")]
    assert [r["id"] for r in lines] == ["x", None] and lines[1]["verdict"] == "error"
    assert res.exit_code == 1


def test_seeds_deployments_corroborated_counts_single_source(tmp_path: Path) -> None:
    seeds = need_shared("seeds")
    db = tmp_path / "seeds.db"
    sitroom.run([seeds], db=db)
    rows = sitroom.claims(db)
    for words in (("3,000",), ("600", "Brit")):
        found = [r for r in _with(rows, *words) if r["status"] == "corroborated"]
        assert found and set(found[0]["outlets"]) == {"NBC News", "Reuters"}, words
    for words in (("provincial capitals",), ("two-thirds",)):
        found = _with(rows, *words)
        assert found and all(r["status"] == "single-source" for r in found), words
    speakers = {q["speaker"] for q in sitroom.quotes(db) if q["speaker"]}
    for name in ("Ned Price", "Ben Wallace", "Mitch McConnell"):
        assert any(name in s for s in speakers), (name, speakers)


def test_alignment_left_undone_by_a_killed_run_is_done_by_the_next(sample_db: Path) -> None:
    import sqlite3

    before = sitroom.claims(sample_db)
    with sqlite3.connect(sample_db) as db:  # as if killed after the batches, before aligning
        db.execute("DELETE FROM claim_sources")
        db.execute("DELETE FROM claims")
        db.execute("UPDATE claim_mentions SET unit_id = NULL")
        db.execute("DELETE FROM claim_units")
        db.execute(
            "INSERT INTO queue (stage, key) SELECT DISTINCT 'topic_claims', topic_id FROM stories"
        )
    assert sitroom.claims(sample_db) == []
    rep = sitroom.run([SAMPLE], db=sample_db)
    assert rep.added == 0
    after = sitroom.claims(sample_db)
    assert [(c["claim_id"], c["status"]) for c in after] == [
        (c["claim_id"], c["status"]) for c in before
    ]


def test_stored_briefs_cite_real_sentences_and_cli(sample_db: Path) -> None:
    arts = {a["id"]: a for a in sitroom.articles(sample_db, with_text=True)}
    for story in sitroom.stories(sample_db, "story"):
        b = sitroom.brief(sample_db, story["story_id"])
        assert b.sentences and b.sentences[0].status == "corroborated"
        for s in b.sentences:
            for c in s.citations:
                assert arts[c.article_id]["text"][c.start : c.end] == c.sentence
    res = CliRunner().invoke(app, ["brief", "--db", str(sample_db), "--format", "json"])
    assert res.exit_code == 0, res.output
    briefs = [json.loads(x) for x in res.output.splitlines()]
    assert {b["story_id"] for b in briefs} == {s["story_id"] for s in sitroom.stories(sample_db)}
    later = sitroom.brief(sample_db, briefs[0]["story_id"], since="2030-01-01")
    assert later.sentences == []
