"""Hostile news text: what real feeds throw at the extractors, as test data.

Real news sentence templates (wire datelines, "X said", quotes, attacks, protests) filled with
numbers of every shape (clock times, ranges, mixed and Unicode fractions, N/0, currencies with
k/m/bn suffixes, units glued to numbers, model names, huge and negative numbers, ordinals,
percentages), dates at the calendar's edges (Feb. 29/30, 0001-01-01, 9999-12-31, year 0,
month 13), odd whitespace, control characters, right-to-left and CJK text, emoji, very long
tokens and lone surrogates.

Two ways in, drawing from the same pools:

- hypothesis strategies, for property tests: ``hostile_texts()``, ``hostile_html()``,
  ``hostile_refs()`` (reference dates, the calendar's edges included), ``hostile_numbers()``,
  ``hostile_dates()``; and ``hostile_settings(scale)``, the example budget of the profile in
  force (``HYPOTHESIS_PROFILE=ci``, the default: a few dozen examples, no deadline;
  ``HYPOTHESIS_PROFILE=soak``: thousands, for a long run);
- ``hostile_documents(n, seed)``, a plain ``random.Random``-seeded generator of ``n``
  documents, for benchmarks and soak scripts (no hypothesis needed).

Documents may hold lone surrogates (``surrogates=False`` leaves them out, e.g. for text that
must be written as UTF-8); ``long_tokens=False`` leaves out the 10,000-character tokens.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from sitroom.timex import TimeExpr
from sitroom.timex.calendar import parse as parse_timeml

if TYPE_CHECKING:  # the plain generator needs no hypothesis
    from hypothesis import settings as Settings
    from hypothesis.strategies import SearchStrategy

__all__ = [
    "CLOCKS",
    "CONTROLS",
    "DATES",
    "NUMBERS",
    "SCRIPTS",
    "TEMPLATES",
    "WHITESPACE",
    "check_time",
    "hostile_dates",
    "hostile_documents",
    "hostile_html",
    "hostile_numbers",
    "hostile_refs",
    "hostile_settings",
    "hostile_texts",
    "timeml_point_ok",
]

# -- the pools -------------------------------------------------------------------------------

NUMBERS: tuple[str, ...] = (
    # plain, separated, decimal
    "3", "14", "3,000", "1,250.5", "0", "00", "007", "1.5", "12,5", "1,00,000",
    # clock times, written as numbers
    "21:40", "20:40", "1:30", "4:00", "2.24am", "2.24 a.m.", "0900", "24:00", "25:61",
    # ranges
    "4 to 5½", "30-40", "30–40", "between 30 and 40", "between 40 and 30", "one to five",
    "5 to 3", "1 1/2 to 2 1/2",
    # mixed and Unicode fractions, N/0, ratios
    "5 1/2", "9 1/2", "9-1/2", "5½", "½", "¾", "⅓", "2⅔", "1/2", "3/4", "1/0", "7/0",
    "0/0", "5 1/0", "89/90", "24/7", "9/11", "1/3/5", "two-thirds", "a half",
    # currencies and magnitudes
    "£1.748bn", "$3m", "€20k", "¥5tn", "US$1.2 billion", "$1 trillion", "£0.5m", "$",
    "£", "€.5bn", "$1,000,000,000,000,000", "¥100", "₹4 crore", "5 mn",
    # units glued on, model names, codes
    "5.1-inch", "1080p", "10km", "40kg", "3.5mm", "iPhone 5s", "iPhone 5", "Boeing 737",
    "F-16", "Covid-19", "G7", "4x4", "A320neo", "MH17", "Flight 370", "5G", "B-52s",
    # huge, tiny, negative, exotic digits
    "1" + "0" * 30, "9" * 400, "1e30", "1e-30", "-5", "−12", "minus 3", "-0", "+7",
    "٣٤", "١٢٣", "１２", "²", "³⁄₄", "Ⅻ", "𝟗",
    # ordinals, percentages, words
    "1st", "22nd", "101st", "0th", "45%", "12.5 per cent", "100 percent", "%",
    "twenty-one", "a dozen", "dozens", "hundreds", "a million", "one",
)  # fmt: skip

DATES: tuple[str, ...] = (
    # ordinary
    "Aug. 13", "Friday", "13 August 2021", "Aug. 13, 2021", "2021-08-13", "last week",
    "three days ago", "next year", "last Monday", "in 3 weeks", "yesterday", "tomorrow night",
    "the weekend", "this weekend", "the year-ago quarter", "the third quarter", "last summer",
    "Christmas", "Easter Monday", "the 1990s", "the 21st century", "9/11",
    # at the calendar's edges
    "Feb. 29", "Feb. 29, 2021", "Feb. 29, 2020", "Feb. 30", "Feb. 30, 2021", "30 February",
    "0001-01-01", "9999-12-31", "Jan. 1, 0001", "Dec. 31, 9999", "year 0", "the year 99999",
    "0000-00-00", "2021-13-01", "13/13/2021", "31/02/2021", "Aug. 0", "Aug. 32", "month 13",
    "Sept. 31", "April 31, 2021", "99999 years ago", "1/0 days ago", "9" * 30 + " years ago",
    "the next 10000 years", "Q5 2021", "the 13th month",
)  # fmt: skip

CLOCKS: tuple[str, ...] = (
    "21:40 (20:40 GMT)", "1:30 p.m.", "4:00 p.m.", "2.24am", "0900 GMT", "noon", "midnight",
    "25:99", "12:00 a.m.", "9 o'clock", "23:59:59", "00:00", "24:00",
)  # fmt: skip

WHITESPACE: tuple[str, ...] = (
    " ", "\u00a0", "\u2028", "\u2029", "\u200b", "\t", "\r", "\r\n", "\n", "\n\n", "\x0b",
    "\x0c", "\x85", "\u3000", "\ufeff", "\u2009", "\u202f", "  \n \n  ",
)  # fmt: skip

CONTROLS: tuple[str, ...] = (
    "\x00", "\x01", "\x07", "\x08", "\x1b", "\x1b[31m", "\x7f", "\x9f", "\u200e", "\u200f",
    "\u202e", "\u2066", "\ufffd", "\ufffe", "\U000e0001",
)  # fmt: skip

SCRIPTS: tuple[str, ...] = (
    "قال المتحدث باسم طالبان إن ٣٤ شخصا قتلوا في كابل",
    "אמר דובר הצבא כי 12 בני אדם נהרגו",
    "塔利班于8月15日占领了喀布尔",
    "タリバンがカブールを制圧した",
    "탈레반이 카불을 장악했다",
    "Талибы захватили Кабул 15 августа",
    "🔥💥🇦🇫", "👨‍👩‍👧‍👦", "e\u0301\u0301\u0301", "İİİ", "ß", "ﬁ", "Z̤̭̈́a̳͉l̵g̝o̓",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 Kabul \u05e2\u05d1\u05e8\u05d9\u05ea",
)  # fmt: skip

PLACES: tuple[str, ...] = (
    "Kabul", "Herat", "Kandahar", "Ghazni", "Gaza", "Kyiv", "Aleppo", "Mosul", "Timbuktu",
    "Springfield", "New York", "São Paulo", "Zürich", "Москва", "كابل", "ירושלים", "東京",
    "Kabul's", "Kabul,Herat", "the Panjshir Valley", "Paris, Texas", "Georgia", "Jordan",
    "Chad", "Turkey", "Washington", "",
)  # fmt: skip

CAPS: tuple[str, ...] = (
    "KABUL", "NEW DELHI", "GAZA CITY", "KYIV, Ukraine", "X", "KABUL KABUL KABUL KABUL KABUL",
    "WASHINGTON", "ST. LOUIS", "N'DJAMENA", "",
)  # fmt: skip

OUTLETS: tuple[str, ...] = (
    "Reuters", "AP", "AFP", "Al Jazeera", "BBC", "CNN", "R", "", "Reuters" * 10,
    "The Kabul Ledger", "رويترز",
)  # fmt: skip

PEOPLE: tuple[str, ...] = (
    "Zabihullah Mujahid", "a Taliban spokesman", "officials", "John Kirby", "Ned Price",
    "the ministry", "محمد", "李明", "O'Brien", "Jean-Luc Picard", "he", "They", "",
    "three defense officials", "the U.S. State Department",
)  # fmt: skip

UNITS: tuple[str, ...] = (
    "people", "troops", "km", "miles", "percent", "hours", "days", "feet", "inch",
    "game lead", "civilians", "of the 34 provincial capitals", "years", "",
)  # fmt: skip

QUOTES: tuple[str, ...] = (
    "We will not negotiate", "", '"', 'nested "quotes" here', "„Wir kommen“", "«Non»",
    "‘single’", "x" * 300, "Is it over?", "No. Never. Not once.", "“unclosed",
)  # fmt: skip

TEMPLATES: tuple[str, ...] = (
    "{CAPS}, {DATE} ({OUTLET}) - {PERSON} said {NUM} {UNIT} were killed in {PLACE}.",
    "{CAPS} ({OUTLET}) — Taliban fighters seized {PLACE} on {WEEKDAY}, {PERSON} said.",
    "({OUTLET}) — {PERSON} said on {DATE} that {NUM} {UNIT} had fled {PLACE}.",
    "A suicide bomber killed {NUM} {UNIT} at a checkpoint in {PLACE} on {WEEKDAY}, "
    "officials said.",
    '"{QUOTE}," {PERSON} said on {DATE}.',
    "“{QUOTE},” {PERSON} told {OUTLET} at {CLOCK}.",
    "{PERSON} said {NUM} {UNIT} were killed in {PLACE} at {CLOCK} {DATE}.",
    'Some {NUM} protesters marched through {PLACE} on {DATE}, chanting "{QUOTE}".',
    "Taliban fighters seized {NUM} of the country's {NUM} provincial capitals by {DATE}, "
    "{PERSON} told {OUTLET}.",
    "The company lost {NUM} in the {NUM} season, {OUTLET} reported on {DATE}.",
    "Between {NUM} and {NUM} {UNIT} fled {PLACE} {DATE}, according to {OUTLET}.",
    "Shelling in {PLACE} lasted from {CLOCK} to {CLOCK} on {DATE}.",
    "Police fired tear gas at {NUM} demonstrators in {PLACE} {DATE}, according to {PERSON}.",
    '{PERSON} denied that {NUM} {UNIT} had died, calling the report "{QUOTE}".',
    "The Pentagon will send about {NUM} {UNIT} to {PLACE} within {NUM} hours, {PERSON} said.",
    "Rockets hit {PLACE} airport at {CLOCK}, {NUM} km from the border, {PERSON} said.",
    "The convoy travelled {NUM} miles from {PLACE} to {PLACE} over {DATE}.",
    "Is {PLACE} safe?",
    "Updated {DATE} {CLOCK}",
    "Photo: {PERSON} / {OUTLET}, {WEEKDAY}, {DATE}.",
    "© {NUM} {OUTLET}. All rights reserved.",
    "{NOISE}",
)  # fmt: skip

WEEKDAYS: tuple[str, ...] = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Friday night", "Good Friday", "early Thursday", "last Monday", "next Sunday",
)  # fmt: skip

SURROGATES: tuple[str, ...] = ("\ud800", "\udfff", "\udc80abc", "a\ud83d", "\ud83d\ude00x")

_EDGE_REFS: tuple[dt.date, ...] = (
    dt.date.min, dt.date.max, dt.date(1, 1, 7), dt.date(9999, 12, 27), dt.date(2020, 2, 29),
    dt.date(2021, 8, 13), dt.date(1999, 12, 31), dt.date(2000, 1, 1),
)  # fmt: skip


def _long_tokens() -> tuple[str, ...]:
    return (
        "a" * 10_000,
        "9" * 10_000,
        "http://example.com/" + "x/" * 5_000,
        "Kabul" * 2_000,
        "-" * 10_000,
        " " * 10_000,
        "\n" * 3_000,
        "1/" * 5_000,
        "May " * 2_500,
    )


# -- how a document is put together, from any source of choices ---------------------------------


class _Source(Protocol):
    def choice(self, pool: Sequence[str]) -> str: ...

    def chance(self, percent: int) -> bool: ...

    def integer(self, lo: int, hi: int) -> int: ...


class _RandomSource:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choice(self, pool: Sequence[str]) -> str:
        return self.rng.choice(pool)

    def chance(self, percent: int) -> bool:
        return self.rng.randrange(100) < percent

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


class _DrawSource:
    def __init__(self, draw: Callable[[Any], Any]) -> None:
        from hypothesis import strategies as st

        self.draw, self.st = draw, st

    def choice(self, pool: Sequence[str]) -> str:
        return str(self.draw(self.st.sampled_from(pool)))

    def chance(self, percent: int) -> bool:
        return bool(self.draw(self.st.integers(0, 99)) < percent)

    def integer(self, lo: int, hi: int) -> int:
        return int(self.draw(self.st.integers(lo, hi)))


def _noise(src: _Source, long_tokens: bool, surrogates: bool) -> str:
    pools: list[Sequence[str]] = [CONTROLS, SCRIPTS, WHITESPACE, NUMBERS, DATES]
    if long_tokens and src.chance(15):
        pools.append(_long_tokens())
    if surrogates:
        pools.append(SURROGATES)
    pool = pools[src.integer(0, len(pools) - 1)]
    return src.choice(pool)


_SLOTS: dict[str, Sequence[str]] = {
    "CAPS": CAPS, "DATE": DATES, "OUTLET": OUTLETS, "PERSON": PEOPLE, "NUM": NUMBERS,
    "UNIT": UNITS, "PLACE": PLACES, "WEEKDAY": WEEKDAYS, "CLOCK": CLOCKS, "QUOTE": QUOTES,
}  # fmt: skip


def _sentence(src: _Source, long_tokens: bool, surrogates: bool) -> str:
    template = src.choice(TEMPLATES)
    out: list[str] = []
    rest = template
    while "{" in rest:
        head, _, tail = rest.partition("{")
        slot, _, rest = tail.partition("}")
        out.append(head)
        if slot == "NOISE" or src.chance(8):
            out.append(_noise(src, long_tokens, surrogates))
        else:
            out.append(src.choice(_SLOTS[slot]))
    out.append(rest)
    text = "".join(out)
    if src.chance(20):  # odd whitespace for the plain spaces
        text = text.replace(" ", src.choice(WHITESPACE))
    if text and src.chance(15):  # something dropped inside a word or a number
        at = src.integer(0, len(text))
        text = text[:at] + _noise(src, long_tokens, surrogates) + text[at:]
    return text


def _document(src: _Source, max_sentences: int, long_tokens: bool, surrogates: bool) -> str:
    parts: list[str] = []
    for _ in range(src.integer(0, max_sentences)):
        parts.append(_sentence(src, long_tokens, surrogates))
        parts.append(src.choice(WHITESPACE) if src.chance(40) else " ")
    return "".join(parts)


def _html(src: _Source, body: str, title: str, date: str) -> str:
    head = src.choice((
        "", "<!DOCTYPE html>", "<?xml version='1.0' encoding='utf-8'?>", "\ufeff<!doctype html>",
    ))  # fmt: skip
    meta = src.choice((
        "", f'<meta property="article:published_time" content="{date}">',
        f'<meta name="date" content="{date}"><meta property="og:site_name" content="{title}">',
        '<meta charset="shift_jis">', "<meta http-equiv='refresh' content='0'>",
    ))  # fmt: skip
    junk = src.choice((
        "", "<script>var x = '</p>';</script>", "<style>p{}</style>", "<!-- unclosed",
        "&amp;&#0;&#xD800;&#99999999;&bogus;&", "<p", "</div></div></body>",
        "<figure><img src=x><figcaption>Photo: AP, Friday, Aug. 13, 2021</figcaption></figure>",
        "<table><tr><td>" * 50, "<![CDATA[ x ]]>", "<svg><script>alert(1)</script></svg>",
    ))  # fmt: skip
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n") if p) or body
    return (
        f"{head}<html><head><title>{title}</title>{meta}</head><body><article>"
        f"<h1>{title}</h1>{junk}{paras}</article>{junk}</body></html>"
    )


# -- the plain generator -----------------------------------------------------------------------


def hostile_documents(
    n: int,
    seed: int = 0,
    *,
    max_sentences: int = 12,
    long_tokens: bool = True,
    surrogates: bool = True,
) -> list[str]:
    """``n`` hostile news documents, the same ones for the same arguments."""
    src = _RandomSource(random.Random(seed))
    return [_document(src, max_sentences, long_tokens, surrogates) for _ in range(n)]


# -- hypothesis strategies ---------------------------------------------------------------------


def hostile_texts(
    max_sentences: int = 8, *, long_tokens: bool = True, surrogates: bool = True
) -> SearchStrategy[str]:
    """A strategy of hostile news documents (``str``)."""
    from hypothesis import strategies as st

    @st.composite
    def build(draw: Callable[[Any], Any]) -> str:
        src = _DrawSource(draw)
        text = _document(src, max_sentences, long_tokens, surrogates)
        if src.chance(10):  # now and then, characters no template would write
            alphabet = (
                st.characters(exclude_categories=()) if surrogates else st.characters(codec="utf-8")
            )
            text += str(draw(st.text(alphabet, max_size=40)))
        return text

    return build()


def hostile_html(max_sentences: int = 6, *, surrogates: bool = False) -> SearchStrategy[str]:
    """A strategy of hostile HTML pages (``str``): hostile text in broken markup."""
    from hypothesis import strategies as st

    @st.composite
    def build(draw: Callable[[Any], Any]) -> str:
        src = _DrawSource(draw)
        body = _document(src, max_sentences, False, surrogates)
        title = _sentence(src, False, surrogates)
        return _html(src, body, title, src.choice(DATES))

    return build()


def hostile_numbers() -> SearchStrategy[str]:
    """A strategy of one number as news writes it, alone or in a short phrase."""
    from hypothesis import strategies as st

    return st.sampled_from(NUMBERS) | st.builds(
        lambda a, u: f"{a} {u}", st.sampled_from(NUMBERS), st.sampled_from(UNITS)
    )


def hostile_dates() -> SearchStrategy[str]:
    """A strategy of one date or time as news writes it, the calendar's edges included."""
    from hypothesis import strategies as st

    return st.sampled_from(DATES + CLOCKS)


