"""Days named by their place in the week or from today: Friday, early Thursday, Friday night,
yesterday, tonight, last night, this morning, overnight."""

from __future__ import annotations

import re

from sitroom.timex import calendar, lexicon
from sitroom.timex.grammar import (
    WEEKDAY_WORDS,
    Doc,
    Norm,
    Rule,
    compile_rule,
    point_mod,
)

_DEICTIC = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}


def with_pod(value: str, pod: str | None) -> tuple[str, str]:
    """(type, value) of a day with a part of day ("Friday night" -> TIME ...TNI)."""
    if not pod:
        return "DATE", value
    return "TIME", f"{value}T{lexicon.PARTS_OF_DAY.get(pod.lower(), 'NI')}"


def _day(doc: Doc, n: int, pod: str | None, mod: str | None) -> Norm | None:
    """The day ``n`` days from the reference, with its part of day if any (None off the
    calendar: "tomorrow" said on 9999-12-31)."""
    if doc.ref is None:
        kind, value = with_pod("XXXX-XX-XX", pod)
        return Norm(kind, value, mod)
    day = calendar.add_days(doc.ref, n)
    if day is None:
        return None
    kind, value = with_pod(day.isoformat(), pod)
    return Norm(kind, value, mod, doc.ref_value)


def _n_deictic(m: re.Match[str], doc: Doc) -> Norm | None:
    """today, yesterday morning, tonight, the day after tomorrow."""
    if m["w2"]:
        n = -2 if m["w2"].lower() == "yesterday" else 2
        return _day(doc, n, None, None)
    word = m["w"].lower()
    pod = m["pod"] or ("night" if word == "tonight" else None)
    return _day(doc, _DEICTIC[word], pod, point_mod(m["pre"]))


def _n_night(m: re.Match[str], doc: Doc) -> Norm | None:
    """last night, this morning, overnight, mid-afternoon."""
    pod = (m["pod"] or m["pod2"] or m["pod3"]).lower()
    rel = (m["rel"] or "").lower()
    mod = point_mod(m["pre"])
    if m["day"]:
        day = m["day"].lower()
        if day in _DEICTIC:
            return _day(doc, _DEICTIC[day], pod, mod)
        norm = _weekday(doc, m.start("day"), m.end("day"), lexicon.WEEKDAYS[day], "", pod)
        return Norm(norm.type, norm.value, mod, norm.anchor) if norm else None
    n = -1 if rel == "last" or pod == "overnight" else 0
    return _day(doc, n, pod, mod)


def _weekday(doc: Doc, start: int, end: int, wd: int, rel: str, pod: str | None) -> Norm | None:
    """The day of ISO weekday ``wd`` meant by "Friday", "last Friday", "the following Friday"
    (None when that day is off the calendar)."""
    if rel in ("the following", "the next", "the previous", "the preceding"):
        base = doc.focus(start, "day")
        parsed = calendar.parse(base) if base else None
        if parsed and parsed[1] == "day":
            step = -1 if rel in ("the previous", "the preceding") else 1
            day = calendar.weekday_date(parsed[0], wd, step, strict=True)
            if day is None:
                return None
            kind, value = with_pod(day.isoformat(), pod)
            return Norm(kind, value, None, base)
    if doc.ref is None:
        kind, value = with_pod(f"XXXX-WXX-{wd}", pod)
        return Norm(kind, value)
    if rel in ("last", "this past", "past", "the previous", "the preceding"):
        day = calendar.weekday_date(doc.ref, wd, -1, strict=True)
    elif rel in ("next", "this coming", "coming", "the following", "the next"):
        day = calendar.weekday_date(doc.ref, wd, 1, strict=True)
    else:
        # TimeML news reading: a bare weekday is the latest such day unless the clause
        # speaks of the future ("will meet on Monday"); "this Friday" looks ahead
        direction = 1 if rel == "this" and wd >= doc.ref.isoweekday() else 0
        day = calendar.weekday_date(doc.ref, wd, direction or doc.direction(start, end))
    if day is None:
        return None
    kind, value = with_pod(day.isoformat(), pod)
    return Norm(kind, value, None, doc.ref_value)


def _n_weekday(m: re.Match[str], doc: Doc) -> Norm | None:
    rel = " ".join((m["rel"] or "").lower().split())
    norm = _weekday(doc, m.start("wd"), m.end(), lexicon.WEEKDAYS[m["wd"].lower()], rel, m["pod"])
    return Norm(norm.type, norm.value, point_mod(m["pre"]), norm.anchor) if norm else None


_NAMED_WEEKDAY_PREFIXES = frozenset({"Good", "Black", "Cyber", "Ash", "Palm", "Holy", "Bloody",
                                     "Super", "Maundy", "Easter", "Man", "Girl"})  # fmt: skip


def _accept_weekday(m: re.Match[str], text: str) -> bool:
    # "Good Friday", "Black Friday", "Bloody Sunday" are named days, not this week's
    prev = re.search(r"([A-Za-z]+)[^\S\n]*$", text[max(0, m.start() - 16) : m.start()])
    return not (prev and prev.group(1) in _NAMED_WEEKDAY_PREFIXES)


def _accept_deictic(m: re.Match[str], text: str) -> bool:
    """Not "USA Today" nor "VOA Today": a capitalised word straight before "Today" names it."""
    word = m["w"] or ""
    if not word[:1].isupper() or word.isupper():
        return True
    prev = re.search(r"([A-Za-z]+)[^\S\n]+$", text[max(0, m.start() - 20) : m.start()])
    return not (prev and prev.group(1)[0].isupper())


_PRE = r"(?:(?P<pre>early|late|earlier|later|mid)(?:-|%(_)s)(?:on%(_)s|in%(_)s)?)?"


RULES: list[Rule] = [
    Rule(
        "deictic",
        compile_rule(
            _PRE + r"(?:the%(_)sday%(_)s(?:before|after)%(_)s(?P<w2>yesterday|tomorrow)"
            r"|(?P<w>today|tonight|tomorrow|yesterday))(?!\w)"
            r"(?:%(_)s(?P<pod>morning|afternoon|evening|night)(?!\w))?"
        ),
        _n_deictic,
        _accept_deictic,
        kind="day",
        priority=1,
        triggers=frozenset({"today", "tonight", "tomorrow", "yesterday"}),
        reach=(40, 25),
    ),
    Rule(
        "part-of-day",
        compile_rule(
            _PRE + r"(?:(?P<rel>this|last)%(_)s(?P<pod>morning|afternoon|evening|night)"
            r"|(?P<pod2>overnight)(?!%(_)s(?:trading|rate|lending|index|deposit|stay|flight))"
            r"|(?:(?<=mid-)|(?<=mid ))(?P<pod3>morning|afternoon|evening))(?!\w)"
            r"(?:%(_)s(?:on%(_)s)?(?P<day>yesterday|today|tomorrow|%(WEEKDAY)s))?"
        ),
        _n_night,
        triggers=frozenset({"morning", "afternoon", "evening", "night", "overnight"}),
        reach=(30, 30),
    ),
    Rule(
        "weekday",
        compile_rule(
            _PRE + r"(?:(?P<rel>last|next|this|this%(_)spast|this%(_)scoming|coming|past"
            r"|the%(_)s(?:following|next|previous|preceding))%(_)s)?(?P<wd>%(WEEKDAY)s)"
            r"(?:%(_)s(?P<pod>morning|afternoon|evening|night|overnight)(?!\w))?"
        ),
        _n_weekday,
        _accept_weekday,
        kind="day",
        triggers=WEEKDAY_WORDS,
        reach=(35, 25),
    ),
]
