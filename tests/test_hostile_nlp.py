"""Hostile news text against the extractors that read spaCy's analysis: places, events,
quotes, claims, the claim checker, and the whole per-article pipeline (``sitroom.api.extract``
on files, ``sitroom.api.run`` into a store). Properties: nothing raises; offsets lie within
the text and slice out the mention's text; coordinates, dates and numbers are well formed.

spaCy, the gazetteer and the embedder load once for the module; the example budget is a
fraction of ``$HYPOTHESIS_PROFILE``'s (``tests/hostile.py``) so the file stays quick in CI.
The two crashes they found (a lone surrogate reaching spaCy; a dependency tree too deep to
recurse) have tests of their own below.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitroom.claims import check, find_claims
from sitroom.claims.extract import find_quantities
from sitroom.errors import InputError
from sitroom.events import extract as extract_events
from sitroom.geo.places import find_places
from sitroom.model import Article
from sitroom.quotes import find_quotes
from sitroom.reading import read
from sitroom.timex import find_times

from .hostile import (
    check_time,
    hostile_documents,
    hostile_refs,
    hostile_settings,
    hostile_texts,
)

_EVENT_MODALITIES = {
    "asserted", "announced", "background", "hedged", "denied", "predicted", "hypothetical",
}  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def _models() -> Iterator[None]:
    """Load spaCy, the gazetteer and the embedder once, outside every example's time."""
    from sitroom.embed import embedder
    from sitroom.geo.gazetteer import gazetteer
    from sitroom.nlp import load

    load("ner")
    gazetteer()
    embedder()
    yield


def _within(text: str, start: int, end: int) -> None:
    assert 0 <= start <= end <= len(text), (start, end, len(text))


def _slice(text: str, start: int, end: int, said: str) -> None:
    _within(text, start, end)
    assert text[start:end] == said, (start, end, text[start:end], said)


def _coords_ok(lat: float, lon: float) -> None:
    assert -90 <= lat <= 90 and -180 <= lon <= 180, (lat, lon)


def _date_ok(value: str | None) -> None:
    if value and value[:1].isdigit() and len(value) >= 10 and value[4] == "-" and "X" not in value:
        dt.date.fromisoformat(value[:10])


# -- places ------------------------------------------------------------------------------------


def check_places(text: str) -> None:
    for p in find_places(text):
        _slice(text, p.start, p.end, p.text)
        _coords_ok(p.latitude, p.longitude)
        assert p.geo_precision in (1, 2, 3), p


@hostile_settings(0.4)
@given(hostile_texts(6, surrogates=False))
def test_hostile_places(text: str) -> None:
    check_places(text)


# -- events ------------------------------------------------------------------------------------


def _where(text: str, title: str | None, role: str) -> str:
    return title.strip() if role == "title" and title else text


def check_events(text: str, published: dt.date | None, title: str | None) -> None:
    for ev in extract_events(text, published, title):
        where = _where(text, title, ev.role)
        _within(where, ev.sentence_start, ev.sentence_end)
        _slice(where, ev.trigger_start, ev.trigger_end, ev.trigger)
        assert ev.time_precision in (1, 2, 3), ev
        assert ev.modality in _EVENT_MODALITIES, ev
        assert ev.fatalities is None or ev.fatalities >= 0, ev
        _date_ok(ev.event_date)
        if ev.location is not None:
            _coords_ok(ev.location.latitude, ev.location.longitude)


@hostile_settings(0.4)
@given(
    hostile_texts(5, surrogates=False),
    hostile_refs(with_datetimes=False),
    st.one_of(st.none(), hostile_texts(1, long_tokens=False, surrogates=False)),
)
def test_hostile_events(text: str, published: dt.date | None, title: str | None) -> None:
    check_events(text, published, title)


# -- quotes ------------------------------------------------------------------------------------


