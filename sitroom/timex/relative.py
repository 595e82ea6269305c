"""Dates said relative to the reference or to what came before: last week, next month, the
following day, the quarter, three days ago, a year earlier, year-end."""

from __future__ import annotations

import datetime as dt
import re

from sitroom.timex import calendar, lexicon
from sitroom.timex.grammar import (
    UNIT_PLURALS,
    UNIT_WORDS,
    Doc,
    Norm,
    Rule,
    compile_rule,
    point_mod,
    quant_mod,
)

_STEP = {
    "last": -1, "past": -1, "the past": -1, "the last": -1, "previous": -1, "the previous": -1,
    "the preceding": -1, "the prior": -1, "this past": -1, "next": 1, "the next": 1,
    "coming": 1, "the coming": 1, "following": 1, "the following": 1, "the ensuing": 1,
    "upcoming": 1, "the upcoming": 1, "this coming": 1,
}  # fmt: skip


# "the following year" leans on the date last spoken of; "next year" on the reference
_ANAPHORIC = frozenset({"the following", "the previous", "the preceding", "that", "the same",
                        "the", "the ensuing", "the prior", "following"})  # fmt: skip


def latest_quarter(ref: dt.date) -> str | None:
    """The quarter a report most likely means by "the quarter": results come out in the
    weeks after a quarter ends, so six weeks into one it is still the one before."""
    day = calendar.add_days(ref, -45)
    return calendar.fmt(day, "quarter") if day else None


def _fmt(d: dt.date | None, gran: str) -> str | None:
    return calendar.fmt(d, gran) if d else None


def relative_unit(doc: Doc, start: int, rel: str, unit: str) -> tuple[str | None, str | None]:
    """(value, anchor) of "last week", "this year", "the following month", "that day"; the
    value is None when the date falls off the calendar."""
    if unit == "night":
        unit = "day"
    step = _STEP.get(rel, 0)
    if rel in _ANAPHORIC:
        window = 600 if rel == "the" else 2500
        base = doc.focus(start, unit, window)
        parsed = calendar.parse(base) if base else None
        if parsed:
            return _fmt(calendar.shift(parsed[0], step, unit), unit), base
        if rel == "the" and unit == "quarter" and doc.ref:
            return latest_quarter(doc.ref), doc.ref_value
    if doc.ref is None:
        if step == 0:
            return _unknown(unit), None
        return ("PAST_REF" if step < 0 else "FUTURE_REF"), None
    if unit == "weekend":
        return weekend(doc, start, step, rel), doc.ref_value
    return _fmt(calendar.shift(doc.ref, step, unit), unit), doc.ref_value


def _unknown(unit: str) -> str:
    return {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE",
            "month": "XXXX-XX", "quarter": "XXXX-QX", "year": "XXXX"}.get(unit, "XXXX")  # fmt: skip


def weekend(doc: Doc, start: int, step: int, rel: str) -> str | None:
    """The weekend meant: "this weekend" the week's own; "the weekend" on a weekday the one
    just past in a report, the coming one in plans; "last" and "next" a week either way."""
    if doc.ref is None:
        return "XXXX-WXX-WE"
    in_weekend = doc.ref.isoweekday() >= 6
    if rel == "the" and step == 0 and not in_weekend and doc.direction(start, start) <= 0:
        step = -1
    return calendar.weekend_ok(_fmt(calendar.add_days(doc.ref, 7 * step), "weekend"))


def _n_relative(m: re.Match[str], doc: Doc) -> Norm | None:
    """this week, last year, the following month, the same day, the current fiscal year."""
    rel = " ".join((m["rel"] or "the").lower().split())
    unit = "quarter" if m["u"].lower() == "period" else lexicon.unit_of(m["u"]) or "day"
    if m["side"]:
        rel = "the previous" if m["side"].lower() == "before" else "the following"
    mod = point_mod(m["pre"] or m["pre2"]) or ("APPROX" if m["approx"] else None)
    if rel in ("this", "current", "the current", "the present", "present") and doc.ref:
        if unit == "weekend":
            this = weekend(doc, m.start(), 0, "this")
            return Norm("DATE", this, mod, doc.ref_value) if this else None
        return Norm("DATE", calendar.fmt(doc.ref, unit), mod, doc.ref_value)
    if rel in ("the latest", "the most recent") and doc.ref:
        if unit == "quarter":
            latest = latest_quarter(doc.ref)
            return Norm("DATE", latest, mod, doc.ref_value) if latest else None
        rel = "last"
    value, anchor = relative_unit(doc, m.start(), rel, unit)
    return Norm("DATE", value, mod, anchor) if value else None


