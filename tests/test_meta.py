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