def check_quotes(text: str, title: str | None) -> None:
    for q in find_quotes(text, title):
        where = _where(text, title, q.role_in_text)
        _within(where, q.sentence_start, q.sentence_end)
        _within(where, q.quote_start, q.quote_end)
        assert q.kind in ("direct", "reported", "mixed"), q
        if q.speaker_start >= 0:  # -1: no speaker named
            _within(where, q.speaker_start, q.speaker_end)


@hostile_settings(0.4)
@given(
    hostile_texts(6, long_tokens=False, surrogates=False),
    st.one_of(st.none(), hostile_texts(1, long_tokens=False, surrogates=False)),
)
def test_hostile_quotes(text: str, title: str | None) -> None:
    check_quotes(text, title)


# -- claims ------------------------------------------------------------------------------------


def check_claims(text: str, title: str | None) -> None:
    for c in find_claims(text, title):
        where = _where(text, title, c.role)
        _slice(where, c.sentence_start, c.sentence_end, c.text)
        assert c.kind in ("event", "number", "assessment", "statement"), c
        assert c.polarity in ("positive", "negated"), c
        for q in c.numbers:
            _slice(where, q.start, q.end, q.text)
            assert math.isfinite(q.value) and q.low <= q.high, q
    r = read(text, title)
    tokens = [(t.start, t.end, t.pos) for t in r.analysis.tokens]
    for q in find_quantities(r.text, tokens):  # with spaCy's own tags, as the stage has them
        _slice(r.text, q.start, q.end, q.text)
        assert math.isfinite(q.value) and q.low <= q.high, q


@hostile_settings(0.4)
@given(
    hostile_texts(6, surrogates=False),
    st.one_of(st.none(), hostile_texts(1, long_tokens=False, surrogates=False)),
)
def test_hostile_claims(text: str, title: str | None) -> None:
    check_claims(text, title)


@hostile_settings(0.2)
@given(
    hostile_texts(1, long_tokens=False, surrogates=False),
    st.lists(hostile_texts(4, surrogates=False), min_size=1, max_size=3),
)
def test_hostile_check(claim: str, texts: list[str]) -> None:
    verdicts = check(claim, [(f"a{i}", t) for i, t in enumerate(texts)])
    assert [v.article for v in verdicts] == [f"a{i}" for i in range(len(texts))]
    for v, text in zip(verdicts, texts, strict=True):
        assert v.verdict in ("supports", "contradicts", "discusses", "unrelated"), v
        assert math.isfinite(v.score), v
        for e in v.evidence:
            _within(text, e.start, e.end)


# -- the whole per-article pipeline ------------------------------------------------------------

_STAGES = ["ingest", "clean", "metadata", "dedup", "nlp", "places", "times", "events", "quotes",
           "claims"]  # fmt: skip


def _write_inputs(folder: Path, docs: list[str], published: list[str]) -> int:
    """The documents as the files news arrives in: plain text (lone surrogates written as
    the invalid bytes they become), HTML, JSON and JSON lines. The number of articles."""
    n = 0
    for i, (doc, day) in enumerate(zip(docs, published, strict=True)):
        kind = i % 4
        if kind == 0:
            (folder / f"d{i}.txt").write_bytes(doc.encode("utf-8", "surrogatepass"))
        elif kind == 1:
            body = "".join(f"<p>{p}</p>" for p in doc.split("\n")) or "<p></p>"
            html = f"<html><head><title>{doc[:60]}</title></head><body>{body}</body></html>"
            (folder / f"d{i}.html").write_bytes(html.encode("utf-8", "surrogatepass"))
        elif kind == 2:
            item = {"title": doc[:40], "text": doc, "published": day, "outlet": doc[:10],
                    "url": f"https://example.com/{day.replace('-', '/')}/x"}  # fmt: skip
            (folder / f"d{i}.json").write_text(json.dumps(item), encoding="utf-8")
        else:
            line = json.dumps({"text": doc, "published": day})
            (folder / f"d{i}.jsonl").write_text(line + "\n" + line[::-1] + "\n", "utf-8")
            n += 1  # the reversed line: not JSON, an input error of its own
        n += 1
    return n


