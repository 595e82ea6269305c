"""Calendar arithmetic on TimeML values: formatting, shifting, parsing back, precision."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re

# coarse to fine; "weekend" sits with "week" and "part" (morning, night) with "day"
GRANULARITY = {
    "millennium": 0, "century": 1, "decade": 2, "year": 3, "half": 4, "season": 5,
    "quarter": 5, "month": 6, "week": 7, "weekend": 7, "fortnight": 7, "day": 8, "night": 8,
    "part": 9, "hour": 10, "minute": 11, "second": 12,
}  # fmt: skip

# TimeML duration letters; decades, centuries and millennia as TimeML writes them (P2DE)
DURATION_LETTER = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "night": "D", "week": "W",
    "weekend": "WE", "fortnight": "W", "month": "M", "quarter": "Q", "year": "Y",
    "decade": "DE", "century": "CE", "millennium": "ML",
}  # fmt: skip
_TIME_UNITS = frozenset({"second", "minute", "hour"})
_SEASON_MONTH = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}


def year_ok(year: int) -> bool:
    """A year the calendar can hold (1..9999): anything else is no value, never a crash."""
    return dt.MINYEAR <= year <= dt.MAXYEAR


def add_days(d: dt.date, n: int) -> dt.date | None:
    """``d`` moved by ``n`` days; None when that leaves the calendar (before 0001-01-01 or
    after 9999-12-31)."""
    try:
        return d + dt.timedelta(days=n)
    except OverflowError:
        return None


def month_end(d: dt.date) -> dt.date:
    """The last day of ``d``'s month."""
    return d.replace(day=_cal.monthrange(d.year, d.month)[1])


def add_months(d: dt.date, n: int) -> dt.date | None:
    """``d`` moved by ``n`` calendar months, the day clamped to the month's length; None
    when that leaves the calendar."""
    y, m = divmod(d.month - 1 + n, 12)
    year = d.year + y
    if not year_ok(year):
        return None
    last = _cal.monthrange(year, m + 1)[1]
    return d.replace(year=year, month=m + 1, day=min(d.day, last))


_UNIT_DAYS = {"day": 1, "night": 1, "week": 7, "weekend": 7, "fortnight": 14}
_UNIT_MONTHS = {"month": 1, "quarter": 3, "half": 6, "season": 3, "year": 12, "decade": 120,
                "century": 1200, "millennium": 12000}  # fmt: skip


def shift(d: dt.date, n: int, unit: str) -> dt.date | None:
    """``d`` moved by ``n`` units (day, week, month, quarter, year, decade ...); ``d`` itself
    for a unit finer than a day; None when the result leaves the calendar."""
    if unit in _UNIT_DAYS:
        return add_days(d, n * _UNIT_DAYS[unit])
    months = _UNIT_MONTHS.get(unit)
    return add_months(d, n * months) if months else d


def fmt(d: dt.date, gran: str) -> str:
    """The TimeML value of the ``gran``-long period holding ``d``."""
    y = d.year
    if gran == "millennium":
        return f"{y // 1000}XXX"
    if gran == "century":
        return f"{y // 100:02d}XX"
    if gran == "decade":
        return f"{y // 10:03d}X"
    if gran == "year":
        return f"{y:04d}"
    if gran == "half":
        return f"{y:04d}-H{1 if d.month <= 6 else 2}"
    if gran == "quarter":
        return f"{y:04d}-Q{(d.month - 1) // 3 + 1}"
    if gran == "month":
        return f"{y:04d}-{d.month:02d}"
    if gran in ("week", "fortnight"):
        iy, iw, _ = d.isocalendar()
        return f"{iy:04d}-W{iw:02d}"
    if gran == "weekend":
        iy, iw, _ = d.isocalendar()
        return f"{iy:04d}-W{iw:02d}-WE"
    return d.isoformat()


def duration(n: float | None, unit: str) -> str:
    """A TimeML duration: (2, "day") -> "P2D", (48, "hour") -> "PT48H", (None, "year") -> "PXY"."""
    if unit == "fortnight":
        n, unit = (None if n is None else 2 * n), "week"
    letter = DURATION_LETTER.get(unit, "X")
    t = "T" if unit in _TIME_UNITS else ""
    if n is None:
        return f"P{t}X{letter}"
    if n != int(n):
        # write a fraction in the next unit down where it comes out whole (P2Y6M, PT1H30M)
        smaller = {"year": (12, "M", ""), "day": (24, "H", "T"), "hour": (60, "M", "T"),
                   "minute": (60, "S", "T"), "week": (7, "D", "")}.get(unit)  # fmt: skip
        if smaller and (n * smaller[0]) == int(n * smaller[0]):
            whole, rest = int(n), round((n - int(n)) * smaller[0])
            head = f"{whole}{letter}" if whole else ""
            if t:
                return f"PT{head}{rest}{smaller[1]}"
            sep = smaller[2]
            return f"P{head}{sep}{rest}{smaller[1]}"
        return f"P{t}{n:g}{letter}"
    return f"P{t}{int(n)}{letter}"


