"""The words time expressions are made of: months, weekdays, units, numbers, seasons."""

from __future__ import annotations

import math
import re

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

WEEKDAYS: dict[str, int] = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
    "sunday": 7,
}  # fmt: skip

# canonical unit of each surface form (plural forms are stripped before lookup)
UNITS: dict[str, str] = {
    "second": "second", "sec": "second", "minute": "minute", "min": "minute", "hour": "hour",
    "hr": "hour", "day": "day", "night": "night", "week": "week", "weekend": "weekend",
    "fortnight": "fortnight", "month": "month", "quarter": "quarter", "year": "year",
    "yr": "year", "decade": "decade", "century": "century", "centurie": "century",
    "millennium": "millennium", "millennia": "millennium", "millenia": "millennium",
}  # fmt: skip

SEASONS: dict[str, str] = {
    "spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI",
}  # fmt: skip

# TimeML part-of-day codes
PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "midday": "MI", "dawn": "MO", "daybreak": "MO", "dusk": "EV", "nightfall": "NI",
}  # fmt: skip

ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "last": -1, "final": -1,
}  # fmt: skip

_SMALL: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# words after which a bare month, year or season is a time ("in May", "since 2001")
LEAD_IN = frozenset({
    "in", "since", "until", "till", "by", "from", "through", "thru", "to", "during", "before",
    "after", "of", "for", "and", "or", "between", "early", "late", "mid", "around", "last",
    "next", "this", "on", "throughout", "as", "than", "-", "–", "—", "/", "that", "fiscal",
    "year", "circa", "c", "ca", "spring", "summer", "autumn", "fall", "winter", "christmas",
    "ending", "ended", "starting", "beginning", "into", "over", "within", "following", "past",
    "every", "each", "whole", "entire", "onward", "s",
})  # fmt: skip
DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "this", "that"})
# words that follow a noun modifier but never a month used as one ("the March on Washington")
FUNCTION_WORDS = frozenset({
    "and", "or", "but", "to", "in", "on", "at", "for", "from", "since", "through", "until",
    "with", "by", "as", "than", "the", "a", "an", "of", "is", "are", "was", "were", "while",
    "if", "when", "that", "which", "who", "had", "has", "have", "will", "would", "could",
    "should", "might", "must", "can", "may", "did", "does", "do", "said", "says", "told",
    "also", "not",
})  # fmt: skip

# quantities that say "some number of": TimeML writes them as X
VAGUE = frozenset({"few", "a few", "several", "some", "many", "a number of", "dozens of",
                   "hundreds of", "thousands of", "a couple of", "couple of", "a handful of",
                   "numerous", "countless"})  # fmt: skip


def alternation(words: list[str] | dict[str, object]) -> str:
    """A regex alternation of words, longest first so the engine prefers the fuller one."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


NUMBER_WORD = alternation(list(_SMALL) + list(_SCALES))
# "twenty-four", "one hundred and ten", "a hundred"
NUMBER_WORDS = (
    rf"(?:(?:a|one)[ -](?=hundred|thousand))?(?:{NUMBER_WORD})"
    rf"(?:(?:[ -]|[ ]and[ ])(?:{NUMBER_WORD}))*"
)
DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?(?:[ -]\d/\d)?|\d/\d"
NUMBER = rf"(?:{DIGITS}|{NUMBER_WORDS})"
VAGUE_NUMBER = (
    r"(?:a[ ]few|a[ ]couple[ ]of|a[ ]handful[ ]of|a[ ]number[ ]of|couple[ ]of|several|few"
    r"|some|many|numerous|countless|dozens[ ]of|hundreds[ ]of|thousands[ ]of)"
)


def parse_number(text: str) -> float | None:
    """The value of a written quantity ("twenty-four", "2 1/2", "a", "1,000"); None if vague."""
    s = text.lower().replace("-", " ").replace(",", "").strip()
    s = re.sub(r"\s+", " ", s)
    if s in ("a couple of", "couple of", "a couple", "a pair of"):
        return 2.0  # TimeML reads "a couple of years" as two, approximately
    if s in VAGUE or s.endswith(" of"):
        return None
    if s in ("a", "an", "one", "a single", "single"):
        return 1.0
    if s in ("half a", "half an", "a half"):
        return 0.5
    if s in ("a dozen", "dozen"):
        return 12.0
    frac = re.fullmatch(r"(\d+)?\s*(\d)/(\d)", s)
    if frac:
        if int(frac.group(3)) == 0:
            return None  # "1/0 days": no quantity
        value = float(frac.group(1) or 0) + int(frac.group(2)) / int(frac.group(3))
        return value if math.isfinite(value) else None
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        value = float(s)
        return value if math.isfinite(value) else None  # 400 digits are no number of days
    total = current = 0
    seen = False
    for word in s.split():
        if word in ("and", "a"):
            continue
        if word in _SMALL:
            current += _SMALL[word]
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def spoken_year(text: str) -> int | None:
    """A year said in words: "nineteen ninety-six", "two thousand and one"."""
    words = text.lower().replace("-", " ").split()
    if not words:
        return None
    if words[0] in ("nineteen", "eighteen", "twenty") and len(words) >= 2:
        if words[1:] == ["hundred"]:
            return _SMALL[words[0]] * 100
        rest = parse_number(" ".join(words[1:]))
        if rest is None or not 10 <= rest < 100:
            return None
        return _SMALL[words[0]] * 100 + int(rest)
    value = parse_number(text)
    if value is not None and 1000 <= value <= 2099 and value == int(value):
        return int(value)
    return None


def unit_of(word: str) -> str | None:
    """The canonical unit of a surface form: "Years" -> "year", "centuries" -> "century"."""
    w = word.lower().rstrip(".")
    if w in UNITS:
        return UNITS[w]
    if w.endswith("ies") and w[:-3] + "y" in UNITS:
        return UNITS[w[:-3] + "y"]
    if w.endswith("s") and w[:-1] in UNITS:
        return UNITS[w[:-1]]
    return None


def month_of(word: str) -> int | None:
    """The month number of a name or abbreviation ("Sept." -> 9)."""
    return MONTHS.get(word.lower().rstrip("."))
