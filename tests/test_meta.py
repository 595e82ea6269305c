"""Datelines, written dates and outlet names."""

from __future__ import annotations

import datetime as dt

import pytest

from sitroom.meta.dateline import find_dateline
from sitroom.meta.dates import (
    find_full_dates,
    lede_weekday,
    parse_date_value,
    weekday_after,
    weekday_near,
    year_for,
)
from sitroom.meta.outlets import credit_outlet, outlets, self_reference


@pytest.mark.parametrize(
    ("text", "place", "month", "day", "year", "outlet"),
    [
        ("BEIRUT, March 4 (Reuters) - Talks resumed.", "BEIRUT", 3, 4, None, "Reuters"),
        ("LIMA, Peru, 4 March 2022 (AFP) — Talks resumed.", "LIMA, Peru", 3, 4, 2022, "AFP"),
        ("WASHINGTON (AP) — Talks resumed.", "WASHINGTON", None, None, None, "AP"),
        ("(CNN) — Talks resumed.", None, None, None, None, "CNN"),
        ("NAIROBI, Kenya — Talks resumed.", "NAIROBI, Kenya", None, None, None, None),
    ],
)
def test_dateline_forms(
    text: str,
    place: str | None,
    month: int | None,
    day: int | None,
    year: int | None,
    outlet: str | None,
) -> None:
    d = find_dateline(text)
    assert d is not None
    assert (d.place, d.month, d.day, d.year, d.outlet) == (place, month, day, year, outlet)


@pytest.mark.parametrize(
    "text", ["The Taliban - who took the city - said.", "Talks resumed on Monday.", ""]
)
def test_dateline_absent(text: str) -> None:
    assert find_dateline(text) is None


def test_dates_full_dates_and_weekday_check() -> None:
    got = find_full_dates("Seen Thursday, Aug. 12, 2021 and Friday, Aug. 12, 2021; 2021-08-14.")
    assert [(f.date.isoformat(), f.weekday_ok) for f in got] == [
        ("2021-08-12", True),
        ("2021-08-12", False),
        ("2021-08-14", None),
    ]


def test_dates_lede_weekday_skips_other_weeks() -> None:
    assert lede_weekday("Since Monday and after last Tuesday, officials said on Friday") == (
        4,
        "Friday",
    )
    assert lede_weekday("Officials met last Friday.") is None


def test_dates_weekday_arithmetic() -> None:
    thu = dt.date(2021, 8, 12)
    assert weekday_after(thu, 4) == dt.date(2021, 8, 13)
    assert weekday_after(thu, 3) == thu
    assert weekday_near(dt.date(2021, 8, 13), 3) == thu
    assert year_for(8, 13, dt.date(2021, 8, 11)) == 2021
    # Aug 13 fell on a Friday in 2021; a lede weekday of Friday refuses 2020 and 2022
    assert year_for(8, 13, dt.date(2021, 3, 1), weekday=4) == 2021
    assert year_for(8, 13, dt.date(2022, 3, 1)) == 2022
    assert year_for(8, 13, dt.date(2001, 9, 11), weekday=4) is None
    assert year_for(1, 2, dt.date(2021, 12, 30)) == 2022


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("2021-08-13T10:15:00Z", "2021-08-13"),
        ("Fri, 13 Aug 2021 08:05:00 +0000", "2021-08-13"),
        ("August 13, 2021", "2021-08-13"),
        (1628848800, "2021-08-13"),
        ("not a date", None),
    ],
)
def test_dates_parse_explicit_values(value: object, want: str | None) -> None:
    got = parse_date_value(value)
    assert (got.isoformat() if got else None) == want


def test_outlets_lookup_and_urls() -> None:
    idx = outlets()
    assert idx.canonical("AP") == "Associated Press"
    assert idx.canonical("the BBC") == "BBC"
    assert idx.canonical("Valley Times - World News") == "Valley Times"
    assert idx.by_url("https://www.reuters.com/world/asia/x") == ("Reuters", "reuters.com")
    assert idx.by_url("https://news.valleytimes.example/a") == (None, "news.valleytimes.example")


def test_outlets_self_reference_needs_a_clear_winner() -> None:
    idx = outlets()
    text = (
        "An official told NBC News the city fell. A lawmaker confirmed to NBC News that it had. "
        "A spokesman told Al Jazeera the group would talk. Officials told reporters little."
    )
    assert self_reference(text, idx) == ("NBC News", 2)
    one_each = "An official told Reuters. A minister told the BBC. A spokesman told Al Jazeera."
    assert self_reference(one_each, idx) is None


def test_outlets_bylines_and_copyright_lines() -> None:
    idx = outlets()
    assert credit_outlet(["By Sara Malik | Kabul Ledger"], idx) == ("Kabul Ledger", "byline")
    assert credit_outlet(["Farid Noori | Kabul Ledger | 12 August 2021"], idx) == (
        "Kabul Ledger",
        "byline",
    )
    assert credit_outlet(["© 2021 Daily Sentinel. All rights reserved."], idx) == (
        "Daily Sentinel",
        "copyright line",
    )


