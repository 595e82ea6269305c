"""Named days: Christmas, New Year's Day, Easter, Thanksgiving, May Day.

Only days whose date follows from the calendar alone; Ramadan and Eid (lunar), or an
Independence Day (whose country?), are left alone rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from sitroom.timex import calendar
from sitroom.timex.grammar import Doc, Norm, Rule, compile_rule


def easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm of Meeus, Jones and Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ISO ``weekday`` of a month; n = -1 for the last."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = calendar.month_end(dt.date(year, month, 1))
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def _fixed(month: int, day: int) -> Callable[[int], dt.date]:
    return lambda year: dt.date(year, month, day)


HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "christmas": _fixed(12, 25),
    "christmas day": _fixed(12, 25),
    "christmas eve": _fixed(12, 24),
    "boxing day": _fixed(12, 26),
    "new year's day": _fixed(1, 1),
    "new year's eve": _fixed(12, 31),
    "valentine's day": _fixed(2, 14),
    "st. patrick's day": _fixed(3, 17),
    "may day": _fixed(5, 1),
    "bastille day": _fixed(7, 14),
    "halloween": _fixed(10, 31),
    "armistice day": _fixed(11, 11),
    "veterans day": _fixed(11, 11),
    "easter": easter,
    "easter sunday": easter,
    "easter monday": lambda y: easter(y) + dt.timedelta(days=1),
    "good friday": lambda y: easter(y) - dt.timedelta(days=2),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 4, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 4, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 1, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 1, -1),
}


def _n_holiday(m: re.Match[str], doc: Doc) -> Norm | None:
    name = " ".join(m["name"].lower().replace("’", "'").split())
    name = re.sub(r"^(?:saint|st\.?) ", "st. ", name).replace("veterans'", "veterans")
    date_of = HOLIDAYS.get(name)
    if date_of is None:
        return None
    if m["y"]:
        return Norm("DATE", date_of(int(m["y"])).isoformat())
    if doc.ref is None:
        day = date_of(2000)  # movable feasts have no year-free date
        fixed = date_of(2001) == day.replace(year=2001)
        return Norm("DATE", f"XXXX-{day.month:02d}-{day.day:02d}" if fixed else "XXXX-XX-XX")
    rel = (m["rel"] or "").lower()
    days = [date_of(y) for y in (doc.ref.year - 1, doc.ref.year, doc.ref.year + 1)
            if calendar.year_ok(y)]  # fmt: skip
    if rel == "last" and any(d < doc.ref for d in days):
        day = max(d for d in days if d < doc.ref)
    elif rel == "next" and any(d > doc.ref for d in days):
        day = min(d for d in days if d > doc.ref)
    else:
        day = days[
            calendar.nearest(doc.ref, [(d, d) for d in days], doc.direction(m.start(), m.end()))
        ]
    return Norm("DATE", day.isoformat(), anchor=doc.ref_value)


def _accept_holiday(m: re.Match[str], text: str) -> bool:
    # "Christmas Island", "the Easter Rising": part of another name
    return not re.match(r"[^\S\n]+[A-Z][a-z]", text[m.end() : m.end() + 4])


_TRIGGERS = frozenset({"christmas", "boxing", "new", "valentine", "patrick", "may", "bastille",
                       "halloween", "armistice", "veterans", "easter", "good", "thanksgiving",
                       "labor", "memorial"})  # fmt: skip

RULES: list[Rule] = [
    Rule(
        "holiday",
        compile_rule(
            r"(?:(?P<rel>last|next|this)%(_)s)?(?P<name>(?-i:Christmas(?:%(_)s(?:Day|Eve))?"
            r"|Boxing%(_)sDay|New%(_)sYear['’]s%(_)s(?:Day|Eve)|Valentine['’]s%(_)sDay"
            r"|(?:St\.?|Saint)%(_)sPatrick['’]s%(_)sDay|May%(_)sDay|Bastille%(_)sDay|Halloween"
            r"|Armistice%(_)sDay|Veterans['’]?%(_)sDay|Easter(?:%(_)s(?:Sunday|Monday))?"
            r"|Good%(_)sFriday|Thanksgiving(?:%(_)sDay)?|Labor%(_)sDay|Memorial%(_)sDay))"
            r"(?!\w)(?:,?%(_)s(?P<y>(?:1[6-9]|20)\d\d)(?!\d))?"
        ),
        _n_holiday,
        _accept_holiday,
        kind="day",
        priority=1,
        triggers=_TRIGGERS,
        reach=(12, 30),
    ),
]
