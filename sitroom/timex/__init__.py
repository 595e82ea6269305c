"""Time expressions in news English, found and normalised to TimeML TIMEX3 values.

    >>> import datetime as dt
    >>> [(t.text, t.value) for t in find_times("Officials said Thursday.", dt.date(2021, 8, 13))]
    [('Thursday', '2021-08-12')]

Rule-based, in the manner of HeidelTime. Each kind of expression has its module of regex
rules (``dates``, ``years``, ``periods``, ``holidays``, ``days``, ``relative``, ``refs``,
``durations``, ``clock``), each rule a pattern, a check against its false positives and a
normaliser; ``scan`` runs every rule only around the words it needs and keeps the longest
non-overlapping matches; ``engine`` joins clock times to their days and normalises in
reading order against the reference time (the document creation time) or, for anaphora such
as "a year earlier", against the date the text last spoke of (``calendar`` does the
arithmetic, ``tense`` reads which way a bare "Friday" points).

Conventions, following the TimeML annotation guidelines and TimeBank:

- spans leave out signals ("on", "in", "since", "within") and keep determiners and modifiers
  ("the past three months", "early Friday", "more than two years"); a determiner before an
  adjective is left out ("a [two-year] term");
- a bare weekday in a report is the latest such day on or before the reference; tense cues in
  its clause ("will", "is to", "scheduled to") turn it forward;
- a month-day without a year takes the year that puts it nearest the reference, leaning to
  the past, or to the side a tense cue points to when that is not much farther;
- decades and centuries are written ``198X`` and ``19XX``; durations of decades ``P2DE``
  (TimeML's unit), centuries ``P1CE``, millennia ``P1ML``; midnight is ``T24:00`` of its day;
- "since Aug. 6" is the DATE "Aug. 6" with ``begin`` set to its value; "the past three
  months" a DURATION whose ``begin`` is where it starts;
- "in five years" in a clause about the future is the DATE five years on, as TimeML reads it;
- a date that arithmetic would take off the calendar (before 0001-01-01 or after 9999-12-31:
  "tomorrow" said on 9999-12-31) is no expression, never an exception.

With ``ref=None`` absolute expressions are normalised as usual and relative ones keep what
they can: "Friday" -> ``XXXX-WXX-5``, "yesterday" -> ``XXXX-XX-XX``, "last year" ->
``PAST_REF``, "this week" -> ``XXXX-WXX``, "Aug. 6" -> ``XXXX-08-06``, "Christmas" ->
``XXXX-12-25``; ``anchor`` is then None. Anaphora still lean on dates the text gives ("in 2001
... a year earlier" -> ``2000``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sitroom.timex.engine import find

__all__ = ["TimeExpr", "find_times"]

_SINCE = re.compile(r"\b(?:since|starting|beginning)[^\S\n]+$", re.IGNORECASE)
# "from 1981 to 1989" starts a range; "up from a year earlier" compares
_FROM = re.compile(r"\bfrom[^\S\n]+$", re.IGNORECASE)
_TO = re.compile(r"[^\S\n]+(?:to|until|till|through)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TimeExpr:
    """One time expression: where it is, what TimeML makes of it, how precise it is.

    time_precision: ACLED's scale, 1 a day or finer, 2 a week, 3 a month or coarser or vague;
    for durations and sets, that of ``begin`` when known, else 3.
    anchor: the value a relative expression was resolved against.
    begin: where a "since ..." date or an anchored duration starts.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    time_precision: int
    mod: str | None = None
    anchor: str | None = None
    begin: str | None = None


def _starts_range(text: str, start: int, end: int) -> bool:
    if _SINCE.search(text, max(0, start - 14), start):
        return True
    return bool(_FROM.search(text, max(0, start - 8), start) and _TO.match(text, end))


def find_times(text: str, ref: dt.date | dt.datetime | None = None) -> list[TimeExpr]:
    """All time expressions in text, in order, normalised against ref (the document creation time)."""  # noqa: E501
    out: list[TimeExpr] = []
    for start, end, norm, prec in find(text, ref):
        begin = norm.begin
        # "since Aug. 6": the date is where a stretch of time begins
        dated = norm.type in ("DATE", "TIME") and norm.value[:1].isdigit()
        if begin is None and dated and _starts_range(text, start, end):
            begin = norm.value
        expr = TimeExpr(start, end, text[start:end], norm.type, norm.value, prec, norm.mod,
                        norm.anchor, begin)  # fmt: skip
        out.append(expr)
    return out