def check_article(a: Article) -> None:
    text = a.text
    for p in a.places:
        _slice(text, p.start, p.end, p.text)
        _coords_ok(p.latitude, p.longitude)
    for t in a.times:
        _slice(text, t.start, t.end, t.text)
    for ev in a.events:
        _within(text, ev.sentence_start, ev.sentence_end)
        _within(text, ev.trigger_start, ev.trigger_end)
        _date_ok(ev.event_date)
    for q in a.quotes:
        _within(text, q.quote_start, q.quote_end)
    for c in a.claims:
        _within(text, c.sentence_start, c.sentence_end)
    if a.published:
        dt.date.fromisoformat(a.published)


_DAYS = st.sampled_from(["0001-01-01", "9999-12-31", "2020-02-29", "2021-02-30", "", "13/13/2021",
                         "2021-08-13T25:00:00Z", "Dec. 31, 9999"])  # fmt: skip


@hostile_settings(0.2)
@given(st.lists(st.tuples(hostile_texts(5), _DAYS), min_size=1, max_size=4))
def test_hostile_pipeline_extract(docs: list[tuple[str, str]]) -> None:
    from sitroom.api import extract

    with tempfile.TemporaryDirectory() as tmp:
        expected = _write_inputs(Path(tmp), [d for d, _ in docs], [p for _, p in docs])
        got = list(extract([tmp], stages=_STAGES))
    errors = [x for x in got if isinstance(x, InputError)]
    for x in got:
        if isinstance(x, Article):
            check_article(x)
    # a stage that raised would have dropped its article: every input is accounted for
    assert len(got) == expected, [str(e) for e in errors]


def test_hostile_pipeline_run_into_a_store() -> None:
    """The seeded documents through ``sitroom.api.run``: every stage, the store included."""
    from sitroom.api import run

    docs = hostile_documents(12, seed=99, max_sentences=6, long_tokens=False)
    days = ["0001-01-01", "9999-12-31", "2021-08-13", "2020-02-29"] * 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        _write_inputs(folder, docs, days)
        report: Any = run([folder], db=Path(tmp) / "h.db")
    assert not list(getattr(report, "stage_errors", [])), report.stage_errors
    assert report.added > 0


# -- the seeded documents, spaCy-backed --------------------------------------------------------


def test_hostile_documents_through_the_nlp_extractors() -> None:
    # lone surrogates and 1,200-word runs have their own tests below
    docs = hostile_documents(8, seed=7, max_sentences=6, long_tokens=False, surrogates=False)
    for i, text in enumerate(docs):
        ref = [dt.date.max, dt.date.min, None][i % 3]
        check_places(text)
        check_quotes(text, None)
        check_claims(text, None)
        check_events(text, ref, None)
        for t in find_times(text, ref):
            check_time(text, t)


# -- the crashes these tests found, fixed ---------------------------------------------------------

_SURROGATE = "KABUL, Aug. 13 (Reuters) - Taliban fighters seized \ud800Herat, officials said."


@pytest.mark.parametrize("entry", ["places", "events", "quotes", "claims", "check"])
def test_hostile_lone_surrogate_reaches_spacy(entry: str) -> None:
    # spaCy cannot encode a lone surrogate: it reads U+FFFD in its place, one for one, so
    # every offset holds and a mention's text is the text's with that one character replaced
    from sitroom.nlp import spacy_safe

    text = spacy_safe(_SURROGATE) if entry == "claims" else _SURROGATE
    if entry == "places":
        check_places(text)
    elif entry == "events":
        check_events(text, dt.date(2021, 8, 13), None)
    elif entry == "quotes":
        check_quotes(text, None)
    elif entry == "claims":
        check_claims(text, None)
    else:
        check("Herat fell", [("a", text)])


def test_hostile_quotes_deep_parse_tree() -> None:
    check_quotes("He said " + "May " * 1200, None)