def hostile_refs(
    with_none: bool = True, with_datetimes: bool = True
) -> SearchStrategy[dt.date | dt.datetime | None]:
    """A strategy of reference dates: the calendar's first and last days and their weeks,
    leap days, any date (and datetime), or None."""
    from hypothesis import strategies as st

    options: list[SearchStrategy[Any]] = [st.sampled_from(_EDGE_REFS), st.dates()]
    if with_datetimes:
        options.append(st.datetimes())
    if with_none:
        options.append(st.none())
    return st.one_of(*options)


# -- budgets ----------------------------------------------------------------------------------

_PROFILES = {"ci": 30, "soak": 3_000, "dev": 100}


def _register() -> None:
    from hypothesis import HealthCheck, settings

    slow = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
            HealthCheck.large_base_example]  # fmt: skip
    for name, n in _PROFILES.items():
        settings.register_profile(
            f"hostile-{name}", max_examples=n, deadline=None, suppress_health_check=slow
        )


def hostile_settings(scale: float = 1.0) -> Settings:
    """Hypothesis settings for a hostile-text test: the budget of ``$HYPOTHESIS_PROFILE``
    ("ci" by default, "soak" for a long run, "dev"), times ``scale`` (spaCy-backed tests
    take a fraction). Used as a decorator; it leaves every other test's settings alone."""
    from hypothesis import settings

    name = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    base = settings.get_profile(f"hostile-{name if name in _PROFILES else 'ci'}")
    return settings(base, max_examples=max(1, round(base.max_examples * scale)))


