"""The cited brief over a real store built from the sample corpus (and the seeds)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import sitroom
from sitroom.brief import Brief, BriefSentence, Citation, brief_texts, changed_since, story_brief
from sitroom.brief.facts import content_tokens, trim
from sitroom.errors import OptionsError
from sitroom.store import Store
from tests.conftest import SAMPLE, need_shared

KANDAHAR = "Taliban take Kandahar and Herat"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = tmp_path_factory.mktemp("brief") / "sample.db"
    rep = sitroom.run([SAMPLE], db=db)
    assert rep.added == 17 and not rep.failures
    s = Store(db)
    yield s
    s.close()


@pytest.fixture(scope="module")
def briefs(store: Store) -> dict[str, Brief]:
    return {s["label"]: story_brief(store, s["story_id"]) for s in store.stories()}


def _kandahar(briefs: dict[str, Brief]) -> Brief:
    return next(b for label, b in briefs.items() if label.startswith(KANDAHAR))


def _all_citations(s: BriefSentence) -> list[Citation]:
    return s.citations + [c for side in s.sides for c in side["citations"]]


def test_brief_every_sentence_traceable(store: Store, briefs: dict[str, Brief]) -> None:
    texts = {a["id"]: a["text"] for a in store.articles(with_text=True)}
    assert len(briefs) == 4 and all(b.sentences for b in briefs.values())
    for b in briefs.values():
        for s in b.sentences:
            assert s.citations and s.outlets
            for c in _all_citations(s):
                assert texts[c.article_id][c.start : c.end] == c.sentence
            assert set(s.outlets) == {c.outlet for c in s.citations}
            # the shown words come from one of its source sentences (outlet names and the
            # "says" of a contested sentence aside)
            parts = [side["text"] for side in s.sides] if s.sides else [s.text]
            for part, cites in zip(
                parts, [side["citations"] for side in s.sides] or [s.citations], strict=True
            ):
                assert any(content_tokens(part) <= content_tokens(c.sentence) for c in cites)


def test_brief_corroborated_before_contested_before_single(briefs: dict[str, Brief]) -> None:
    order = {"corroborated": 0, "contested": 1, "single-source": 2}
    for b in briefs.values():
        ranks = [order[s.status] for s in b.sentences]
        assert ranks == sorted(ranks), b.title
        for s in b.sentences:
            if s.status == "corroborated":
                assert len(set(s.outlets)) >= 2
    text = _kandahar(briefs).to_text()
    assert "(single source" in text


def test_brief_fact_never_both_settled_and_disputed(briefs: dict[str, Brief]) -> None:
    for b in briefs.values():
        disputed = [s for s in b.sentences if s.status == "contested"]
        for s in b.sentences:
            if s.status == "contested":
                continue
            for c in disputed:
                for side in c.sides:  # "about 600,000" is contested: not also item 6's fact
                    figure = "".join(ch for ch in side["value"] if ch.isdigit())
                    assert not figure or figure not in s.text.replace(",", ""), (s.text, c.text)


def test_brief_single_source_mark_only_when_it_is(briefs: dict[str, Brief]) -> None:
    for b in briefs.values():
        for line, s in zip(b.to_text().splitlines()[1:], b.sentences, strict=True):
            if s.status != "single-source":
                assert "single source" not in line
            elif len(set(s.outlets)) == 1:
                assert line.endswith("(single source)")
            else:  # one report that several outlets carry is still one source: said so
                assert line.endswith(f"(single source, carried by {len(set(s.outlets))} outlets)")


def test_brief_contested_herat_population_with_both_sides(briefs: dict[str, Brief]) -> None:
    b = _kandahar(briefs)
    herat = [s for s in b.sentences if s.status == "contested" and "Herat" in s.text]
    assert len(herat) == 1
    sides = {side["value"]: side for side in herat[0].sides}
    assert set(sides) == {"nearly 500,000", "about 600,000"}
    assert sides["nearly 500,000"]["outlets"] == ["Kabul Ledger"]
    assert {"Frontier Wire", "Pacific Herald"} <= set(sides["about 600,000"]["outlets"])
    assert "Kabul Ledger" not in sides["about 600,000"]["outlets"]
    assert "500,000" in herat[0].text and "600,000" in herat[0].text
    line = next(ln for ln in b.to_text().splitlines() if "500,000" in ln)
    assert "Kabul Ledger says" in line and "[Kabul Ledger]" in line and "[Frontier Wire]" in line
    capitals = [s for s in b.sentences if s.status == "contested" and "capitals" in s.text]
    assert capitals and {side["value"] for side in capitals[0].sides} == {"12", "14"}


def test_brief_kandahar_capture_leads_with_several_outlets(briefs: dict[str, Brief]) -> None:
    top = _kandahar(briefs).sentences[0]
    assert top.status == "corroborated"
    assert "Kandahar" in top.text and "Herat" in top.text
    assert len(set(top.outlets)) >= 3
    # near-duplicates are shown once: no other sentence is the same takeover again
    texts = [s.text for s in _kandahar(briefs).sentences]
    assert len(texts) == len(set(texts)) and len(texts) <= 10


def test_brief_since_returns_only_later_facts(store: Store, briefs: dict[str, Brief]) -> None:
    b = _kandahar(briefs)
    seen = {s.first_seen for s in b.sentences}
    assert seen == {"2021-08-12", "2021-08-13"} or seen == {"2021-08-13"}
    newer = story_brief(store, b.story_id, since="2021-08-12")
    assert newer.since == "2021-08-12" and newer.sentences
    assert all(s.first_seen is not None and s.first_seen > "2021-08-12" for s in newer.sentences)
    assert story_brief(store, b.story_id, since="2021-08-13T23:00:00Z").sentences == []
    ghazni = next(x for label, x in briefs.items() if "Ghazni" in label)
    assert story_brief(store, ghazni.story_id, since="2021-08-12").sentences == []
    # against the previous brief: the same brief has nothing new, an empty one everything
    assert changed_since(b, b).sentences == []
    empty = Brief(b.story_id, b.title, [])
    assert [s.text for s in story_brief(store, b.story_id, since=empty).sentences] == [
        s.text for s in b.sentences
    ]
    with pytest.raises(OptionsError):
        story_brief(store, b.story_id, since="last tuesday")


def test_brief_markdown_escapes_html() -> None:
    cite = Citation("a1", "Evil <Outlet>", "<script>alert(1)</script> & more.", 0, 33)
    s = BriefSentence("<script>alert(1)</script> & more.", "single-source", ["Evil <Outlet>"],
                      [cite])  # fmt: skip
    md = Brief("s1", "<b>Title</b>", [s]).to_markdown()
    assert "<script>" not in md and "<b>" not in md and "<Outlet>" not in md
    assert "&lt;script&gt;" in md and "&amp; more" in md and "(single source)" in md
    assert json.loads(json.dumps(Brief("s1", "t", [s]).to_dict()))["sentences"][0]["text"]


def test_brief_trim_dateline_and_attribution() -> None:
    assert (
        trim("KABUL, Aug 13 (Reuters) - Herat fell after days of clashes, officials said.")
        == "Herat fell after days of clashes."
    )
    # the rest would not stand on its own: kept whole
    assert trim("Herat is lost, he said.") == "Herat is lost, he said."
    # a middle attribution is not trailing
    middle = "Two cities fell on Friday, lawmakers said, as the march gathered speed."
    assert trim(middle) == middle


def test_brief_unknown_story_raises(store: Store) -> None:
    with pytest.raises(OptionsError):
        story_brief(store, "s-nope")


def test_brief_texts_without_store() -> None:
    arts = [
        ("Wire A", "Taliban seize Herat",
         "The Taliban captured the western city of Herat on Friday, officials said. "
         "Herat has about 600,000 people."),
        ("Paper B", "Herat falls to the Taliban",
         "Taliban fighters captured Herat, the western city, on Friday. "
         "The city is home to nearly 500,000 people."),
    ]  # fmt: skip
    out = brief_texts(arts, max_sentences=3)
    assert 1 <= len(out) <= 3
    assert any("Herat" in t for t in out)
    sources = " ".join(t + " " + lead for _, t, lead in arts)
    for text in out:
        assert content_tokens(text) - {"wire", "paper", "b"} <= content_tokens(sources)


def test_brief_seeds(tmp_path: Path) -> None:
    seeds = need_shared("seeds")
    db = tmp_path / "seeds.db"
    sitroom.run([seeds], db=db)
    with Store(db) as s:
        stories = s.stories()
        assert stories
        b = story_brief(s, stories[0]["story_id"])
        texts = {a["id"]: a["text"] for a in s.articles(with_text=True)}
    assert b.sentences
    assert any(x.status == "corroborated" and len(set(x.outlets)) == 2 for x in b.sentences)
    for x in b.sentences:
        for c in _all_citations(x):
            assert texts[c.article_id][c.start : c.end] == c.sentence
