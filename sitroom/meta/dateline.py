"""Wire datelines: "KABUL, Aug 13 (Reuters) -", "WASHINGTON (AP) —", "(CNN) —"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitroom.meta.dates import MONTH_RE, make_date, month_number

__all__ = ["Dateline", "find_dateline"]

_PLACE = r"(?P<place>[A-Z][A-Z.'’\- ]{1,40}[A-Z.](?:,\s*[A-Z][A-Za-z.'’\- ]{1,40}?){0,2})"
_DATE = (
    rf"(?:{MONTH_RE}\s+(?P<d1>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+"
    rf"{MONTH_RE.replace('mon', 'mon2')})(?:,?\s+(?P<y>(?:19|20)\d\d))?"
)
_OUTLET = r"\((?P<outlet>[A-Z][\w.&'’ /-]{0,48}?)\)"
_DASH = r"\s*(?:-{1,2}|–|—|:)\s+"

DATELINE = re.compile(
    rf"^\s*(?:{_PLACE}(?:,\s*{_DATE})?\s*(?:{_OUTLET})?|{_OUTLET.replace('outlet', 'outlet2')})"
    rf"{_DASH}(?=\S)",
)


@dataclass(frozen=True)
class Dateline:
    place: str | None
    month: int | None
    day: int | None
    year: int | None
    outlet: str | None
    start: int
    end: int


def find_dateline(text: str, max_lines: int = 4) -> Dateline | None:
    """The dateline opening one of the first paragraphs of ``text``, if any."""
    pos = 0
    for _ in range(max_lines):
        while pos < len(text) and text[pos] in "\r\n \t":
            pos += 1
        if pos >= len(text):
            return None
        nl = text.find("\n", pos)
        line = text[pos : nl if nl >= 0 else len(text)]
        m = DATELINE.match(line)
        if m and _plausible(m):
            month, day, year = _day_of(m)
            return Dateline(
                place=(m.group("place") or "").strip(" ,") or None,
                month=month,
                day=day,
                year=year,
                outlet=m.group("outlet") or m.group("outlet2"),
                start=pos + m.start(),
                end=pos + m.end(),
            )
        if nl < 0:
            return None
        pos = nl + 1
    return None


def _day_of(m: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    """(month, day, year) of the dateline's date; all None when no calendar has that day
    ("Feb. 30", "Aug. 0", "Feb. 29, 2021"): an impossible date is no date."""
    mon = m.group("mon") or m.group("mon2")
    day = m.group("d1") or m.group("d2")
    if not (mon and day):
        return None, None, None
    month, d = month_number(mon), int(day)
    year = int(m.group("y")) if m.group("y") else None
    # without a year, Feb. 29 exists (2000 is a leap year); with one, that year must have it
    if make_date(year or 2000, month, d) is None:
        return None, None, None
    return month, d, year


def _plausible(m: re.Match[str]) -> bool:
    place = m.group("place")
    if place is None:
        return m.group("outlet2") is not None
    head = place.split(",")[0]
    # The place leads in capitals ("KABUL", "NEW DELHI"); a shouted headline is not a dateline.
    return (
        head.isupper()
        and len(head.split()) <= 4
        and (
            m.group("outlet") is not None
            or "," in place
            or bool(m.group("mon") or m.group("mon2"))
            or bool(re.search(r"[—–-]", m.group(0)))
        )
    )