_VALUE = re.compile(
    r"(?P<y>\d{4})(?:-(?:(?P<m>\d{2})(?:-(?P<d>\d{2}))?|W(?P<w>\d{2})(?P<we>-WE)?|Q(?P<q>[1-4])"
    r"|H(?P<h>[12])|(?P<s>SP|SU|FA|WI)))?(?:T|$)"
)
_DECADE = re.compile(r"(?P<y>\d{3})X?$")


def parse(value: str) -> tuple[dt.date, str] | None:
    """(first day, granularity) of a TimeML date value; None for REF and X values."""
    m = _VALUE.match(value)
    try:
        if not m:
            d = _DECADE.match(value)
            return (dt.date(int(d.group("y")) * 10, 1, 1), "decade") if d else None
        y = int(m.group("y"))
        if m.group("d"):
            return dt.date(y, int(m.group("m")), int(m.group("d"))), "day"
        if m.group("m"):
            return dt.date(y, int(m.group("m")), 1), "month"
        if m.group("w"):
            start = dt.date.fromisocalendar(y, int(m.group("w")), 1)
            if not m.group("we"):
                return start, "week"
            saturday = add_days(start, 5)
            return (saturday, "weekend") if saturday else None
        if m.group("q"):
            return dt.date(y, 3 * int(m.group("q")) - 2, 1), "quarter"
        if m.group("h"):
            return dt.date(y, 6 * int(m.group("h")) - 5, 1), "half"
        if m.group("s"):
            return dt.date(y, _SEASON_MONTH[m.group("s")], 1), "season:" + m.group("s")
        return dt.date(y, 1, 1), "year"
    except ValueError:
        return None


def shift_value(value: str, n: int, unit: str) -> str | None:
    """A date value moved by ``n`` units, keeping its own granularity when that is finer."""
    parsed = parse(value)
    if parsed is None:
        return None
    d, gran = parsed
    if gran.startswith("season:"):
        if unit != "year":
            return None
        return f"{d.year + n:04d}-{gran[7:]}" if year_ok(d.year + n) else None
    if GRANULARITY.get(unit, 0) > GRANULARITY.get(gran, 0):
        return None  # "a day earlier" than a whole year says nothing about which day
    if gran == "decade" and unit == "year":
        gran = "year"
    moved = shift(d, n, unit)
    return weekend_ok(fmt(moved, gran)) if moved else None


def weekend_ok(value: str | None) -> str | None:
    """``value``, unless it is a weekend that falls off the calendar (the one after
    9999-12-31's week begins in the year 10000)."""
    if value and value.endswith("-WE") and value[:1].isdigit() and parse(value) is None:
        return None
    return value


_DAY = re.compile(r"[\dX]{4}-[\dX]{2}-[\dX]{2}|[\dX]{4}-W[\dX]{2}-\d")
_WEEK = re.compile(r"[\dX]{4}-W[\dX]{2}")


def precision(value: str | None) -> int:
    """ACLED time precision of a value: 1 a day or finer, 2 a week, 3 a month or coarser."""
    if not value:
        return 3
    if _DAY.match(value):
        return 1
    if _WEEK.match(value):
        return 2
    return 3


def nearest(ref: dt.date, candidates: list[tuple[dt.date, dt.date]], direction: int) -> int:
    """Index of the (start, end) period nearest ``ref``, as :func:`nearest_year` weighs it."""
    options: list[tuple[float, int, int]] = []  # (weighted gap, side, index)
    for i, (start, end) in enumerate(candidates):
        if start <= ref <= end:
            options.append((0.0, 0, i))
        elif end < ref:
            options.append(((ref - end).days, -1, i))
        else:
            options.append(((start - ref).days * 1.1, 1, i))
    best = min(options)
    if direction and best[1] not in (0, direction):
        cued = [o for o in options if o[1] == direction]
        if cued and min(cued)[0] <= best[0] + 180:
            best = min(cued)
    return best[2]


def nearest_year(ref: dt.date, month: int, day: int | None, direction: int) -> int:
    """The year that puts ``month``/``day`` nearest ``ref``.

    Reports speak of the past more than the future, so a future reading must be clearly
    nearer to win; a tense cue (``direction`` -1 past, +1 future) turns the choice its way
    when the date it points to is at most about half a year farther.
    """
    years: list[int] = []
    periods: list[tuple[dt.date, dt.date]] = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            start = dt.date(year, month, day or 1)
        except ValueError:
            continue
        end = start if day else month_end(start)
        years.append(year)
        periods.append((start, end))
    return years[nearest(ref, periods, direction)] if periods else ref.year


def weekday_date(
    ref: dt.date, weekday: int, direction: int, strict: bool = False
) -> dt.date | None:
    """The ISO ``weekday`` nearest ``ref`` backwards (direction <= 0) or forwards; None when
    that day is off the calendar.

    strict: skip ``ref`` itself ("last Friday" said on a Friday is a week back).
    """
    if direction > 0:
        ahead = (weekday - ref.isoweekday()) % 7
        return add_days(ref, ahead or (7 if strict else 0))
    back = (ref.isoweekday() - weekday) % 7
    return add_days(ref, -(back or (7 if strict else 0)))