def _accept_relative(m: re.Match[str], text: str) -> bool:
    rel = " ".join(m["rel"].lower().split())
    unit = m["u"].lower()
    if m["u"][0].isupper() and not m["u"].isupper() and rel[:1].isalpha():
        return False  # "This Week", a programme's name
    if unit == "period":
        # "the latest period" of a results report; any other "period" is not a date
        return rel in ("the latest", "the most recent", "the same", "that")
    if rel == "the" or m["side"]:
        return rel == "the" and bool(m["side"])
    if unit in ("day", "night"):
        # "the past day" and "this day" are rare as dates; "last night" is a rule of its own
        return rel in _ANAPHORIC or rel in ("the next", "following")
    return not (rel == "that" and unit in ("century", "decade", "fortnight"))


def _n_the_unit(m: re.Match[str], doc: Doc) -> Norm | None:
    """the year, the quarter, the week: the one in focus, or the reference's own."""
    unit = lexicon.unit_of(m["u"]) or "year"
    mod = point_mod(m["pre"])
    if unit == "weekend":
        the = weekend(doc, m.start(), 0, "the")
        return Norm("DATE", the, mod, doc.ref_value) if the else None
    if m["ended"] and unit == "year":
        return Norm("DURATION", "P1Y")
    value, anchor = relative_unit(doc, m.start(), "the", unit)
    if value is None:
        return None
    if value.startswith("X") and unit == "year" and doc.ref:
        value, anchor = f"{doc.ref.year:04d}", doc.ref_value
    return Norm("DATE", value, mod, anchor)


def _accept_the_unit(m: re.Match[str], text: str) -> bool:
    """ "the year" and friends: after a preposition, or before "ended"/"ending"."""
    if m["pre"] or m["ended"] or m["u"].lower() == "weekend":
        return True
    after = text[m.end() : m.end() + 30].lower()
    if re.match(r"\s*(?:through|before|after|in which|when|that|of|earlier|ago|since|and"
                r"|or|[-–])\b", after):  # fmt: skip
        return False
    before = text[max(0, m.start() - 20) : m.start()].lower()
    return bool(re.search(r"\b(?:in|for|during|over|throughout|through|by|until|of)\s+$", before))


def _amount(m: re.Match[str]) -> float | None:
    n = lexicon.parse_number(m["n"])
    if n is not None and m["half"]:
        n += 0.5
    return n


_SMALLER = {"year": ("month", 12), "month": ("day", 30), "week": ("day", 7),
            "day": ("hour", 24), "decade": ("year", 10), "hour": ("minute", 60),
            "minute": ("second", 60)}  # fmt: skip


_CLOCK_UNITS = {"hour": 3600, "minute": 60, "second": 1}