# -- crash sites found in real news (issue 13): an impossible date is no date -----------------


@pytest.mark.parametrize(
    "text",
    [
        "KABUL, Feb. 30, 2021 (Reuters) - The Taliban entered the city.",
        "KABUL, Feb. 29, 2021 (Reuters) - The Taliban entered the city.",  # not a leap year
        "KABUL, 30 February (Reuters) - The Taliban entered the city.",
        "KABUL, Aug. 0 (Reuters) - The Taliban entered the city.",
        "KABUL, Aug. 32, 2021 (Reuters) - The Taliban entered the city.",
        "KABUL, Sept. 31 (Reuters) - The Taliban entered the city.",
    ],
)
def test_dateline_impossible_date_is_no_date(text: str) -> None:
    dl = find_dateline(text)
    assert dl is not None
    assert (dl.place, dl.outlet) == ("KABUL", "Reuters")  # still a dateline
    assert (dl.month, dl.day, dl.year) == (None, None, None)


def test_dateline_leap_days_that_exist() -> None:
    dl = find_dateline("KABUL, Feb. 29, 2020 (Reuters) - Talks began.")
    assert dl is not None and (dl.month, dl.day, dl.year) == (2, 29, 2020)
    dl = find_dateline("KABUL, Feb. 29 (Reuters) - Talks began.")  # some year has it
    assert dl is not None and (dl.month, dl.day, dl.year) == (2, 29, None)


@pytest.mark.parametrize(
    "anchor", [dt.date.min, dt.date.max, dt.date(1, 1, 3), dt.date(9999, 12, 29)]
)
def test_dates_weekday_arithmetic_at_the_calendars_edges(anchor: dt.date) -> None:
    for weekday in range(7):
        near = weekday_near(anchor, weekday)
        assert near is None or (near.weekday() == weekday and abs((near - anchor).days) <= 3)
        after = weekday_after(anchor, weekday)
        assert after is None or (after.weekday() == weekday and after >= anchor)
    # 0001-01-01 is a Monday: the Friday three days before it is off the calendar, and the
    # one after is four days on; 9999-12-31 is a Friday, the Monday after it off the calendar
    assert weekday_near(dt.date.min, 4) is None
    assert weekday_near(dt.date.min, 3) == dt.date(1, 1, 4)
    assert weekday_near(dt.date.max, 0) is None
    assert weekday_near(dt.date.max, 1) == dt.date(9999, 12, 28)
    assert weekday_after(dt.date.max, 0) is None


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("9999-12-31", "9999-12-31"),
        ("0001-01-01", "0001-01-01"),
        ("2021-02-30", None),
        ("2021-13-01", None),  # not reread as day 13 of January
        ("0000-01-01", None),
        ("99999-01-01", None),
        ("Feb. 30, 2021", None),
    ],
)
def test_dates_explicit_values_at_the_calendars_edges(value: str, want: str | None) -> None:
    got = parse_date_value(value)
    assert (got.isoformat() if got else None) == want


def _stage(texts: list[str], published: list[str | None]) -> list[object]:
    from sitroom.model import Article, Batch
    from sitroom.options import Options
    from sitroom.stages import Resources
    from sitroom.stages.clean import clean_article
    from sitroom.stages.metadata import metadata

    arts = []
    for i, (t, p) in enumerate(zip(texts, published, strict=True)):
        a = Article(path=f"a{i}.txt", id=f"id{i}", raw=t, raw_format="text",
                    fields={} if p is None else {"published": p})  # fmt: skip
        arts.append(clean_article(a))
    batch = metadata(Batch(articles=arts), Resources(archive=None), Options())  # type: ignore[arg-type]
    return [(a.published, a.date_source) for a in batch.articles]


def test_metadata_impossible_dateline_date_is_no_date() -> None:
    text = (
        "KABUL, Feb. 30, 2021 (Reuters) - The Taliban entered the city on Friday, officials said."
    )
    ((published, source),) = _stage([text], [None])
    assert published is None and source == "unknown"


def test_metadata_batch_anchored_at_the_calendars_edges() -> None:
    """Step 7 puts an undated report's lede weekday next to the batch's dates: 0001-01-01 has
    no Friday three days before it, 9999-12-31 no Monday three days after."""
    others = ["Officials said the city fell.", "Officials said it fell."]
    lede = "Taliban fighters entered the city on {}, officials said, and more followed."
    for weekday, day, want in (
        ("Friday", "0001-01-01", None),
        ("Thursday", "0001-01-01", "0001-01-04"),
        ("Monday", "9999-12-31", None),
        ("Tuesday", "9999-12-31", "9999-12-28"),
    ):
        got = _stage([lede.format(weekday), *others], [None, day, day])
        assert got[0][0] == want, (weekday, day, got)
