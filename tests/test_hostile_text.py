"""Hostile news text against the extractors that need no language model: cleaning, metadata,
time expressions, numbers and dates. Properties: nothing raises; every offset lies within its
text and slices out the mention's own text; every value is well formed (TimeML values parse,
dates are on the calendar, numbers are finite).

The example budget follows ``$HYPOTHESIS_PROFILE`` (``tests/hostile.py``): "ci" by default,
"soak" for a long run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitroom.claims.extract import find_dates, find_quantities, number_value
from sitroom.meta.dateline import find_dateline
from sitroom.meta.dates import (
    find_full_dates,
    lede_weekday,
    parse_date_value,
    weekday_after,
    weekday_near,
    year_for,
)
from sitroom.model import Article, Batch
from sitroom.options import Options
from sitroom.stages import Resources
from sitroom.stages.clean import clean_article
from sitroom.stages.metadata import article_metadata, metadata
from sitroom.text.clean import Cleaned, clean_html, clean_plain
from sitroom.timex import find_times
from sitroom.timex.lexicon import parse_number

from .hostile import (
    DATES,
    NUMBERS,
    check_time,
    hostile_dates,
    hostile_documents,
    hostile_html,
    hostile_numbers,
    hostile_refs,
    hostile_settings,
    hostile_texts,
)


def check_times(text: str, ref: dt.date | dt.datetime | None) -> None:
    found = find_times(text, ref)
    for t in found:
        check_time(text, t)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


def check_cleaned(text: str, c: Cleaned) -> None:
    for r in c.removed:
        assert 0 <= r.start <= r.end <= len(c.text), r
        assert c.text[r.start : r.end] == r.text, r
    for cs, os_, n in c.offsets.segments:
        assert os_ >= 0 and os_ + n <= len(c.text)
        assert c.clean_text[cs : cs + n] == c.text[os_ : os_ + n]


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """A crude tagging, like spaCy's where it matters here: a token that starts with a digit
    (or a fraction or a currency sign) is a NUM."""
    out = []
    for m in re.finditer(r"\S+", text):
        w = m.group()
        pos = (
            "NUM" if w[0].isdigit() or w[0] in "½¾⅓$£€¥" else "PROPN" if w[0].isupper() else "NOUN"
        )
        out.append((m.start(), m.end(), pos))
    return out


def check_quantities(text: str) -> None:
    for tokens in ((), _tokens(text)):
        for q in find_quantities(text, tokens):
            assert 0 <= q.start < q.end <= len(text), q
            assert text[q.start : q.end] == q.text, q
            assert math.isfinite(q.value), q
            assert q.low <= q.high, q
            assert not math.isnan(q.low) and not math.isnan(q.high), q
            assert q.total is None or math.isfinite(q.total), q


# -- cleaning ----------------------------------------------------------------------------------


@hostile_settings()
@given(hostile_texts(), st.one_of(st.none(), hostile_texts(1, long_tokens=False)))
def test_hostile_clean_plain(text: str, title: str | None) -> None:
    check_cleaned(text, clean_plain(text, title))


@hostile_settings()
@given(hostile_html(), st.sampled_from([None, "https://example.com/2021/02/30/x", "::"]))
def test_hostile_clean_html(html: str, url: str | None) -> None:
    check_cleaned(html, clean_html(html, url))


# -- metadata ----------------------------------------------------------------------------------


def _article(i: int, text: str, published: object = None, url: str | None = None) -> Article:
    fields = {} if published is None else {"published": published}
    return Article(path=f"h{i}.txt", id=f"h{i}", raw=text, raw_format="text", fields=fields,
                   url=url)  # fmt: skip


def _cleaned(a: Article) -> bool:
    from sitroom.errors import ParseError

    try:
        clean_article(a)
    except ParseError:
        return False  # "no article text left": the clean stage's own answer, not a crash
    return True


def check_metadata(a: Article) -> None:
    if a.published is not None:
        assert dt.date.fromisoformat(a.published), a.published
    assert a.title is None or isinstance(a.title, str)
    assert isinstance(a.date_source, str)


_URLS = [None, "https://example.com/2021/02/30/story", "https://example.com/0000/13/00/x",
         "https://example.com/9999/12/31/x", "not a url", "https://reuters.com/x"]  # fmt: skip


@hostile_settings()
@given(
    hostile_texts(6),
    st.one_of(st.none(), hostile_dates(), hostile_refs(with_none=False), st.integers(),
              st.floats()),
    st.sampled_from(_URLS),
)  # fmt: skip
def test_hostile_metadata_one_article(text: str, published: object, url: str | None) -> None:
    a = _article(0, text, published, url)
    if _cleaned(a):
        article_metadata(a)
        check_metadata(a)


@hostile_settings(0.5)
@given(st.lists(st.tuples(hostile_texts(4, long_tokens=False), st.one_of(
    st.none(), st.sampled_from(["0001-01-01", "9999-12-31", "2020-02-29", "2021-08-13"]))),
    min_size=1, max_size=5))  # fmt: skip
def test_hostile_metadata_batch(docs: list[tuple[str, str | None]]) -> None:
    """Step 7 anchors undated reports on the others' dates, the calendar's edges too."""
    arts = [a for i, (t, p) in enumerate(docs) if _cleaned(a := _article(i, t, p))]
    for a in metadata(Batch(articles=arts), Resources(archive=None), Options()).articles:  # type: ignore[arg-type]
        check_metadata(a)


# -- times -------------------------------------------------------------------------------------


@hostile_settings(2)
@given(hostile_texts(), hostile_refs())
def test_hostile_times(text: str, ref: dt.date | dt.datetime | None) -> None:
    check_times(text, ref)


@hostile_settings()
@given(st.lists(hostile_dates(), min_size=1, max_size=6), hostile_refs())
def test_hostile_times_dense_dates(parts: list[str], ref: dt.date | dt.datetime | None) -> None:
    check_times(" and ".join(parts) + ", officials will say.", ref)


# -- numbers and dates in claims ---------------------------------------------------------------


@hostile_settings(2)
@given(hostile_texts())
def test_hostile_find_quantities(text: str) -> None:
    check_quantities(text)
    for key in find_dates(text):
        assert key


@hostile_settings()
@given(st.lists(hostile_numbers(), min_size=1, max_size=5))
def test_hostile_number_phrases(parts: list[str]) -> None:
    check_quantities("Officials said " + " and ".join(parts) + " were killed.")


@pytest.mark.parametrize("written", NUMBERS + DATES)
def test_hostile_number_parsers_are_total(written: str) -> None:
    for s in (written, written.split()[0], written.replace(" ", "")):
        v = number_value(s)
        assert v is None or math.isfinite(v)
        n = parse_number(s)
        assert n is None or math.isfinite(n)


# -- dates in metadata -------------------------------------------------------------------------

_EDGES = [dt.date.min, dt.date.max, dt.date(1, 1, 6), dt.date(9999, 12, 26)]


@pytest.mark.parametrize("anchor", _EDGES)
def test_hostile_weekday_arithmetic_at_the_calendars_edges(anchor: dt.date) -> None:
    for weekday in range(7):
        for got in (weekday_near(anchor, weekday), weekday_after(anchor, weekday)):
            assert got is None or got.weekday() == weekday
        for month, day in ((1, 1), (12, 31), (2, 29)):
            y = year_for(month, day, anchor, weekday)
            assert y is None or 1 <= y <= 9999


@hostile_settings()
@given(hostile_texts(4))
def test_hostile_datelines_and_written_dates(text: str) -> None:
    dl = find_dateline(text)
    if dl is not None:
        assert 0 <= dl.start <= dl.end <= len(text)
        if dl.month is not None and dl.day is not None:
            assert dt.date(dl.year or 2000, dl.month, dl.day)
    for f in find_full_dates(text):
        assert 0 <= f.start < f.end <= len(text)
    lede_weekday(text)


@pytest.mark.parametrize("value", [*DATES, "9999-12-31T23:59:59-12:00", "0001-01-01T00:00Z"])
def test_hostile_explicit_date_values(value: str) -> None:
    got = parse_date_value(value)
    assert got is None or isinstance(got, dt.date)


# -- the plain generator -----------------------------------------------------------------------


def test_hostile_documents_are_reproducible_and_hostile() -> None:
    docs = hostile_documents(200, seed=13)
    assert docs == hostile_documents(200, seed=13)
    assert docs != hostile_documents(200, seed=14)
    joined = "".join(docs)
    for needle in ("(", "\u00a0", "½", "/0"):
        assert needle in joined, needle
    assert any(len(d) > 10_000 for d in docs)
    assert any(re.search("[\ud800-\udfff]", d) for d in docs)
    clean = hostile_documents(50, seed=1, long_tokens=False, surrogates=False)
    assert all(len(d) < 10_000 for d in clean)
    "".join(clean).encode("utf-8")


def test_hostile_documents_through_the_fast_extractors() -> None:
    """A seeded batch, no hypothesis: what a benchmark would feed in."""
    for i, text in enumerate(hostile_documents(40, seed=2021)):
        ref = [dt.date.min, dt.date.max, None, dt.date(2021, 8, 13)][i % 4]
        check_times(text, ref)
        check_quantities(text)
        check_cleaned(text, clean_plain(text))