def _n_offset(m: re.Match[str], doc: Doc) -> Norm | None:
    """three days ago, a year earlier, two weeks later, 20 years before."""
    unit = lexicon.unit_of(m["u"]) or "day"
    n = _amount(m)
    word = " ".join(m["dir"].lower().split())
    sign = -1 if word in ("ago", "earlier", "before", "back", "previously", "prior") else 1
    mod = quant_mod(m["q"]) or ("APPROX" if m["approx"] else None)
    if n is None or (doc.ref is None and word in ("ago", "from now", "hence", "back")):
        return Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod)
    if unit == "night":
        unit = "day"
    if n != int(n):
        if unit not in _SMALLER:
            return Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod)
        unit, n = _SMALLER[unit][0], n * _SMALLER[unit][1]
    steps = sign * int(n)
    if word in ("ago", "from now", "hence", "back"):
        return _from_ref(doc, m.start(), steps, unit, mod)
    # "a year earlier": from the date last spoken of, at its grain (a quarter, a day)
    base = doc.focus(m.start(), unit)
    if base:
        value = calendar.shift_value(base, steps, unit)
        if value:
            return Norm("DATE", value, mod, base)
    if doc.ref is None:
        return Norm("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod)
    return _from_ref(doc, m.start(), steps, unit, mod)


def _accept_offset(m: re.Match[str], text: str) -> bool:
    # "a year on," (British for "later"), not "two days on the road"
    return m["dir"].lower() != "on" or bool(re.match(r"\s*[,.]", text[m.end() : m.end() + 3]))


def _from_ref(doc: Doc, start: int, steps: int, unit: str, mod: str | None) -> Norm | None:
    """``steps`` units from the reference, at the unit's grain (None off the calendar)."""
    assert doc.ref is not None
    if unit in _CLOCK_UNITS:
        if doc.ref_time is not None:
            try:
                when = doc.ref_time + dt.timedelta(seconds=steps * _CLOCK_UNITS[unit])
            except OverflowError:
                return None
            # isoformat, not strftime: "%Y" leaves year 1 unpadded on some platforms
            at = f"{when.date().isoformat()}T{when.hour:02d}:{when.minute:02d}"
            return Norm("TIME", at, mod, doc.ref_time.isoformat())
        whole_days = abs(steps) * _CLOCK_UNITS[unit] // 86400  # in ints: no float overflow
        day = calendar.add_days(doc.ref, whole_days if steps >= 0 else -whole_days)
        return Norm("DATE", day.isoformat(), mod, doc.ref_value) if day else None
    gran = unit
    if unit == "year" and abs(steps) == 1:
        # "up from $5 million a year ago" next to "the third quarter": the same quarter
        focus = doc.focus(start, "quarter", 400)
        parsed = calendar.parse(focus) if focus else None
        if focus and parsed and parsed[1] == "quarter" and parsed[0].year >= doc.ref.year - 1:
            quarter = _fmt(calendar.shift(parsed[0], steps, unit), "quarter")
            return Norm("DATE", quarter, mod, focus) if quarter else None
    moved = _fmt(calendar.shift(doc.ref, steps, unit), gran)
    return Norm("DATE", moved, mod, doc.ref_value) if moved else None


def _n_year_ago(m: re.Match[str], doc: Doc) -> Norm | None:
    """year-ago, year-earlier, the year-ago quarter: last year, at the grain in focus."""
    unit = (m["u"] or "").lower()
    ordinal = (m["ord"] or "").lower()
    base = doc.focus(m.start(), "year")
    parsed = calendar.parse(base) if base else None
    if ordinal:
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4}[ordinal]
        year = parsed[0].year - 1 if parsed else doc.ref.year - 1 if doc.ref else None
        if year is not None and not calendar.year_ok(year):
            return None
        return Norm("DATE", f"{year:04d}-Q{q}" if year else f"XXXX-Q{q}", anchor=base)
    if unit in ("quarter", "period"):
        # "the year-ago quarter": the quarter in focus (or the latest), a year back
        if parsed is None and doc.ref is not None:
            back = calendar.add_days(doc.ref, -45)
            if back is None:
                return None
            base, parsed = doc.ref_value, (back, "day")
        if parsed is not None:
            value = _fmt(calendar.shift(parsed[0], -1, "year"), "quarter")
            return Norm("DATE", value, anchor=base) if value else None
    if base:
        value = calendar.shift_value(base, -1, "year")
        if value:
            return Norm("DATE", value, anchor=base)
    if doc.ref is None:
        return Norm("DATE", "PAST_REF")
    if not calendar.year_ok(doc.ref.year - 1):
        return None
    return Norm("DATE", f"{doc.ref.year - 1:04d}", anchor=doc.ref_value)


def _n_vague_ago(m: re.Match[str], doc: Doc) -> Norm | None:
    """ "years ago": some time back."""
    return Norm("DATE", "PAST_REF", anchor=doc.ref_value)


def _n_year_end(m: re.Match[str], doc: Doc) -> Norm | None:
    mod = "APPROX" if m["approx"] else "END"
    if doc.ref is None:
        return Norm("DATE", "XXXX", mod)
    return Norm("DATE", f"{doc.ref.year:04d}", mod, doc.ref_value)


