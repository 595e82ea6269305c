"""Days and months written out: Aug. 6, 6 August 2021, 2021-08-13, 13/08/2021, March 2020,
in April, last May."""

from __future__ import annotations

import datetime as dt
import re

from sitroom.timex import calendar, lexicon
from sitroom.timex.grammar import (
    MONTH_WORDS,
    NUMERIC_DATES,
    Doc,
    Norm,
    Rule,
    compile_rule,
    point_mod,
)

_ABBREVIATIONS = frozenset({"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                            "oct", "nov", "dec"})  # fmt: skip
_NAMED_DAYS = {"9/11": "2001-09-11", "9-11": "2001-09-11"}


def _year(text: str | None) -> int | None:
    return int(text) if text else None


def month_day(doc: Doc, start: int, end: int, month: int, day: int, year: int | None) -> Norm:
    """A month-day with or without its year; a missing year is the one nearest the reference."""
    if year is None:
        if doc.ref is None:
            return Norm("DATE", f"XXXX-{month:02d}-{day:02d}")
        year = calendar.nearest_year(doc.ref, month, day, doc.direction(start, end))
        try:
            dt.date(year, month, day)
        except ValueError:
            return Norm("DATE", f"XXXX-{month:02d}-{day:02d}")
        return Norm("DATE", f"{year:04d}-{month:02d}-{day:02d}", anchor=doc.ref_value)
    try:
        return Norm("DATE", dt.date(year, month, day).isoformat())
    except ValueError:
        return Norm("DATE", f"{year:04d}-{month:02d}-XX")


def _n_named_day(m: re.Match[str], doc: Doc) -> Norm | None:
    """ "9/11": a date that names an event, written like a fraction."""
    return Norm("DATE", _NAMED_DAYS[m.group().replace("-", "/")])


def _n_iso(m: re.Match[str], doc: Doc) -> Norm | None:
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    try:
        value = dt.date(y, mo, d).isoformat()
    except ValueError:
        return None
    if m["hh"]:
        return Norm("TIME", f"{value}T{m['hh']}:{m['mm']}")
    return Norm("DATE", value)


def _n_numeric(m: re.Match[str], doc: Doc) -> Norm | None:
    a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
    if len(m["y"]) == 2:
        y += 2000 if y < 50 else 1900
    # day-first only where it cannot be month-first, or with dots (13.08.2021, never US)
    day, month = (a, b) if a > 12 or m["sep"] == "." else (b, a)
    if month > 12:
        return None
    try:
        return Norm("DATE", dt.date(y, month, day).isoformat())
    except ValueError:
        return None


def _n_month_day(m: re.Match[str], doc: Doc) -> Norm | None:
    month = lexicon.month_of(m["mon"])
    day = int(re.sub(r"\D", "", m["day"]))  # "6th" -> 6
    if month is None:
        return None
    norm = month_day(doc, m.start(), m.end(), month, day, _year(m["y"]))
    return Norm(norm.type, norm.value, point_mod(m["pre"]), norm.anchor)


def _n_month_year(m: re.Match[str], doc: Doc) -> Norm | None:
    month = lexicon.month_of(m["mon"])
    return Norm("DATE", f"{int(m['y']):04d}-{month:02d}", point_mod(m["pre"])) if month else None


def _n_month(m: re.Match[str], doc: Doc) -> Norm | None:
    month = lexicon.month_of(m["mon"])
    if month is None:
        return None
    mod = point_mod(m["pre"])
    rel = (m["rel"] or "").lower().split()
    yrel = (m["yrel"] or "").lower()
    if doc.ref is None:
        if yrel or rel:
            return Norm("DATE", f"XXXX-{month:02d}", mod)
        return Norm("DATE", f"XXXX-{month:02d}", mod)
    ref = doc.ref
    if yrel:
        year = ref.year + {"last": -1, "this": 0, "next": 1}[yrel.split()[0]]
    elif rel and rel[-1] in ("last", "past"):
        # "last February" said in March is not the month just gone (that is "last month")
        year = ref.year if month < ref.month - 1 else ref.year - 1
    elif rel and rel[-1] in ("next", "coming"):
        year = ref.year if month > ref.month else ref.year + 1
    elif rel:  # "this May": the year's own
        year = ref.year
    else:
        year = calendar.nearest_year(ref, month, None, doc.direction(m.start(), m.end()))
    if not calendar.year_ok(year):
        return None  # "next May" said in 9999
    return Norm("DATE", f"{year:04d}-{month:02d}", mod, doc.ref_value)


def _accept_month(m: re.Match[str], text: str) -> bool:
    """A bare month name is a date after a lead-in word, never as a name or a verb."""
    if m["rel"] or m["pre"] or m["yrel"]:
        return True
    start = m.start("mon")
    before = re.findall(r"[A-Za-z]+|[^\sA-Za-z]", text[max(0, start - 24) : start])
    after = text[m.end() : m.end() + 20]
    name = m["mon"]
    abbreviated = name.endswith(".") or name.lower() in _ABBREVIATIONS
    if before and before[-1].lower() in lexicon.DETERMINERS and not abbreviated:
        # "a June agreement" names a month; "the March on Washington" does not
        nxt = re.match(r"[^\S\n]+([a-z]+)", after)
        return nxt is not None and nxt.group(1) not in lexicon.FUNCTION_WORDS
    if not before or before[-1].lower() not in lexicon.LEAD_IN:
        return False
    if name.endswith(".") or (len(name) <= 4 and name.lower() not in ("may", "june", "july")):
        # "Jan" and "Mar." alone are names or typos more often than months
        return name.endswith(".") and before[-1].lower() in ("in", "since", "until", "by")
    # "in May the president ..." is a month, "in May Smith said" a name: a capitalised
    # word straight after (not a sentence start) makes it a name
    nxt = re.match(r"[^\S\n]+([A-Z][a-z]+)", after)
    if nxt and nxt.group(1) not in ("The", "A", "An", "I", "It", "He", "She", "They", "We"):
        return before[-1].lower() in ("in", "since", "until", "by", "during", "of", "early",
                                      "late", "mid", "last", "next", "this")  # fmt: skip
    return True


RULES: list[Rule] = [
    Rule(
        "iso",
        compile_rule(
            r"(?<![\w-])(?P<y>(?:1[6-9]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)"
            r"(?:[T ](?P<hh>[0-2]\d):(?P<mm>[0-5]\d)(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
            r"(?![\w-])"
        ),
        _n_iso,
        kind="day",
        priority=2,
        triggers=NUMERIC_DATES,
        reach=(2, 40),
    ),
    Rule(
        "numeric",
        compile_rule(
            r"(?<![\w/.-])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)"
            r"(?P<y>(?:1[6-9]|20)\d\d|(?<=/)\d\d)(?![\w/-]|\.\d)"
        ),
        _n_numeric,
        kind="day",
        priority=2,
        triggers=NUMERIC_DATES,
        reach=(10, 20),
    ),
    Rule(
        "named-day",
        compile_rule(r"(?<![\w/.-])9[/-]11(?![\w/-]|\.\d)"),
        _n_named_day,
        kind="day",
        triggers=NUMERIC_DATES,
        reach=(2, 8),
    ),
    Rule(
        "month-day",
        compile_rule(
            r"(?:(?P<wd>%(WEEKDAY)s),?%(_)s)?%(PRE)s(?P<mon>%(MONTH)s)%(_)s?(?:the%(_)s)?"
            r"(?P<day>%(DAY)s)(?:(?:,%(_)s?|%(_)s)(?:of%(_)s)?(?P<y>%(YEAR)s))?"
        ),
        _n_month_day,
        kind="day",
        priority=1,
        triggers=MONTH_WORDS,
        reach=(50, 25),
    ),
    Rule(
        "day-month",
        compile_rule(
            r"(?:(?P<wd>%(WEEKDAY)s),?%(_)s)?%(PRE)s(?:the%(_)s)?(?P<day>%(DAY)s)%(_)s(?:of%(_)s)?"
            r"(?P<mon>%(MONTH)s)(?:,?%(_)s(?P<y>%(YEAR)s))?"
        ),
        _n_month_day,
        kind="day",
        priority=1,
        triggers=MONTH_WORDS,
        reach=(50, 12),
    ),
    Rule(
        "month-year",
        compile_rule(r"%(PRE)s(?P<mon>%(MONTH)s),?%(_)s(?:of%(_)s)?(?P<y>%(YEAR)s)"),
        _n_month_year,
        triggers=MONTH_WORDS,
        reach=(45, 15),
    ),
    Rule(
        "month",
        compile_rule(
            r"%(PRE)s(?:%(REL)s%(_)s)?(?:the%(_)smonth%(_)sof%(_)s)?(?P<mon>%(MONTH)s)%(YREL)s?"
        ),
        _n_month,
        _accept_month,
        triggers=MONTH_WORDS,
        reach=(45, 20),
    ),
]
