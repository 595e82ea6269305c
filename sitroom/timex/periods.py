"""Parts of a year: the third quarter, Q3 2021, the first half of 2021, last summer."""

from __future__ import annotations

import re

from sitroom.timex import calendar, lexicon
from sitroom.timex.grammar import (
    Doc,
    Norm,
    Rule,
    compile_rule,
    point_mod,
)


def _year(text: str | None) -> int | None:
    return int(text) if text else None


_QUARTER_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                "fourth": 4, "4th": 4, "final": 4}  # fmt: skip


def quarter_year(doc: Doc, start: int, end: int, quarter: int) -> int | None:
    """The year of a quarter named without one: this year's if it has begun, else last
    year's, unless the clause speaks of the future."""
    if doc.ref is None:
        return None
    current = (doc.ref.month - 1) // 3 + 1
    if quarter <= current or doc.direction(start, end) > 0:
        return doc.ref.year
    return doc.ref.year - 1 if calendar.year_ok(doc.ref.year - 1) else None


def _n_quarter(m: re.Match[str], doc: Doc) -> Norm | None:
    """the third quarter, Q3 2021, third-quarter, the 1988 quarter."""
    year = _year(m["y1"] or m["y2"] or m["y3"] or m["y4"])
    anchor = None
    if m["bare"]:
        # "the 1988 quarter": the quarter under discussion, in that year
        focus = doc.focus(m.start(), "quarter", 1500)
        parsed = calendar.parse(focus) if focus else None
        if year and parsed and parsed[1] == "quarter":
            return Norm("DATE", f"{year:04d}-Q{(parsed[0].month - 1) // 3 + 1}", anchor=focus)
        return Norm("DATE", f"{year:04d}") if year else None
    q = _QUARTER_ORD[m["ord"].lower()] if m["ord"] else int(m["qn"])
    yrel = (m["yrel"] or "").lower()
    if year is None and yrel and doc.ref:
        year = doc.ref.year + {"last": -1, "this": 0, "next": 1}[yrel]
        anchor = doc.ref_value
    elif year is None:
        year = quarter_year(doc, m.start(), m.end(), q)
        anchor = doc.ref_value
        if year is None and doc.ref is not None:
            return None  # the year before 0001
    if year is not None and not calendar.year_ok(year):
        return None
    if year is None:
        return Norm("DATE", f"XXXX-Q{q}")
    return Norm("DATE", f"{year:04d}-Q{q}", anchor=anchor)


def _n_half(m: re.Match[str], doc: Doc) -> Norm | None:
    h = 1 if m["ord"].lower() == "first" else 2
    year = _year(m["y"])
    yrel = (m["yrel"] or "").lower()
    if year is None and doc.ref:
        year = doc.ref.year + {"last": -1, "this": 0, "next": 1, "the": 0}.get(yrel, 0)
        if not calendar.year_ok(year):
            return None
    return Norm("DATE", f"{year:04d}-H{h}" if year else f"XXXX-H{h}")


def _n_season(m: re.Match[str], doc: Doc) -> Norm | None:
    code = lexicon.SEASONS[m["season"].lower()]
    mod = point_mod(m["pre"])
    if m["y"]:
        return Norm("DATE", f"{int(m['y']):04d}-{code}", mod)
    if doc.ref is None:
        return Norm("DATE", f"XXXX-{code}", mod)
    ref = doc.ref
    rel = (m["rel"] or "").lower().split()
    season_now = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU",
                  8: "SU", 9: "FA", 10: "FA", 11: "FA"}[ref.month]  # fmt: skip
    order = ["WI", "SP", "SU", "FA"]
    after = order.index(code) > order.index(season_now)
    year = ref.year
    if rel and rel[-1] in ("last", "past"):
        year = ref.year - 1 if after or code == season_now else ref.year
    elif rel and rel[-1] in ("next", "coming"):
        year = ref.year if after else ref.year + 1
    elif not rel or rel[-1] not in ("this",):
        direction = doc.direction(m.start(), m.end())
        if direction < 0 and after:
            year -= 1
        elif direction > 0 and not after and code != season_now:
            year += 1
    if not calendar.year_ok(year):
        return None
    return Norm("DATE", f"{year:04d}-{code}", mod, doc.ref_value)


def _accept_season(m: re.Match[str], text: str) -> bool:
    if m["y"] or m["rel"] or m["pre"]:
        return True
    word = m["season"]
    before = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 16) : m.start()])
    if word[0].isupper() and before and before[-1][0].isupper():
        return False  # "Arab Spring", "Operation Winter"
    after = text[m.end() : m.end() + 12]
    if re.match(r"\s+of\s+(?!(?:19|20)\d\d)", after):
        return False  # "the fall of Kabul"
    if m["the"]:
        return bool(before) and before[-1].lower() in lexicon.LEAD_IN
    return bool(before) and before[-1].lower() in (
        "in",
        "during",
        "since",
        "until",
        "by",
        "this",
        "last",
        "next",
        "early",
        "late",
    )


RULES: list[Rule] = [
    Rule(
        "quarter",
        compile_rule(
            # "the" belongs to "the third quarter", not to "the third-quarter results"
            r"(?:the%(_)s(?=(?:(?:%(YEAR)s|fiscal)%(_)s)*(?:first|second|third|fourth|1st|2nd"
            r"|3rd|4th|final)%(_)s(?:fiscal%(_)s)?quarter|%(YEAR)s%(_)s(?:quarter|period)))?"
            r"(?:(?P<yrel>last|this|next)%(_)syear['’]s%(_)s|(?P<y1>%(YEAR)s)%(_)s"
            r"|fiscal%(_)s(?P<y2>%(YEAR)s)%(_)s)?(?:fiscal[-\s]+)?"
            r"(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final)[-\s]+"
            r"(?:fiscal[-\s]+)?quarter|Q(?P<qn>[1-4])(?!\w)|(?<=\d )(?P<bare>quarter|period))"
            r"(?:%(_)sof%(_)s(?:fiscal%(_)s)?(?P<y3>%(YEAR)s)|%(_)s(?P<y4>%(YEAR)s))?(?!\w)"
        ),
        _n_quarter,
        priority=1,
        triggers=frozenset({"quarter", "q", "period"}),
        reach=(50, 25),
    ),
    Rule(
        "half",
        compile_rule(
            r"(?:the%(_)s)?(?P<ord>first|second|latter)[-\s]half%(_)sof%(_)s"
            r"(?:(?P<y>%(YEAR)s)|(?P<yrel>the|this|last|next)%(_)s(?:fiscal%(_)s)?year)"
        ),
        _n_half,
        priority=1,
        triggers=frozenset({"half"}),
        reach=(20, 30),
    ),
    Rule(
        "season",
        compile_rule(
            r"%(PRE)s(?:%(REL)s%(_)s|(?P<the>the)%(_)s)?"
            r"(?P<season>spring|summer|autumn|fall|winter)(?!\w)"
            r"(?:,?%(_)s(?:of%(_)s)?(?P<y>%(YEAR)s))?"
        ),
        _n_season,
        _accept_season,
        triggers=frozenset(set(lexicon.SEASONS)),
        reach=(40, 15),
    ),
]