_UNIT_REL = (
    r"(?P<rel>this|last|next|past|previous|coming|following|current|upcoming|that"
    r"|this%(_)spast|this%(_)scoming|the%(_)s(?:past|last|next|previous|preceding|coming"
    r"|following|current|same|ensuing|prior|upcoming|present|latest|most%(_)srecent)"
    r"|the(?=%(_)s(?:day|night|week|month|year)%(_)s(?:before|after)))"
)


RULES: list[Rule] = [
    Rule(
        "relative-unit",
        compile_rule(
            r"(?:(?P<pre>early|late|earlier|later|mid)(?:-|%(_)s)(?:in%(_)s)?"
            r"|(?P<pre2>the%(_)s(?:start|beginning|end|middle|close|rest|remainder)%(_)sof)%(_)s)?"
            + _UNIT_REL
            + r"%(_)s(?:fiscal%(_)s|calendar%(_)s|full%(_)s)?(?P<u>week|weekend|month|year"
            r"|quarter|period|decade|century|day|night|fortnight)(?!-|\w)(?P<approx>%(_)sor%(_)sso)?"
            # "the day before", "the year after": counted from the date last spoken of
            r"(?:%(_)s(?P<side>before|after)(?=\s*(?:[.,;:!?)\"”]|$)))?"
        ),
        _n_relative,
        _accept_relative,
        triggers=UNIT_WORDS | {"period"},
        reach=(45, 12),
    ),
    Rule(
        "the-unit",
        compile_rule(
            r"(?:(?P<pre>the%(_)s(?:start|beginning|end|middle|close)%(_)sof|(?:early|late"
            r"|earlier|later)%(_)sin)%(_)s)?the%(_)s(?:fiscal%(_)s|full%(_)s|calendar%(_)s)?"
            r"(?P<u>year|quarter|month|week|weekend)(?!-|\w)(?=(?P<ended>%(_)s(?:ended|ending))?)"
        ),
        _n_the_unit,
        _accept_the_unit,
        triggers=UNIT_WORDS,
        reach=(40, 40),
    ),
    Rule(
        "offset",
        compile_rule(
            r"%(QMOD)s(?P<n>%(NUMBER)s|%(VAGUE)s|a|an|one)[-\s]+(?:more%(_)s|full%(_)s)?"
            r"(?P<u>%(UNITS)s|%(UNIT)s)(?P<half>%(_)sand%(_)sa%(_)shalf)?"
            r"(?P<approx>%(_)sor%(_)sso)?%(_)s(?P<dir>ago|earlier|later|back|previously"
            r"|from%(_)snow|hence|on|before(?=\s*(?:[.,;:!?)\"”]|$))|after(?=\s*(?:[.,;:!?)\"”]"
            r"|$)))(?!\w)"
        ),
        _n_offset,
        _accept_offset,
        priority=1,
        triggers=UNIT_WORDS | UNIT_PLURALS,
        reach=(55, 30),
    ),
    Rule(
        "vague-ago",
        compile_rule(r"(?P<u>years|months|weeks|days|decades)%(_)sago\b"),
        _n_vague_ago,
        triggers=frozenset({"ago"}),
        reach=(30, 5),
    ),
    Rule(
        "year-ago",
        compile_rule(
            r"(?:the%(_)s)?(?:comparable%(_)s|same%(_)s)?year[-\s](?:ago|earlier)"
            r"(?:%(_)s(?:fiscal%(_)s)?(?:(?P<ord>first|second|third|fourth)%(_)s)?"
            r"(?P<u>quarter|period))?(?!\w)"
        ),
        _n_year_ago,
        triggers=frozenset({"year"}),
        reach=(25, 30),
    ),
    Rule(
        "year-end",
        compile_rule(
            r"(?:(?P<approx>around|about)%(_)s)?(?:the%(_)s)?year(?:-end|['’]s%(_)send"
            r"|%(_)send)(?!\w)"
        ),
        _n_year_end,
        triggers=frozenset({"year"}),
        reach=(20, 10),
    ),
]
