"""Reading a text: the chosen matches, clock times joined to their days, each normalised in
reading order so that anaphora ("a year earlier") see the dates said before them."""

from __future__ import annotations

import bisect
import datetime as dt
import re

from sitroom.timex import (
    clock,
    dates,
    days,
    durations,
    holidays,
    periods,
    refs,
    relative,
    years,
)
from sitroom.timex.calendar import precision
from sitroom.timex.grammar import Doc, Norm, quant_mod
from sitroom.timex.scan import Found, Scanner, select

SCANNER = Scanner(
    [
        *dates.RULES,
        *years.RULES,
        *periods.RULES,
        *holidays.RULES,
        *days.RULES,
        *relative.RULES,
        *refs.RULES,
        *durations.RULES,
        *clock.RULES,
    ]
)

# a clock time and its day written as one expression: "10 p.m. Wednesday", "5 p.m. EST, Nov. 6"
_JOIN = re.compile(r"[^\S\n]*,?[^\S\n]*")
# a clock time and the day it is on, two expressions in TimeML: "9 a.m. on Friday"
_ON = re.compile(r"[^\S\n]*,?[^\S\n]*(?:on|of)[^\S\n]+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z])|\n\s*\n")


def find(text: str, ref: dt.date | dt.datetime | None) -> list[tuple[int, int, Norm, int]]:
    """(start, end, normalised, time precision) of every time expression, in order."""
    ref_time = ref if isinstance(ref, dt.datetime) else None
    ref_date = ref.date() if isinstance(ref, dt.datetime) else ref
    doc = Doc(text, ref_date, ref_time)
    read: list[tuple[Found, Norm]] = []
    days: list[tuple[int, int, str]] = []  # (start, end, value) of the days said
    for f in _join_clocks(select(SCANNER.candidates(text)), text):
        norm = f.rule.normalise(f.match, doc)
        if norm is None:
            continue
        if f.clock is not None:
            norm = _on_day(norm, f.clock)
        # what the text dates by itself (absolutely or from the reference) is the focus later
        # anaphora lean on; an anaphor's own value is not, or "a year earlier" after
        # "a year earlier" would drift a year per sentence
        anaphoric = norm.anchor is not None and norm.anchor != doc.ref_value
        if norm.type in ("DATE", "TIME") and norm.value[:1].isdigit() and not anaphoric:
            doc.note(f.start, norm.value)
            if re.match(r"\d{4}-\d\d-\d\d", norm.value):
                days.append((f.start, f.end, norm.value[:10]))
        read.append((f, norm))
    out: list[tuple[int, int, Norm, int]] = []
    for f, norm in read:
        if norm.value.startswith("T"):  # a clock time on its own
            day = _day_for_clock(doc, f.start, f.end, days)
            norm = Norm("TIME", (day or "XXXX-XX-XX") + norm.value, norm.mod, day)
        out.append((f.start, f.end, norm, _precision(norm)))
    return out


def _join_clocks(chosen: list[Found], text: str) -> list[Found]:
    """Fold a clock time into the day written right next to it, on either side."""
    out: list[Found] = []
    i = 0
    while i < len(chosen):
        f = chosen[i]
        nxt = chosen[i + 1] if i + 1 < len(chosen) else None
        if (
            nxt is not None
            and {f.rule.kind, nxt.rule.kind} == {"clock", "day"}
            and _JOIN.fullmatch(text, f.end, nxt.start)
        ):
            day, time = (f, nxt) if f.rule.kind == "day" else (nxt, f)
            out.append(Found(f.start, nxt.end, day.rule, day.match, time.match))
            i += 2
            continue
        out.append(f)
        i += 1
    return out


def _on_day(norm: Norm, clock_match: re.Match[str]) -> Norm:
    """A day's value with the clock time joined to it."""
    time = clock.clock_value(clock_match)
    if not time or norm.type != "DATE" or not re.match(r"[\dX]{4}-[\dX]{2}-[\dX]{2}$", norm.value):
        return norm
    mod = norm.mod or quant_mod(clock_match["q"])
    return Norm("TIME", norm.value + time, mod, norm.anchor, norm.begin)


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` roughly starts."""
    start = max(0, pos - 300)
    for m in _SENTENCE_END.finditer(text, start, pos):
        start = m.end()
    return start


def _day_for_clock(doc: Doc, start: int, end: int, days: list[tuple[int, int, str]]) -> str | None:
    """The day a lone clock time falls on: the one it is said to be on ("9 a.m. on Friday"),
    else the latest day said before it in its sentence, else the reference day."""
    i = bisect.bisect_left(days, (end, -1, ""))
    if i < len(days) and _ON.fullmatch(doc.text, end, days[i][0]):
        return days[i][2]
    j = bisect.bisect_left(days, (start, -1, "")) - 1
    if j >= 0 and days[j][1] <= start and days[j][0] >= _sentence_start(doc.text, start):
        return days[j][2]
    return doc.ref_value


def _precision(norm: Norm) -> int:
    if norm.type in ("DURATION", "SET"):
        return precision(norm.begin) if norm.begin else 3
    return precision(norm.value)