# -- what well formed means -------------------------------------------------------------------

_REFS = {"PAST_REF", "PRESENT_REF", "FUTURE_REF"}
_POINT = re.compile(
    r"(?:\d{4}|[\dX]{4}|\d{3}X|\d{2}XX|\dXXX)"
    r"(?:-(?:[\dX]{2}(?:-[\dX]{2})?|W[\dX]{2}(?:-(?:[1-7]|WE))?|Q[1-4X]|H[12]|SP|SU|FA|WI))?"
    r"(?:T(?:[0-2]\d:[0-5]\d|MO|AF|EV|NI|MI))?"
)
_SPAN = re.compile(r"P(?:T?(?:(?:\d+(?:\.\d+)?|X)(?:DE|CE|ML|WE|[YMWDHSQ]))+)(?:T(?:\d+[HMS])+)?")


def timeml_point_ok(value: str) -> bool:
    """A TimeML date or time value that means a real day (when it names one)."""
    if value in _REFS:
        return True
    if not _POINT.fullmatch(value):
        return False
    if value[:4].isdigit() and not 1 <= int(value[:4]) <= 9999:
        return False
    if re.match(r"\d{4}-\d\d-\d\d", value):
        dt.date.fromisoformat(value[:10])  # raises when there is no such day
    if re.match(r"\d{4}(?:-|$)", value) and not re.search(r"X", value):
        assert parse_timeml(value) is not None, value
    clock = re.search(r"T(\d\d):(\d\d)$", value)
    return not clock or int(clock.group(1)) * 60 + int(clock.group(2)) <= 24 * 60


def check_time(text: str, t: TimeExpr) -> None:
    assert 0 <= t.start < t.end <= len(text), t
    assert text[t.start : t.end] == t.text, t
    assert t.type in ("DATE", "TIME", "DURATION", "SET"), t
    assert t.time_precision in (1, 2, 3), t
    if t.type in ("DATE", "TIME"):
        assert timeml_point_ok(t.value), t
    elif t.type == "DURATION":
        assert _SPAN.fullmatch(t.value), t
    else:
        assert _SPAN.fullmatch(t.value) or timeml_point_ok(t.value), t
    for extra in (t.begin, t.anchor):
        assert extra is None or timeml_point_ok(extra[:16]), t


with contextlib.suppress(ImportError):  # the plain generator works without hypothesis
    _register()
