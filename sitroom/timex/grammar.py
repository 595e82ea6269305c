"""What every rule shares: regex fragments, the rule and result types, the document state.

Patterns are written with ``%(NAME)s`` placeholders filled from ``FRAGMENTS`` and compiled
case-insensitively; month and weekday names are case-sensitive inside them (``(?-i:...)``) so
"may" the verb and "march" the verb never start a date. Signals TimeML leaves out of a span
("on", "in", "since", "within") are left out of the patterns too.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sitroom.timex import calendar, lexicon
from sitroom.timex.tense import direction


def _names(words: list[str]) -> str:
    """Alternation of the Titlecase and UPPERCASE forms of words."""
    return lexicon.alternation([w.title() for w in words] + [w.upper() for w in words])


_MONTH_FULL = [m for m in lexicon.MONTHS if len(m) > 4 or m in ("may", "june", "july")]
_MONTH_ABBR = ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec"]

# whitespace holding at most one line break; possessive so long blank runs never backtrack
_ = r"(?:(?=\s)[^\S\n]*+\n?+[^\S\n]*+)"
FRAGMENTS: dict[str, str] = {
    "_": _,
    "MONTH": rf"(?-i:{_names(_MONTH_FULL)}|(?:{_names(_MONTH_ABBR)})\.?)(?![\w])",
    "MONTH_FULL": rf"(?-i:{_names(_MONTH_FULL)})(?!\w)",
    "WEEKDAY": rf"(?-i:{_names(list(lexicon.WEEKDAYS))})(?!\w)",
    "WEEKDAYS": rf"(?-i:{_names([w + 's' for w in lexicon.WEEKDAYS])})(?!\w)",
    "DAY": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\w|[:.,]\d)",
    "YEAR": r"(?:1[0-9]\d\d|20\d\d)(?![\w]|[.,:]\d)",
    "NUMBER": lexicon.NUMBER,
    "VAGUE": lexicon.VAGUE_NUMBER,
    "UNIT": r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade"
    r"|century|millennium)",
    "UNITS": r"(?:seconds|minutes|hours|days|nights|weeks|weekends|fortnights|months|quarters"
    r"|years|decades|centuries|millennia)",
    "ORD": lexicon.alternation(list(lexicon.ORDINALS)) + r"|1st|2nd|3rd|4th",
    # "last May", "this coming summer"; "June last year"
    "REL": r"(?P<rel>last|next|this|this%(_)spast|this%(_)scoming|coming|past)",
    "YREL": r"(?:%(_)s(?P<yrel>last|this|next)%(_)syear)",
    # modifiers of a point: early August, the end of 2020, mid-June
    "PRE": r"(?:(?P<pre>(?:the[ ]+)?(?:very[ ]+)?(?:early|late|mid)(?:-|%(_)s)"
    r"|(?:around|about|approximately|roughly|circa|sometime|some[ ]time[ ]in)%(_)s"
    r"|(?:the[ ]+)?(?:start|beginning|end|middle|close|turn|dawn)[ ]+of[ ]+(?:the[ ]+)?"
    r"(?:month[ ]+of[ ]+)?))?",
    # modifiers of a quantity: about two years, more than a week
    "QMOD": r"(?:(?P<q>about|around|approximately|roughly|some|nearly|almost|just[ ]+under"
    r"|just[ ]+over|well[ ]+over|more[ ]+than|less[ ]+than|fewer[ ]+than|at[ ]+least"
    r"|at[ ]+most|up[ ]+to|no[ ]+more[ ]+than|no[ ]+less[ ]+than|under|upwards[ ]+of"
    r"|close[ ]+to)%(_)s)?",
}
for _name in ("REL", "YREL", "PRE"):
    FRAGMENTS[_name] = FRAGMENTS[_name] % FRAGMENTS
FRAGMENTS["QMOD"] = FRAGMENTS["QMOD"] % FRAGMENTS

POINT_MODS = {"around": "APPROX", "about": "APPROX", "approximately": "APPROX",
              "roughly": "APPROX", "circa": "APPROX", "sometime": "APPROX", "some": "APPROX",
              "early": "START", "start": "START", "beginning": "START", "dawn": "START",
              "earlier": "START", "late": "END", "end": "END", "close": "END", "later": "END",
              "turn": "END", "mid": "MID", "middle": "MID"}  # fmt: skip
QUANT_MODS = {
    "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
    "some": "APPROX", "close to": "APPROX", "nearly": "LESS_THAN", "almost": "LESS_THAN",
    "just under": "LESS_THAN", "less than": "LESS_THAN", "fewer than": "LESS_THAN",
    "under": "LESS_THAN", "more than": "MORE_THAN", "just over": "MORE_THAN",
    "well over": "MORE_THAN", "upwards of": "MORE_THAN", "at least": "EQUAL_OR_MORE",
    "no less than": "EQUAL_OR_MORE", "up to": "EQUAL_OR_LESS", "at most": "EQUAL_OR_LESS",
    "no more than": "EQUAL_OR_LESS",
}  # fmt: skip


def compile_rule(pattern: str) -> re.Pattern[str]:
    """A rule's pattern with its fragments filled in, case-insensitive.

    Every expression starts a word, and saying so first lets the regex engine drop the
    positions inside words at once (most of the text) instead of trying each alternative.
    """
    return re.compile(r"(?<!\w)" + pattern % FRAGMENTS, re.IGNORECASE)


def point_mod(text: str | None) -> str | None:
    """TimeML mod of a point modifier ("the end of" -> "END")."""
    if not text:
        return None
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in POINT_MODS:
            return POINT_MODS[word]
    return None


def quant_mod(text: str | None) -> str | None:
    """TimeML mod of a quantity modifier ("more than" -> "MORE_THAN")."""
    if not text:
        return None
    return QUANT_MODS.get(" ".join(text.lower().split()))


@dataclass(frozen=True)
class Norm:
    """What a rule makes of its match."""

    type: str
    value: str
    mod: str | None = None
    anchor: str | None = None
    begin: str | None = None


@dataclass
class Doc:
    """One text being read: its reference time and what it has said so far."""

    text: str
    ref: dt.date | None
    ref_time: dt.datetime | None = None
    # (offset, value, granularity) of every resolved date so far, for "a year earlier"
    _said: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def ref_value(self) -> str | None:
        return self.ref.isoformat() if self.ref else None

    def direction(self, start: int, end: int) -> int:
        """+1 future, -1 past, 0 unknown, from the clause around text[start:end]."""
        return direction(self.text, start, end)

    def note(self, start: int, value: str) -> None:
        """Remember a resolved date value so later anaphora can lean on it."""
        parsed = calendar.parse(value)
        if parsed is not None:
            self._said.append((start, value, parsed[1]))

    def focus(self, start: int, finest: str | None = None, window: int = 2500) -> str | None:
        """The latest date said before ``start`` (within ``window`` characters), if any.

        finest: only values at least this fine count ("a day earlier" needs a day).
        """
        i = bisect.bisect_left(self._said, (start, "", ""))
        need = calendar.GRANULARITY.get(finest, 0) if finest else 0
        for k in range(i - 1, -1, -1):
            pos, value, gran = self._said[k]
            if start - pos > window:
                break
            if calendar.GRANULARITY.get(gran.split(":")[0], 0) >= need:
                return value
        return None


# trigger keys of numbers: "#y" a four-digit year, "#s" a decade ("1990s", "90s"),
# "#t" a clock time ("9 a.m.", "10:30"), "#/" a numeric date ("13/08/2021", "2021-08-13")
CLOCKS = frozenset({"#t"})
NUMERIC_DATES = frozenset({"#/"})
YEARS = frozenset({"#y"})
DECADES = frozenset({"#s"})
MONTH_WORDS = frozenset(lexicon.MONTHS)
WEEKDAY_WORDS = frozenset(lexicon.WEEKDAYS)
UNIT_WORDS = frozenset({"second", "minute", "hour", "day", "night", "week", "weekend",
                        "fortnight", "month", "quarter", "year", "decade", "century",
                        "millennium"})  # fmt: skip
UNIT_PLURALS = frozenset({"seconds", "minutes", "hours", "days", "nights", "weeks", "weekends",
                          "fortnights", "months", "quarters", "years", "decades", "centuries",
                          "millennia"})  # fmt: skip

Normaliser = Callable[[re.Match[str], Doc], Norm | None]
Acceptor = Callable[[re.Match[str], str], bool]


@dataclass(frozen=True)
class Rule:
    """A named pattern, the check that keeps its false positives out, and its normaliser.

    triggers: words (lowercase, or a number key below) one of which every match contains:
    the pattern runs only around them, which keeps it fast; empty means everywhere.
    reach: how many characters a match may start before its trigger and end after it.
    kind: "day" for day dates and "clock" for times of day, which the engine joins
    ("10 p.m. Wednesday"); "other" for the rest.
    """

    name: str
    pattern: re.Pattern[str]
    normalise: Normaliser
    accept: Acceptor | None = None
    kind: str = "other"
    priority: int = 0
    triggers: frozenset[str] = frozenset()
    reach: tuple[int, int] = (80, 60)
