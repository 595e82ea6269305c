"""Dates written in news text: parsing them, and the weekday arithmetic that anchors them."""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "FullDate",
    "find_full_dates",
    "lede_weekday",
    "make_date",
    "parse_date_value",
    "weekday_after",
    "weekday_near",
    "year_for",
]

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

MONTH_RE = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY_RE = r"(?P<wd>Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"

_FULL = re.compile(
    rf"(?:{WEEKDAY_RE},?\s+)?(?:{MONTH_RE}\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+|"
    rf"(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH_RE.replace('mon', 'mon2')},?\s+)"
    r"(?P<y>(?:19|20)\d\d)\b"
)
_ISO_SHAPED = re.compile(r"\d{4}-\d\d-\d\d(?:$|[T ])")
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")

# A weekday that names the day the news happened: "on Friday", "said Friday", "early Friday";
# not "last Friday", "next Friday", "Friday's", "since Friday".
_LEDE_WEEKDAY = re.compile(
    rf"(?<!last )(?<!next )(?<!since )(?<!until )(?<!before )(?<!after )(?<!by )"
    rf"\b{WEEKDAY_RE}\b(?!['’]s)(?! night['’]s)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FullDate:
    """A date written with day, month and year in ``text[start:end]``."""

    date: dt.date
    start: int
    end: int
    weekday_ok: bool | None  # the weekday written next to it matches (None: none written)


def month_number(name: str) -> int:
    return MONTHS[name[:3].lower()]


def weekday_number(name: str) -> int:
    return WEEKDAYS.index(name.lower() if name.lower().endswith("day") else name.lower() + "day")


def find_full_dates(text: str) -> list[FullDate]:
    """Every day-month-year date in ``text`` ("Aug. 12, 2021", "12 August 2021", ISO)."""
    out: list[FullDate] = []
    for m in _FULL.finditer(text):
        mon = m.group("mon") or m.group("mon2")
        day = int(m.group("d1") or m.group("d2"))
        d = make_date(int(m.group("y")), month_number(mon), day)
        if d is None:
            continue
        ok = None if not m.group("wd") else d.weekday() == weekday_number(m.group("wd"))
        out.append(FullDate(d, m.start(), m.end(), ok))
    for m in _ISO.finditer(text):
        d = make_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d is None:
            continue
        out.append(FullDate(d, m.start(), m.end(), None))
    return sorted(out, key=lambda f: f.start)


def lede_weekday(text: str) -> tuple[int, str] | None:
    """The first weekday the lede uses for the day of the news: (weekday number, as written)."""
    m = _LEDE_WEEKDAY.search(text)
    if not m:
        return None
    return weekday_number(m.group("wd")), m.group(0)


def add_days(d: dt.date, n: int) -> dt.date | None:
    """``d`` moved by ``n`` days, or None when that leaves 0001-01-01..9999-12-31."""
    try:
        return d + dt.timedelta(days=n)
    except OverflowError:
        return None


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when there is no such day (Feb. 30, day 0, month 13, year 0)."""
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def weekday_after(anchor: dt.date, weekday: int, max_days: int = 6) -> dt.date | None:
    """The first date on or after ``anchor`` that falls on ``weekday``, within ``max_days``
    (None when that is past 9999-12-31)."""
    delta = (weekday - anchor.weekday()) % 7
    return add_days(anchor, delta) if delta <= max_days else None


def weekday_near(anchor: dt.date, weekday: int, max_days: int = 3) -> dt.date | None:
    """The date nearest ``anchor`` that falls on ``weekday``, within ``max_days`` either way,
    on the calendar (an anchor of 0001-01-01 or 9999-12-31 has no day on one side)."""
    fwd = (weekday - anchor.weekday()) % 7
    back = 7 - fwd if fwd else 0
    ahead = add_days(anchor, fwd) if fwd <= max_days else None
    behind = add_days(anchor, -back) if back <= max_days else None
    if ahead and (fwd <= back or behind is None):
        return ahead
    return behind


def year_for(month: int, day: int, anchor: dt.date, weekday: int | None = None) -> int | None:
    """The year that puts ``month/day`` closest to ``anchor`` (a date from the same context).

    ``weekday`` is the lede's weekday ("on Friday"): the news happened that day and was
    published on it or up to two days after, so a year whose date breaks that is refused.
    """
    best: tuple[int, int] | None = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = make_date(y, month, day)
        if d is None:
            continue
        if weekday is not None and (d.weekday() - weekday) % 7 > 2:
            continue
        dist = abs((d - anchor).days)
        if best is None or dist < best[0]:
            best = (dist, y)
    if best is None or best[0] > 200:
        return None
    return best[1]


def parse_date_value(value: object) -> dt.date | None:
    """A date from an explicit field: ISO 8601, RFC 822 (feeds), or a written date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 0 < value < 1e11:  # epoch seconds
        return dt.datetime.fromtimestamp(value, tz=dt.UTC).date()
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    try:
        return dt.datetime.fromisoformat(s.replace("Z", "+00:00")).date()
    except ValueError:
        if _ISO_SHAPED.match(s):
            return None  # "2021-13-01", "2021-02-30": no such day, not a puzzle to reread
    try:
        return email.utils.parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        pass
    found = find_full_dates(s)
    if found:
        return found[0].date
    return _dateparser(s)


def _dateparser(s: str) -> dt.date | None:
    import dateparser  # slow import; only odd formats need it

    got = dateparser.parse(s, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["year"]})
    return got.date() if got else None
